import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ForecastingService, activeTrainingThreads } from '@halve/forecasting';
import { RequestContext } from '@halve/platform';
import {
  SignedUp,
  TestApp,
  serverMode,
  signup,
  startApp,
  waitFor,
  createSite,
  createMeter,
} from '../support/harness';

const serena = readFileSync(
  join(__dirname, '..', 'fixtures', 'metering', 'bdg2-robin-office-serena.csv'),
  'utf8',
);

/**
 * Training runs in a worker thread: the process's event loop (the API's requests here, and on the
 * BullMQ path the worker's lock renewal and heartbeat, which share this test process) keeps running
 * while a model trains, and the job's signal stops the thread without writing a version.
 */
describe(`training off the main thread (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let meterId: string;
  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'fc-threads');
    const siteId = await createSite(t, a, { name: 'Office', timezone: 'Europe/London' });
    meterId = await createMeter(t, a, siteId, { name: 'serena-spring' });
    // three months of the BDG2 office: enough for a per-meter model and its backtest
    const lines = serena.trim().split('\n');
    const spring = [lines[0], ...lines.filter((l) => l >= '2017-03-01' && l < '2017-06-01')].join('\n');
    const res = await t.http
      .post(api(`/meters/${meterId}/imports`))
      .set(a.auth)
      .attach('file', Buffer.from(spring), 'spring.csv')
      .expect(202);
    const report = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth);
    expect({ status: report.status, error: report.error }).toEqual({ status: 'succeeded', error: undefined });
  });
  afterAll(() => t?.close());

  it('keeps answering health while a model trains: no event-loop stall near the length of the training', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const train = await t.http
      .post(api(`/meters/${meterId}/models`))
      .set(a.auth)
      .expect(202);
    delay.enable();
    const latencies: number[] = [];
    let sawThread = false;
    let job: { status: string } = { status: 'queued' };
    while (job.status === 'queued' || job.status === 'running') {
      const started = Date.now();
      await t.http.get('/api/v1/health').expect(200);
      latencies.push(Date.now() - started);
      sawThread ||= activeTrainingThreads() > 0;
      job = (
        await t.http
          .get(api(`/jobs/${train.body.jobId}`))
          .set(a.auth)
          .expect(200)
      ).body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    delay.disable();
    expect(job.status).toBe('succeeded');
    const [version] = (
      await t.http
        .get(api(`/meters/${meterId}/models`))
        .set(a.auth)
        .expect(200)
    ).body as { trainSeconds: number; backend: string }[];
    expect(version.backend).toMatch(/wasm|cpu|tensorflow/);
    const trainingMs = version.trainSeconds * 1000;
    // Relative, not absolute: a loop blocked by the training stalls for about the whole training
    // (seconds); a free one for tens of milliseconds, however slow the machine.
    expect(sawThread).toBe(true);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(delay.max / 1e6).toBeLessThan(trainingMs / 4);
    expect(Math.max(...latencies)).toBeLessThan(trainingMs / 4);
    // health reports the backend the training thread used
    const health = await t.http.get('/api/v1/health').expect(200);
    expect(health.body.tfjs).toEqual({ status: 'up', backend: version.backend, loaded: true });
  }, 600_000);

  it('stops the training thread when the job signal aborts, and writes no version', async () => {
    const before = (
      await t.http
        .get(api(`/meters/${meterId}/models`))
        .set(a.auth)
        .expect(200)
    ).body as unknown[];
    const controller = new AbortController();
    const service = t.app.get(ForecastingService);
    let threadSeen = false;
    const run = RequestContext.run({ requestId: 'abort', tenantId: a.orgId }, () =>
      service.handle({
        tenantId: a.orgId,
        jobId: 'aborted-run',
        type: 'forecast-train',
        payload: { meterId },
        attempt: 1,
        maxAttempts: 1,
        signal: controller.signal,
        fence: async () => undefined,
        progress: async (pct) => {
          // the series is read; the thread starts next: stop it once it is training
          if (pct === 10)
            setTimeout(() => {
              threadSeen = activeTrainingThreads() > 0;
              controller.abort(new Error('forecast-train passed its time limit'));
            }, 1000);
        },
      }),
    );
    await expect(run).rejects.toThrow('forecast-train passed its time limit');
    expect(threadSeen).toBe(true);
    expect(activeTrainingThreads()).toBe(0);
    const after = (
      await t.http
        .get(api(`/meters/${meterId}/models`))
        .set(a.auth)
        .expect(200)
    ).body as unknown[];
    expect(after).toEqual(before);
  }, 600_000);
});
