/**
 * Running one task in a worker thread: the entry module is started (through scripts/swc-register.js
 * when the caller runs from the TypeScript sources, as tests and scripts do), gets `workerData`, and
 * answers with messages. The caller's event loop stays free; the thread's heap is bounded by
 * `resourceLimits`; the task stops (thread terminated) when `signal` aborts; a thread that dies
 * (out of memory, crash, exit) rejects the task with a message saying so, never leaves it pending.
 *
 * The thread's side of the protocol (posted to its parentPort):
 * - `{ t: 'result', value }` ends the task with `value`;
 * - `{ t: 'error', error: ThreadError }` ends it with that error (rebuilt by `rebuildError`);
 * - anything else goes to `onMessage` (progress reports and the like).
 */
import { extname, join } from 'node:path';
import { ResourceLimits, TransferListItem, Worker } from 'node:worker_threads';
import { findRepoPath } from '../files/repo-path';

/** An error as a thread posts it: plain data (structured clone drops an Error's own properties). */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  retryable?: boolean;
  /** Problem fields, when the error names them. */
  errors?: { field: string; message: string }[];
  stack?: string;
}

/** The plain-data form of an error, for a thread to post (see ThreadError). */
export function threadError(err: unknown): ThreadError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { code?: unknown; retryable?: unknown; errors?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(Array.isArray(e.errors) ? { errors: e.errors as ThreadError['errors'] } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

/**
 * Starts a worker thread on a module given by its path without extension (`join(__dirname, 'x')`):
 * the `.js` file next to the caller when built, the `.ts` one (compiled on load by
 * scripts/swc-register.js) when the caller itself runs from TypeScript. `callerFile` is the caller's
 * `__filename`, which tells the two apart.
 */
export function startWorkerThread(
  entryWithoutExtension: string,
  callerFile: string,
  options: { workerData?: unknown; transferList?: TransferListItem[]; resourceLimits?: ResourceLimits } = {},
): Worker {
  const ext = extname(callerFile);
  const entry = `${entryWithoutExtension}${ext}`;
  const opts = options;
  if (ext === '.ts') {
    const register = findRepoPath(join('scripts', 'swc-register.js'));
    if (!register)
      throw new Error(`scripts/swc-register.js is needed to start ${entry} from TypeScript sources`);
    return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, {
      ...opts,
      eval: true,
    });
  }
  return new Worker(entry, opts);
}

export interface WorkerTaskOptions {
  /** Module path without extension, next to `callerFile` (see startWorkerThread). */
  entry: string;
  callerFile: string;
  workerData: unknown;
  transferList?: TransferListItem[];
  resourceLimits?: ResourceLimits;
  /** Aborting it terminates the thread and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** What the thread does, for messages: "the training thread of meter X". */
  describe: string;
  /** Other messages from the thread; a rejection ends the task with that error (thread terminated). */
  onMessage?: (message: unknown) => void | Promise<void>;
  /** Turns a thread's error back into the caller's error classes; default: an Error with its name, code, retryable. */
  rebuildError?: (error: ThreadError) => Error;
  /** Called with the thread once it has started (tests use it to look at the thread). */
  onStart?: (worker: Worker) => void;
}

function defaultRebuild(e: ThreadError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return Object.assign(
    err,
    e.code ? { code: e.code } : {},
    e.retryable !== undefined ? { retryable: e.retryable } : {},
  );
}

/**
 * Runs one task in its own worker thread and resolves with the value it posts (see the module header).
 * It settles only once the thread has stopped.
 */
export function runWorkerTask<R>(options: WorkerTaskOptions): Promise<R> {
  const { signal, describe } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal, describe));
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    const finish = (outcome: { value: R } | { error: Error }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // settles once the thread is gone (terminating an exited thread is harmless): after a
      // rejection for an abort, nothing of the task runs any more
      void worker
        .terminate()
        .catch(() => undefined)
        .then(() => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value)));
    };
    const onAbort = () => finish({ error: abortReason(signal!, describe) });
    try {
      worker = startWorkerThread(options.entry, options.callerFile, {
        workerData: options.workerData,
        transferList: options.transferList,
        resourceLimits: options.resourceLimits,
      });
    } catch (err) {
      reject(err as Error);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    options.onStart?.(worker);
    worker.on('message', (m: unknown) => {
      if (settled) return;
      const msg = m as { t?: string; value?: R; error?: ThreadError };
      if (msg?.t === 'result') return finish({ value: ownRealm(msg.value) as R });
      if (msg?.t === 'error' && msg.error)
        return finish({ error: (options.rebuildError ?? defaultRebuild)(msg.error) });
      if (!options.onMessage) return;
      Promise.resolve()
        .then(() => options.onMessage!(m))
        .catch((err: unknown) => finish({ error: err instanceof Error ? err : new Error(String(err)) }));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const limit = options.resourceLimits?.maxOldGenerationSizeMb;
      const message =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `${describe} ran out of memory${limit ? ` (its heap is capped at ${limit} MB)` : ''} and was stopped`
          : `${describe} failed: ${err.message}`;
      finish({
        error: Object.assign(new Error(message), {
          code: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'THREAD_OUT_OF_MEMORY' : 'THREAD_FAILED',
        }),
      });
    });
    worker.on('exit', (code) => {
      finish({
        error: Object.assign(new Error(`${describe} stopped (exit code ${code}) before it finished`), {
          code: 'THREAD_EXITED',
        }),
      });
    });
  });
}

function abortReason(signal: AbortSignal, describe: string): Error {
  const r: unknown = signal.reason;
  return r instanceof Error
    ? r
    : new Error(`${describe} was stopped${r === undefined ? '' : `: ${String(r)}`}`);
}

/**
 * A thread's message is deserialised in node's main context. Under jest the caller runs in a VM
 * context with builtins of its own, where such an array is no `instanceof Array` (TF.js then takes a
 * model's layer list for an object) nor a Date `instanceof Date`: the value is rebuilt with this
 * realm's constructors then. In a plain node process it arrives in this realm and is left as it is.
 */
export function ownRealm(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Object) return v;
  return rebuildInRealm(v);
}

function rebuildInRealm(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Object.prototype.toString.call(v) === '[object Date]') return new Date((v as Date).getTime());
  if (ArrayBuffer.isView(v)) {
    const ctor = (globalThis as unknown as Record<string, unknown>)[v.constructor.name];
    const bytes = v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
    // same-named typed array of this realm over a copy of the bytes (a DataView or unknown view: bytes)
    return typeof ctor === 'function' && v.constructor.name !== 'DataView'
      ? new (ctor as new (b: ArrayBuffer) => unknown)(bytes as ArrayBuffer)
      : new Uint8Array(bytes as ArrayBuffer);
  }
  if (Array.isArray(v)) return Array.from(v, rebuildInRealm);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = rebuildInRealm(x);
  return out;
}
