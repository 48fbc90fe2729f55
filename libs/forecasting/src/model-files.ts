/**
 * The models shipped with the installation (the repository's `models/` folder): the only files
 * forecasting reads. Each is read once per process and cached; a missing file is null.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoPath } from '@halve/platform';
import type { LoadModelArtifact } from './load-model';
import type { PvModelArtifact } from './pv-model';

/** A file of the repository's `models/` folder (shipped artifacts), or null. */
export function findModelFile(name: string): string | null {
  return findRepoPath(join('models', name));
}

const cache = new Map<string, object | null>();
function shipped<T extends object>(name: string): T | null {
  if (!cache.has(name)) {
    const file = findModelFile(name);
    cache.set(name, file ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null);
  }
  return cache.get(name) as T | null;
}

/** The generic load model (cold start under 4 weeks; training starts from it). */
export function genericLoadArtifact(): LoadModelArtifact | null {
  return shipped<LoadModelArtifact>('generic-load.json');
}

/** The generic PV model (PVDAQ system 50), scaled by capacity; per-meter PV models are fine-tuned from it. */
export function genericPvArtifact(): PvModelArtifact | null {
  return shipped<PvModelArtifact>('generic-pv.json');
}
