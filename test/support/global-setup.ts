/**
 * Jest's globalSetup: with DATABASE_URL set, names this run (HALVE_TEST_RUN) so each worker's database
 * (databases.ts: `<database>_w<worker>_<run>`) is new to it; the workers inherit the variable.
 */
export default function globalSetup(): void {
  if (process.env.DATABASE_URL && !process.env.HALVE_TEST_RUN)
    process.env.HALVE_TEST_RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
}
