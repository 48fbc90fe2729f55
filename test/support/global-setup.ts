import { removeStaleTemplates } from './test-run';

/**
 * Jest's globalSetup: names this run (HALVE_TEST_RUN); the workers inherit the variable. With DATABASE_URL set,
 * each worker's database (databases.ts: `<database>_w<worker>_<run>`) is new to it; on the embedded path the
 * run's migrated PGlite template (harness.ts, `pgliteTemplatePath`) is. Templates that killed runs left behind
 * are removed once a day old.
 */
export default function globalSetup(): void {
  if (!process.env.HALVE_TEST_RUN)
    process.env.HALVE_TEST_RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  removeStaleTemplates();
}
