import type { JobStatus } from './jobs.types';
import { nextRunId } from './run-id';

describe('nextRunId', () => {
  const store = (jobs: Record<string, JobStatus>) => async (id: string) =>
    jobs[id] ? { status: jobs[id] } : null;
  const failed = (s: JobStatus) => s === 'failed';

  it('keeps the base id while no run ended as named: the same request gives the same job', async () => {
    expect(await nextRunId(store({}), 'a-1', failed)).toBe('a-1');
    expect(await nextRunId(store({ 'a-1': 'running' }), 'a-1', failed)).toBe('a-1');
    expect(await nextRunId(store({ 'a-1': 'succeeded' }), 'a-1', failed)).toBe('a-1');
  });

  it('numbers a new run after ended ones, skipping every ended retry', async () => {
    expect(await nextRunId(store({ 'a-1': 'failed' }), 'a-1', failed)).toBe('a-1-retry1');
    expect(await nextRunId(store({ 'a-1': 'failed', 'a-1-retry1': 'failed' }), 'a-1', failed)).toBe(
      'a-1-retry2',
    );
    expect(await nextRunId(store({ 'a-1': 'failed', 'a-1-retry1': 'queued' }), 'a-1', failed)).toBe(
      'a-1-retry1',
    );
    const finished = (s: JobStatus) => s === 'failed' || s === 'succeeded';
    expect(await nextRunId(store({ 'a-1': 'succeeded', 'a-1-retry1': 'failed' }), 'a-1', finished)).toBe(
      'a-1-retry2',
    );
  });
});
