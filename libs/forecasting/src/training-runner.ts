/**
 * Training off the main thread: each training job runs its TrainingTask in a worker thread of its own
 * (training-thread.ts), so the process's event loop — the API's requests on the embedded path, BullMQ's
 * lock renewal and the job heartbeat in a worker — keeps running while TF.js trains. The thread
 * initialises its own TF.js backend (WASM files by absolute path, backend.ts). Concurrency is the job
 * concurrency (one thread per running job). The job's signal terminates the thread; a thread that dies
 * fails the attempt with a message saying so (retried like any other failure).
 */
import { join } from 'node:path';
import { ThreadError, runWorkerTask } from '@halve/platform';
import { TfBackendName } from './backend';
import { NoReadingsError } from './backtest';
import { TrainingRefusedError } from './renewables-training';
import { TrainingResult, TrainingTask, transferablesOf } from './training-task';

/**
 * Heap cap of a training thread. A year of 15-minute data (35,040 points) trains within a 128 MB
 * heap (measured; the process's RSS grows by about 210 MB during it, TF.js's WASM memory included,
 * which lives outside the V8 heap). 512 MB leaves room for finer data while a runaway thread is
 * stopped ("ran out of memory", the attempt fails and is retried) before it takes the machine.
 */
export const TRAINING_THREAD_LIMITS = { maxOldGenerationSizeMb: 512 };

let threadBackend: TfBackendName | null = null;
let running = 0;

/** Training threads running in this process now (tests and diagnostics). */
export function activeTrainingThreads(): number {
  return running;
}

/** The TF.js backend the last training thread used (health reports it when this thread has not loaded TF.js). */
export function trainingThreadBackend(): TfBackendName | null {
  return threadBackend;
}

function rebuild(e: ThreadError): Error {
  if (e.name === 'NoReadingsError') return new NoReadingsError(e.message);
  if (e.name === 'TrainingRefusedError')
    return new TrainingRefusedError(e.message, e.errors, e.code ? { code: e.code } : undefined);
  const err = Object.assign(
    new Error(e.message),
    e.code ? { code: e.code } : {},
    e.retryable !== undefined ? { retryable: e.retryable } : {},
  );
  err.name = e.name;
  if (e.stack)
    err.stack = `${err.name}: ${err.message}\n    (in the training thread)\n${e.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

export interface TrainInThreadOptions {
  /** The job's signal: aborting it terminates the thread and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** The thread's progress reports (0–100). */
  progress?: (percent: number) => Promise<void> | void;
  /** Names the meter in error messages. */
  describe: string;
  /** Tests: the thread, once started. */
  onStart?: Parameters<typeof runWorkerTask>[0]['onStart'];
}

/** Runs one training task in a new worker thread. The task's typed arrays are transferred (unusable here afterwards). */
export async function trainInThread(
  task: TrainingTask,
  options: TrainInThreadOptions,
): Promise<TrainingResult> {
  let started = false;
  const task$ = runWorkerTask<TrainingResult>({
    entry: join(__dirname, 'training-thread'),
    callerFile: __filename,
    workerData: task,
    transferList: transferablesOf(task),
    resourceLimits: TRAINING_THREAD_LIMITS,
    signal: options.signal,
    describe: `the training thread of ${options.describe}`,
    rebuildError: rebuild,
    onStart: (worker) => {
      started = true;
      running++;
      options.onStart?.(worker);
    },
    onMessage: async (m) => {
      const msg = m as { t?: string; percent?: number };
      if (msg.t === 'progress' && typeof msg.percent === 'number') await options.progress?.(msg.percent);
    },
  });
  let result: TrainingResult;
  try {
    result = await task$;
  } finally {
    // the task settles once its thread has stopped
    if (started) running--;
  }
  threadBackend = result.backend;
  return result;
}
