import { parentPort, workerData } from 'node:worker_threads';
import { ParseJob, parseJobMessages, transferables } from './parse-job';

/**
 * The import parse worker: parses one file (`workerData`, a ParseJob) and posts its messages to the
 * API thread, at most MAX_IN_FLIGHT chunks ahead of the thread's acknowledgements (backpressure from
 * the database). Errors travel as plain data (name, code, message, details).
 */
const MAX_IN_FLIGHT = 3;
const port = parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m === 'ack') {
    inFlight--;
    const w = wake;
    wake = null;
    w?.();
  }
});

void (async () => {
  try {
    for await (const msg of parseJobMessages(workerData as ParseJob)) {
      port.postMessage(msg, transferables(msg));
      if (msg.t === 'chunk' && ++inFlight >= MAX_IN_FLIGHT)
        await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (err) {
    const e = err as Error & { code?: unknown; details?: unknown; fromUnit?: unknown; toUnit?: unknown };
    port.postMessage({
      t: 'error',
      error: {
        name: e?.name,
        message: e?.message ?? String(err),
        code: e?.code,
        details: e?.details,
        fromUnit: e?.fromUnit,
        toUnit: e?.toUnit,
      },
    });
  }
})();
