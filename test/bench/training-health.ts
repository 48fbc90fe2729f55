/**
 * /api/v1/health latency (real HTTP over one keep-alive connection, a request every 20 ms) while a
 * load model trains on a year of the BDG2 office with the production budget (BUDGET, default 25 s)
 * in the API process (in-process jobs; embedded PGlite unless DATABASE_URL is set):
 *
 *   node --require ./scripts/swc-register.js test/bench/training-health.ts thread   # POST …/models (a training thread)
 *   node --require ./scripts/swc-register.js test/bench/training-health.ts inline   # the same training task on the main thread (before)
 *   node --require ./scripts/swc-register.js test/bench/training-health.ts idle     # 20 s of nothing
 *
 * Prints one JSON line: requests, errors, p50/p99/max latency (ms), the event loop's max delay.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { genericLoadArtifact, packSeries, runTrainingTask, MeterSeries } from '@halve/forecasting';
import { signup, startApp, waitFor } from '../support/harness';

const mode = process.argv[2] as 'inline' | 'thread' | 'idle';
if (!['inline', 'thread', 'idle'].includes(mode))
  throw new Error('usage: training-health.ts thread|inline|idle');
const budget = Number(process.env.BUDGET ?? 25);
const serena = readFileSync(
  join(__dirname, '..', 'fixtures', 'metering', 'bdg2-robin-office-serena.csv'),
  'utf8',
)
  .trim()
  .split('\n');
const year = [serena[0], ...serena.filter((l) => l.startsWith('2017-'))];

function pct(a: number[], p: number) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

(async () => {
  const t = await startApp({ env: { HALVE_FORECAST_TRAIN_SECONDS: String(budget) } });
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const s = performance.now();
      http
        .get({ host: '127.0.0.1', port, path: '/api/v1/health', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(performance.now() - s));
        })
        .on('error', reject);
    });
  const a = await signup(t, 'bench');
  const api = (p: string) => `/api/v1/orgs/${a.orgId}${p}`;
  const siteId = (
    await t.http
      .post(api('/sites'))
      .set(a.auth)
      .send({ name: 'Office', country: 'GB', timezone: 'Europe/London' })
  ).body.id;
  const meterId = (
    await t.http
      .post(api('/meters'))
      .set(a.auth)
      .send({ siteId, name: 'serena', kind: 'electricity_import', unit: 'kWh', intervalMinutes: 60 })
  ).body.id;
  const imp = await t.http
    .post(api(`/meters/${meterId}/imports`))
    .set(a.auth)
    .attach('file', Buffer.from(year.join('\n')), 'y.csv');
  const rep = await waitFor(t, api(`/imports/${imp.body.importId}`), a.auth);
  if (rep.status !== 'succeeded') throw new Error(JSON.stringify(rep));

  const lat: number[] = [];
  let errors = 0;
  let stop = false;
  const poller = (async () => {
    while (!stop) {
      try {
        lat.push(await get());
      } catch {
        errors++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const started = Date.now();
  if (mode === 'inline') {
    const values = year.slice(1).map((l) => Number(l.split(',')[1] || NaN));
    const series: MeterSeries = {
      startMs: Date.UTC(2017, 0, 1),
      intervalMinutes: 60,
      valuesKwh: values,
      timeZone: 'Europe/London',
      countryCode: 'GB',
    };
    await new Promise((r) => setTimeout(r, 200));
    await runTrainingTask(
      {
        kind: 'load',
        series: packSeries(series),
        genericArtifact: genericLoadArtifact() ?? undefined,
        hyperParameters: { timeBudgetSeconds: budget },
      },
      () => undefined,
    );
  } else if (mode === 'thread') {
    const job = await t.http.post(api(`/meters/${meterId}/models`)).set(a.auth);
    const end = await waitFor(t, api(`/jobs/${job.body.jobId}`), a.auth, 900_000);
    if (end.status !== 'succeeded') throw new Error(JSON.stringify(end));
  } else {
    await new Promise((r) => setTimeout(r, 20_000));
  }
  const seconds = (Date.now() - started) / 1000;
  stop = true;
  await poller;
  h.disable();
  console.log(
    JSON.stringify({
      mode,
      budget,
      seconds,
      requests: lat.length,
      errors,
      p50: +pct(lat, 50).toFixed(1),
      p99: +pct(lat, 99).toFixed(1),
      max: +Math.max(...lat).toFixed(1),
      loopMaxMs: +(h.max / 1e6).toFixed(1),
    }),
  );
  agent.destroy();
  await t.close();
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
