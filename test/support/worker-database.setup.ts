// setupFilesAfterEnv of the e2e and fault suites: each jest worker runs its files in a database of its own
// (databases.ts), so `npm test` can run two suites at a time against one PostgreSQL server.
import { useWorkerDatabase } from './databases';

beforeAll(() => useWorkerDatabase(), 120_000);
