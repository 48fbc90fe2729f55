import type { JobStatus, JobView } from './jobs.types';

/**
 * The id for a new run of work whose job id is deterministic (`base`: the work and a fingerprint of its
 * input): `base` while no run under it has ended in a way `ended` names, else the first free of
 * `base-retry1`, `base-retry2`, … — so asking twice for the same thing still gives one job, and asking
 * again after a failure gives a new one, without clock-based ids.
 */
export async function nextRunId(
  find: (id: string) => Promise<Pick<JobView, 'status'> | null>,
  base: string,
  ended: (status: JobStatus) => boolean,
): Promise<string> {
  let id = base;
  for (let retry = 1; ; retry++) {
    const job = await find(id);
    if (!job || !ended(job.status)) return id;
    id = `${base}-retry${retry}`;
  }
}
