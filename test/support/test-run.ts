import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'halve-pglite-';

/** The run's migrated embedded database (a PGlite dump): written by its first embedded app (harness.ts). */
export function pgliteTemplateFile(run: string): string {
  return join(tmpdir(), `${PREFIX}${run}.tar`);
}

/**
 * Removes the templates of runs that ended without their teardown (a jest killed by Ctrl-C leaves ≈ 40 MB) once
 * they are a day old: no run lasts that long, so none is in use. Answers the files removed.
 */
export function removeStaleTemplates(now = Date.now(), maxAgeMs = 24 * 3600_000): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX) || !name.endsWith('.tar')) continue;
    const file = join(tmpdir(), name);
    try {
      if (now - statSync(file).mtimeMs < maxAgeMs) continue;
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // gone meanwhile (another run's teardown)
    }
  }
  return removed;
}
