import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Finds a path shipped in the repository (demo data, models, reference data) whether the code runs
 * from its TypeScript source, from the compiled `dist/`, or from another working directory: walks up
 * from this file and from the working directory until `relative` exists. Null when it is nowhere.
 */
export function findRepoPath(
  relative: string,
  startDirs: string[] = [__dirname, process.cwd()],
): string | null {
  for (const start of startDirs) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, relative);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}
