import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@halve/platform';

/**
 * Where uploads live on disk. `receiving`: multer streams a request's file here; `stored`: an
 * accepted upload is moved here until its import job ends. Both sit in the data folder, or, when the
 * database is in memory (tests, `memory://`), in a folder of this process in the system temp folder
 * (so one process's sweep never judges another's files against the wrong database).
 */
export function uploadDirs(config: Pick<AppConfig, 'dataDir'>): { receiving: string; stored: string } {
  if (config.dataDir.startsWith('memory://')) {
    const root = join(tmpdir(), `halve-memory-${process.pid}`);
    return { receiving: join(root, 'upload-tmp'), stored: join(root, 'uploads') };
  }
  return { receiving: join(config.dataDir, 'upload-tmp'), stored: join(config.dataDir, 'uploads') };
}
