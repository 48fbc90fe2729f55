import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The run's migrated embedded database (a PGlite dump): written by its first embedded app (harness.ts). */
export function pgliteTemplateFile(run: string): string {
  return join(tmpdir(), `halve-pglite-${run}.tar`);
}
