import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@halve/platform';

/**
 * Where uploads live on disk. `receiving`: multer streams a request's file here; `stored`: an
 * accepted upload is moved here until its import job ends. Both sit in the data folder, or in the
 * system temp folder when the database is in memory (tests, `memory://`).
 */
export function uploadDirs(config: Pick<AppConfig, 'dataDir'>): { receiving: string; stored: string } {
  if (config.dataDir.startsWith('memory://')) return { receiving: join(tmpdir(), 'upload-tmp'), stored: join(tmpdir(), 'halve-uploads') };
  return { receiving: join(config.dataDir, 'upload-tmp'), stored: join(config.dataDir, 'uploads') };
}
