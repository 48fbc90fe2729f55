import { rmSync } from 'node:fs';
import { dropWorkerDatabases } from './databases';
import { pgliteTemplateFile } from './test-run';

/**
 * Jest's globalTeardown: drops the run's worker databases and removes its PGlite template (global-setup.ts),
 * leaving the machine as it was.
 */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.HALVE_TEST_RUN;
  if (!run) return;
  rmSync(pgliteTemplateFile(run), { force: true });
  if (process.env.DATABASE_URL) await dropWorkerDatabases(run);
}
