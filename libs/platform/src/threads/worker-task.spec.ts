import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runWorkerTask, threadError } from './worker-task';

/** Real threads on the fixture entry (started through scripts/swc-register.js, as from any TypeScript caller). */
const task = <R>(workerData: unknown, extra: Partial<Parameters<typeof runWorkerTask>[0]> = {}) =>
  runWorkerTask<R>({
    entry: join(__dirname, '__fixtures__', 'task-thread'),
    callerFile: __filename,
    workerData,
    describe: 'the test thread',
    ...extra,
  });

const exited = (w: Worker) => new Promise<number>((resolve) => w.once('exit', resolve));

describe('runWorkerTask (worker threads)', () => {
  it('resolves with the value the thread posts', async () => {
    await expect(task({ action: 'echo', value: 21 })).resolves.toEqual({ doubled: 42 });
  });

  it('hands back arrays, dates and typed arrays of the caller realm (jest runs tests in a VM context of their own)', async () => {
    const value = await task<{ list: number[]; at: Date; f: Float64Array; nested: { deep: string[] } }>({
      action: 'shapes',
    });
    expect(value.list).toBeInstanceOf(Array);
    expect(value.at).toBeInstanceOf(Date);
    expect(value.f).toBeInstanceOf(Float64Array);
    expect(value.nested.deep).toBeInstanceOf(Array);
    expect({
      list: value.list,
      at: value.at.toISOString(),
      f: Array.from(value.f),
      deep: value.nested.deep,
    }).toEqual({ list: [1, 2, 3], at: '2024-01-02T03:04:05.000Z', f: [0.5, Number.NaN], deep: ['a'] });
  });

  it('rebuilds the error the thread posts, with its name, code and retryable', async () => {
    const err = (await task({ action: 'fail' }).catch((e: unknown) => e)) as Error & {
      code?: string;
      retryable?: boolean;
    };
    expect(err).toBeInstanceOf(Error);
    expect({ name: err.name, message: err.message, code: err.code, retryable: err.retryable }).toEqual({
      name: 'RangeError',
      message: 'value out of range',
      code: 'OUT_OF_RANGE',
      retryable: false,
    });
  });

  it('fails (never hangs) when the thread exits without an answer', async () => {
    await expect(task({ action: 'exit' })).rejects.toMatchObject({
      code: 'THREAD_EXITED',
      message: 'the test thread stopped (exit code 3) before it finished',
    });
  });

  it('fails with a clear, retryable message when the thread runs out of its heap cap', async () => {
    const err = (await task({ action: 'oom' }, { resourceLimits: { maxOldGenerationSizeMb: 32 } }).catch(
      (e: unknown) => e,
    )) as Error & { code?: string; retryable?: boolean };
    expect(err.message).toBe(
      'the test thread ran out of memory (its heap is capped at 32 MB) and was stopped',
    );
    expect(err.code).toBe('THREAD_OUT_OF_MEMORY');
    expect(err.retryable).toBeUndefined();
  });

  it('terminates a busy thread when the signal aborts, and rejects with the signal reason', async () => {
    const controller = new AbortController();
    let worker: Worker | undefined;
    const running = task(
      { action: 'spin' },
      {
        signal: controller.signal,
        onStart: (w) => (worker = w),
        onMessage: (m) => {
          if ((m as { t: string }).t === 'started') controller.abort(new Error('time limit of 1 s passed'));
        },
      },
    );
    const exit = exited(worker!);
    await expect(running).rejects.toThrow('time limit of 1 s passed');
    // the spinning thread never ends by itself: an exit means it was terminated
    await expect(exit).resolves.toBe(1);
  });

  it('starts no thread when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    let started = false;
    await expect(
      task({ action: 'echo', value: 1 }, { signal: controller.signal, onStart: () => (started = true) }),
    ).rejects.toThrow('shutting down');
    expect(started).toBe(false);
  });

  it('ends the task with the error of a failing message handler, and stops the thread', async () => {
    let worker: Worker | undefined;
    const running = task(
      { action: 'progress' },
      {
        onStart: (w) => (worker = w),
        onMessage: async () => {
          throw new Error('progress could not be stored');
        },
      },
    );
    const exit = exited(worker!);
    await expect(running).rejects.toThrow('progress could not be stored');
    await expect(exit).resolves.toBe(1);
  });

  it('turns any thrown value into the plain form a thread posts', () => {
    const e = Object.assign(new TypeError('bad'), {
      code: 'BAD',
      retryable: true,
      errors: [{ field: 'x', message: 'y' }],
    });
    expect(threadError(e)).toMatchObject({
      name: 'TypeError',
      message: 'bad',
      code: 'BAD',
      retryable: true,
      errors: [{ field: 'x', message: 'y' }],
    });
    expect(threadError('text')).toEqual({ name: 'Error', message: 'text' });
  });
});
