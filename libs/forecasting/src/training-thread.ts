/**
 * Entry of a training thread (started by training-runner.ts through the platform's runWorkerTask):
 * runs the TrainingTask in `workerData` and posts `{ t: 'progress', percent }` while it trains, then
 * `{ t: 'result', value }` or `{ t: 'error', error }`. It imports only training-task.ts and the
 * forecasting maths under it (not the platform index: that would load NestJS and TypeORM here too),
 * so the error's plain form is built here, in the shape of the platform's ThreadError.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrainingTask, runTrainingTask } from './training-task';

const port = parentPort;
if (!port) throw new Error('training-thread.ts runs as a worker thread (see training-runner.ts)');

function plainError(err: unknown) {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { code?: unknown; retryable?: unknown; errors?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(Array.isArray(e.errors) ? { errors: e.errors as unknown[] } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

runTrainingTask(workerData as TrainingTask, (percent) => port.postMessage({ t: 'progress', percent })).then(
  (value) => port.postMessage({ t: 'result', value }),
  (err: unknown) => port.postMessage({ t: 'error', error: plainError(err) }),
);
