/**
 * TF.js backend selection, done once per process (ARCHITECTURE.md "Forecasting"):
 * `@tensorflow/tfjs-node` when its native addon loads (optional dependency), else
 * `@tensorflow/tfjs-backend-wasm` with its .wasm binaries read from node_modules by
 * absolute path (no network), else the pure-JS CPU backend.
 */
import * as path from 'node:path';
import { tfjs } from './tf';
import { installWasmTransposedMatMul } from './wasm-matmul';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

let wasmRegistered: boolean | null = null;
let nodeRegistered: boolean | null = null;
let pending: Promise<TfBackendName> | null = null;

function tryRegisterNode(): boolean {
  if (nodeRegistered !== null) return nodeRegistered;
  try {
    // Optional native backend; its binary is usually absent, in which case require throws.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when present
    require('@tensorflow/tfjs-node');
    nodeRegistered = tfjs().findBackendFactory('tensorflow') !== null;
  } catch {
    nodeRegistered = false;
  }
  return nodeRegistered;
}

function tryRegisterWasm(): boolean {
  if (wasmRegistered !== null) return wasmRegistered;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily so a missing package falls back to CPU
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    const paths: Record<string, string> = {};
    for (const file of WASM_FILES) paths[file] = path.join(dir, file);
    wasm.setWasmPaths(paths as Parameters<typeof wasm.setWasmPaths>[0]);
    wasmRegistered = true;
  } catch {
    wasmRegistered = false;
  }
  return wasmRegistered;
}

async function select(prefer?: TfBackendName): Promise<TfBackendName> {
  const order: TfBackendName[] = prefer
    ? [prefer, 'tensorflow', 'wasm', 'cpu']
    : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && !tryRegisterNode()) continue;
    if (name === 'wasm' && !tryRegisterWasm()) continue;
    try {
      if (await tfjs().setBackend(name)) {
        await tfjs().ready();
        if (name === 'wasm') installWasmTransposedMatMul();
        return name;
      }
    } catch {
      // try the next backend
    }
  }
  throw new Error('No TF.js backend could be initialised (tried tfjs-node, wasm, cpu)');
}

/**
 * Initialise TF.js and return the backend in use. Without `prefer` the first call picks
 * the best available backend and later calls return it; with `prefer` it switches to that
 * backend when available (used by benchmarks to compare WASM and CPU in one run).
 */
export async function initTfBackend(prefer?: TfBackendName): Promise<TfBackendName> {
  if (prefer) {
    if (currentBackend() === prefer) return prefer;
    pending = select(prefer);
    return pending;
  }
  pending ??= select();
  return pending;
}

/** The active backend's name, or null before initialisation. */
export function currentBackend(): TfBackendName | null {
  if (pending === null) return null;
  const name = tfjs().getBackend();
  return name === 'tensorflow' || name === 'wasm' || name === 'cpu' ? name : null;
}
