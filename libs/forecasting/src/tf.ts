/**
 * TF.js, required on first use rather than at import. Loading it costs about 30 MB of
 * resident memory, which an API process that never trains or forecasts (or has not yet)
 * should not carry: the import benchmark's 300 MB budget is measured on such a process.
 * Modules use `import type * as tf` for types and `tfjs()` for values.
 */
import type * as Tf from '@tensorflow/tfjs';

let loaded: typeof Tf | null = null;

export function tfjs(): typeof Tf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred so the process only pays for TF.js once it is used
  loaded ??= require('@tensorflow/tfjs') as typeof Tf;
  return loaded;
}

/** Whether TF.js has been loaded in this process (health reports it without loading it). */
export function tfjsLoaded(): boolean {
  return loaded !== null;
}

/** Whether the TF.js package can be found, checked without loading it. */
export function tfjsAvailable(): boolean {
  try {
    require.resolve('@tensorflow/tfjs');
    return true;
  } catch {
    return false;
  }
}
