/**
 * A worker-thread entry for worker-task.spec.ts: does what `workerData.action` says, speaking the
 * runWorkerTask protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort!;
const { action, value } = workerData as {
  action: 'echo' | 'shapes' | 'fail' | 'exit' | 'oom' | 'spin' | 'progress';
  value?: number;
};

if (action === 'echo') {
  port.postMessage({ t: 'result', value: { doubled: (value ?? 0) * 2 } });
} else if (action === 'shapes') {
  port.postMessage({
    t: 'result',
    value: {
      list: [1, 2, 3],
      at: new Date('2024-01-02T03:04:05Z'),
      f: Float64Array.of(0.5, Number.NaN),
      nested: { deep: ['a'] },
    },
  });
} else if (action === 'fail') {
  port.postMessage({
    t: 'error',
    error: { name: 'RangeError', message: 'value out of range', code: 'OUT_OF_RANGE', retryable: false },
  });
} else if (action === 'exit') {
  process.exit(3);
} else if (action === 'oom') {
  const keep: number[][] = [];
  for (;;) keep.push(Array.from({ length: 100_000 }, (_, i) => i + keep.length));
} else if (action === 'spin') {
  // a CPU-bound task that never ends on its own: busy for good, reporting nothing
  port.postMessage({ t: 'started' });
  let x = 0;
  for (;;) x = (x + 1) % 1_000_003;
} else if (action === 'progress') {
  port.postMessage({ t: 'progress', percent: 50 });
  setTimeout(() => port.postMessage({ t: 'result', value: 'done' }), 2000);
}
