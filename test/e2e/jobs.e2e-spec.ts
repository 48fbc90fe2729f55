import { Injectable, Module } from '@nestjs/common';
import { Db, JobContext, JobProcessor, JobStoppedError, JobsService, RequestContext } from '@halve/platform';
import { Body, SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * The job machinery's promises (docs/adr/0004-jobs.md): the row is the truth, a dispatcher hands
 * queued rows to the queue whatever the queue lost, a lease and a reaper end the jobs of a process
 * that is gone, an attempt has a time limit, and a retry says when it runs. Kills of real processes
 * are in test/faults; here the same states are made directly in the rows.
 */

const seen: { type: string; attempt: number; note?: string }[] = [];
const failedHook: { tenantId: string; payload: Record<string, unknown>; error: string }[] = [];
const stealable = new Map<string, () => void>();

@Injectable()
@JobProcessor('jobs-echo', { retry: 'standard' })
class EchoJob {
  async handle(ctx: JobContext<{ value: string }>) {
    seen.push({ type: ctx.type, attempt: ctx.attempt });
    return { echo: ctx.payload.value, attempt: ctx.attempt };
  }
  async onFailed(tenantId: string, payload: Record<string, unknown>, error: string) {
    failedHook.push({ tenantId, payload, error });
  }
}

@Injectable()
@JobProcessor('jobs-hang', { retry: 'standard', timeLimitSeconds: 1 })
class HangJob {
  async handle(ctx: JobContext) {
    // Work that only stops when told to: the runner's time limit aborts the signal.
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    seen.push({ type: ctx.type, attempt: ctx.attempt, note: (ctx.signal.reason as JobStoppedError).code });
    throw ctx.signal.reason;
  }
  async onFailed(tenantId: string, payload: Record<string, unknown>, error: string) {
    failedHook.push({ tenantId, payload, error });
  }
}

@Injectable()
@JobProcessor('jobs-flaky', { retry: 'standard' })
class FlakyJob {
  async handle(ctx: JobContext) {
    seen.push({ type: ctx.type, attempt: ctx.attempt });
    if (ctx.attempt === 1) throw new Error('the first attempt always fails');
    return { ok: ctx.attempt };
  }
}

@Injectable()
@JobProcessor('jobs-fenced', { retry: 'standard' })
class FencedJob {
  constructor(private readonly db: Db) {}
  async handle(ctx: JobContext) {
    if (ctx.attempt > 1) return { attempt: ctx.attempt };
    // Waits until the test has taken the lease away, then tries to commit its work.
    await new Promise<void>((resolve) => stealable.set(ctx.jobId, resolve));
    try {
      await this.db.tenant(async (em) => {
        await em.query(
          `UPDATE jobs SET result = '{"written":"by the stale attempt"}' WHERE tenant_id = $1 AND id = $2`,
          [ctx.tenantId, ctx.jobId],
        );
        await ctx.fence(em);
      }, ctx.tenantId);
      seen.push({ type: ctx.type, attempt: ctx.attempt, note: 'committed' });
    } catch (err) {
      seen.push({ type: ctx.type, attempt: ctx.attempt, note: (err as JobStoppedError).code });
      throw err;
    }
    return { attempt: ctx.attempt };
  }
}

@Module({ providers: [EchoJob, HangJob, FlakyJob, FencedJob] })
class TestJobsModule {}

describe(`jobs: outbox, lease, reaper, time limit (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let db: Db;

  beforeAll(async () => {
    t = await startApp({
      extra: [TestJobsModule],
      env: {
        HALVE_JOB_POLL_MS: '100',
        HALVE_JOB_REAPER_MS: '200',
        HALVE_JOB_LEASE_MS: '1500',
        HALVE_JOB_BACKOFF_MS: '1200',
      },
    });
    a = await signup(t, 'jobs');
    db = t.app.get(Db);
  });
  afterAll(() => t?.close());

  const row = async (id: string) =>
    (
      await db.system((em) => em.query('SELECT * FROM jobs WHERE tenant_id = $1 AND id = $2', [a.orgId, id]))
    )[0] as Body;
  const until = async (id: string, ok: (r: Body) => boolean, timeoutMs = 30_000): Promise<Body> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await row(id);
      if (r && ok(r)) return r;
      if (Date.now() > deadline)
        throw new Error(`job ${id} did not reach the expected state: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  /** A job row written directly, as a process that is gone (or a queue that lost it) left it; `sql` maps columns to SQL expressions. */
  const insert = (id: string, type: string, sql: Record<string, string>) =>
    db.system((em) =>
      em.query(
        `INSERT INTO jobs (tenant_id, id, type, max_attempts, payload, ${Object.keys(sql).join(', ')})
         VALUES ($1, $2, $3, 3, '{"value":"x"}', ${Object.values(sql).join(', ')})`,
        [a.orgId, id, type],
      ),
    );
  const crashed = (owner: string, attempts: number) => ({
    status: "'running'",
    attempts: String(attempts),
    lease_owner: `'${owner}'`,
    lease_until: "now() - interval '5 seconds'",
  });

  it('delivers a queued row that no queue holds (Redis emptied, a process restarted)', async () => {
    // A committed row the queue never saw: the outbox dispatcher finds it and hands it over.
    await insert('jobs-orphan-1', 'jobs-echo', { status: "'queued'" });
    const done = await until('jobs-orphan-1', (r) => r.status === 'succeeded');
    expect(done.attempts).toBe(1);
    expect(done.result).toEqual({ echo: 'x', attempt: 1 });
    expect(done.lease_owner).toBeNull();
  });

  it('re-queues a running job whose process is gone (lease expired) and runs it again', async () => {
    await insert('jobs-crashed-1', 'jobs-echo', crashed('gone-host:1:dead', 1));
    const done = await until('jobs-crashed-1', (r) => r.status === 'succeeded');
    expect(done.attempts).toBe(2);
    expect(done.result).toEqual({ echo: 'x', attempt: 2 });
  });

  it('fails a job whose last attempt’s process is gone, naming why, and runs its handler’s onFailed', async () => {
    await insert('jobs-crashed-2', 'jobs-echo', crashed('gone-host:2:dead', 3));
    const done = await until('jobs-crashed-2', (r) => r.status === 'failed');
    expect(done.error).toMatch(
      /attempt 3 of 3 stopped without finishing: its process \(gone-host:2:dead\) crashed, was killed or stopped renewing its lease/,
    );
    expect(done.finished_at).not.toBeNull();
    const deadline = Date.now() + 5000;
    while (
      !failedHook.some((f) => f.payload.value === 'x' && /gone-host:2/.test(f.error)) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    expect(failedHook).toEqual(
      expect.arrayContaining([expect.objectContaining({ tenantId: a.orgId, error: done.error })]),
    );
  });

  it('stops an attempt at its time limit and fails the job with a clear message', async () => {
    const job = await RequestContext.run({ requestId: 't', tenantId: a.orgId }, () =>
      t.app.get(JobsService).enqueue('jobs-hang', {}, { jobId: 'jobs-hang-1' }),
    );
    const done = await until(job.id, (r) => r.status === 'failed');
    expect(done.attempts).toBe(1);
    expect(done.error).toBe("TIME_LIMIT: the attempt ran longer than the job's time limit of 1 s");
    const deadline = Date.now() + 5000;
    while (!seen.some((s) => s.type === 'jobs-hang') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(expect.arrayContaining([{ type: 'jobs-hang', attempt: 1, note: 'TIME_LIMIT' }]));
    expect(failedHook.some((f) => f.error === done.error)).toBe(true);
  });

  it('says when a failed attempt runs again, then runs it', async () => {
    const job = await RequestContext.run({ requestId: 't', tenantId: a.orgId }, () =>
      t.app.get(JobsService).enqueue('jobs-flaky', {}, { jobId: 'jobs-flaky-1' }),
    );
    const waiting = await until(job.id, (r) => r.status === 'queued' && r.attempts === 1);
    expect(waiting.error).toMatch(
      /^attempt 1 of 3 failed: the first attempt always fails; next attempt at \d{4}-\d\d-\d\dT/,
    );
    const next = Date.parse(/next attempt at (\S+)$/.exec(waiting.error)![1]);
    const view = (await t.http.get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`).set(a.auth).expect(200)).body;
    expect(view).toEqual(
      expect.objectContaining({
        status: 'queued',
        attempts: 1,
        maxAttempts: 3,
        nextAttemptAt: expect.any(String),
      }),
    );
    expect(Math.abs(Date.parse(view.nextAttemptAt) - next)).toBeLessThan(1000);
    const done = await until(job.id, (r) => r.status === 'succeeded');
    expect(done.attempts).toBe(2);
    // the retry waited for its backoff (1.2 s), measured on the database's clock
    expect(new Date(done.started_at).getTime()).toBeGreaterThanOrEqual(next - 1000);
  });

  it('an attempt that lost its lease cannot commit its work (fencing), and the job still ends', async () => {
    const job = await RequestContext.run({ requestId: 't', tenantId: a.orgId }, () =>
      t.app.get(JobsService).enqueue('jobs-fenced', {}, { jobId: 'jobs-fenced-1' }),
    );
    await until(job.id, (r) => r.status === 'running' && stealable.has(job.id));
    // Another process "takes over": the lease is no longer this attempt's.
    await db.system((em) =>
      em.query(
        `UPDATE jobs SET lease_owner = 'thief:1:x', lease_until = now() - interval '1 second' WHERE tenant_id = $1 AND id = $2`,
        [a.orgId, job.id],
      ),
    );
    stealable.get(job.id)!();
    const done = await until(job.id, (r) => r.status === 'succeeded');
    expect(seen).toEqual(expect.arrayContaining([{ type: 'jobs-fenced', attempt: 1, note: 'LEASE_LOST' }]));
    expect(seen).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'jobs-fenced', note: 'committed' })]),
    );
    // The stale attempt's write rolled back; the reaper re-queued the job and attempt 2 finished it.
    expect(done.attempts).toBe(2);
    expect(done.result).toEqual({ attempt: 2 });
  });
});
