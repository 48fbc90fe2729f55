import { dropWorkerDatabases } from './databases';

/** Jest's globalTeardown: drops the run's worker databases (global-setup.ts), leaving the server as it was. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.HALVE_TEST_RUN;
  if (process.env.DATABASE_URL && run) await dropWorkerDatabases(run);
}
