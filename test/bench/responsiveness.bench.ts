/**
 * Responsiveness benchmark (issue 14): does the embedded default (`npm start`: PGlite, in-process jobs)
 * keep answering while it works? A keep-alive client polls `GET /api/v1/health` every ~50 ms and
 * records each answer's latency, its status, and every failed request (a reset or dropped connection,
 * a timeout), in three phases of one run:
 *   idle      — nothing else happens (the reference);
 *   import    — a 1,000,000-row, 15-minute meter CSV (make-meter-csv.ts) uploaded and imported, and
 *               the jobs the import sets off (the site's saving analysers) run;
 *   training  — a forecasting model trained on a real building year (BDG2 office, hourly, 2017).
 * Target: during the import and the training, p99 < 250 ms and no failed request.
 *
 *   npm run bench:responsiveness -- [--rows 1000000] [--idle-seconds 10] [--json FILE]
 *
 * Needs a built app (`npm run build`; the npm script does it) and curl. The server runs as `npm start`
 * runs it (bench-server.ts), on a data folder of its own; HALVE_FORECAST_TRAIN_SECONDS and other
 * settings pass through from the environment (defaults as `npm start`'s).
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BenchOrg,
  createMeter,
  freePort,
  importFile,
  json,
  rssMb,
  signupBench,
  startServer,
} from './bench-server';
import { makeMeterCsv } from './make-meter-csv';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(opt('rows', '1000000'));
const IDLE_SECONDS = Number(opt('idle-seconds', '10'));
const POLL_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;
const TARGET_P99_MS = 250;
const PHASES = ['idle', 'import', 'training'] as const;
type Phase = (typeof PHASES)[number];

interface PhaseStats {
  phase: Phase;
  seconds: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** failed requests by cause (ECONNRESET, socket hang up, timeout, …): no HTTP answer at all */
  failed: Record<string, number>;
  /** answers other than 200, by status */
  notOk: Record<string, number>;
}

/** The health poller: one keep-alive connection (as a monitoring agent or a browser keeps), a request every POLL_MS. */
class HealthPoller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly latencies = new Map<Phase, number[]>(PHASES.map((p) => [p, []]));
  private readonly failed = new Map<Phase, Record<string, number>>(PHASES.map((p) => [p, {}]));
  private readonly notOk = new Map<Phase, Record<string, number>>(PHASES.map((p) => [p, {}]));
  private readonly spans = new Map<Phase, { from: number; to: number }>();
  private phase: Phase | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly port: number) {}

  start(): void {
    this.loop = this.run();
  }

  begin(phase: Phase): void {
    this.phase = phase;
    this.spans.set(phase, { from: Date.now(), to: Date.now() });
  }

  end(): void {
    if (this.phase) this.spans.get(this.phase)!.to = Date.now();
    this.phase = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.agent.destroy();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const phase = this.phase;
      const started = performance.now();
      const outcome = await this.get();
      const ms = performance.now() - started;
      if (phase) {
        if ('error' in outcome) {
          const f = this.failed.get(phase)!;
          f[outcome.error] = (f[outcome.error] ?? 0) + 1;
        } else {
          this.latencies.get(phase)!.push(ms);
          if (outcome.status !== 200) {
            const n = this.notOk.get(phase)!;
            n[outcome.status] = (n[outcome.status] ?? 0) + 1;
          }
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (performance.now() - started))));
    }
  }

  private get(): Promise<{ status: number } | { error: string }> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/api/v1/health',
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: `no answer in ${REQUEST_TIMEOUT_MS} ms` })),
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      req.end();
    });
  }

  stats(phase: Phase): PhaseStats {
    const sorted = [...this.latencies.get(phase)!].sort((a, b) => a - b);
    const pct = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
    const span = this.spans.get(phase) ?? { from: 0, to: 0 };
    const failed = this.failed.get(phase)!;
    return {
      phase,
      seconds: (span.to - span.from) / 1000,
      requests: sorted.length + Object.values(failed).reduce((a, b) => a + b, 0),
      p50: pct(0.5),
      p95: pct(0.95),
      p99: pct(0.99),
      max: sorted.length ? sorted[sorted.length - 1] : NaN,
      failed,
      notOk: this.notOk.get(phase)!,
    };
  }
}

/**
 * Waits until the organisation has had no queued or running job for QUIET_MS: an import's follow-up
 * jobs (the site's saving analysers) are queued by a listener after the import's own job has ended.
 */
const QUIET_MS = 2000;
async function settle(org: BenchOrg): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const jobs = (await json(`${org.base}/orgs/${org.orgId}/jobs`, { token: org.token })) as unknown as {
      status: string;
    }[];
    if (jobs.some((j) => j.status === 'queued' || j.status === 'running')) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('jobs still running after 10 minutes');
}

async function train(org: BenchOrg, meterId: string): Promise<Record<string, unknown>> {
  const { base, orgId, token } = org;
  const { jobId } = await json(`${base}/orgs/${orgId}/meters/${meterId}/models`, { method: 'POST', token });
  for (;;) {
    const job = await json(`${base}/orgs/${orgId}/jobs/${jobId}`, { token });
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const f = (ms: number) => (Number.isNaN(ms) ? '—' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ') || '0';

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'halve-bench-resp-'));
  const results: Record<string, unknown> = { rows: ROWS, pollMs: POLL_MS, targetP99Ms: TARGET_P99_MS };
  try {
    console.log(
      `Responsiveness benchmark: embedded server (PGlite, in-process jobs), ${ROWS.toLocaleString()}-row import, one training`,
    );
    const csv = join(work, 'meter.csv');
    // Ends before today (no future timestamps): 1,000,000 quarter-hours are about 28.5 years.
    const made = await makeMeterCsv(csv, { rows: ROWS, startMs: Date.UTC(1996, 0, 1) });
    // A real building year to train on: the BDG2 office of the forecasting suite, 2017 (hourly).
    const serena = readFileSync(
      join(__dirname, '..', 'fixtures', 'metering', 'bdg2-robin-office-serena.csv'),
      'utf8',
    )
      .trim()
      .split('\n');
    const year = join(work, 'serena-2017.csv');
    writeFileSync(year, [serena[0], ...serena.filter((l) => l.startsWith('2017-'))].join('\n') + '\n');

    const port = await freePort();
    const server = await startServer(
      { DATABASE_URL: '', REDIS_URL: '', HALVE_DATA_DIR: join(work, 'data') },
      port,
    );
    const poller = new HealthPoller(port);
    try {
      console.log(
        `  server RSS after start-up: ${rssMb(server.pid!, 'VmRSS').toFixed(0)} MB; file ${(made.bytes / 1e6).toFixed(1)} MB`,
      );
      const org = await signupBench(port);
      const trainMeter = await createMeter(org, {
        name: 'Office (BDG2 2017)',
        timezone: 'Europe/London',
        intervalMinutes: 60,
      });
      await importFile(org, trainMeter, year);
      const bigMeter = await createMeter(org, { name: 'Bench meter' });
      await settle(org);
      poller.start();

      poller.begin('idle');
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      poller.end();

      // the import phase lasts until the jobs an import sets off (the site's saving analysers) are done too
      poller.begin('import');
      const importStarted = Date.now();
      const imported = await importFile(org, bigMeter, csv);
      await settle(org);
      poller.end();
      const followUps = (Date.now() - importStarted - QUIET_MS) / 1000 - imported.seconds;
      console.log(
        `  import: ${imported.seconds.toFixed(1)} s (then ${followUps.toFixed(1)} s of follow-up jobs), ${Number(imported.report.rowsStored).toLocaleString()} rows stored; phases (ms) ${JSON.stringify((imported.job.result as { timingsMs?: unknown })?.timingsMs)}`,
      );
      results.import = {
        seconds: imported.seconds,
        followUpSeconds: followUps,
        rowsStored: imported.report.rowsStored,
      };

      poller.begin('training');
      const trainStarted = Date.now();
      const job = await train(org, trainMeter);
      poller.end();
      const trainSeconds = (Date.now() - trainStarted) / 1000;
      console.log(
        `  training: ${trainSeconds.toFixed(1)} s, job ${job.status}${job.status === 'failed' ? ` (${JSON.stringify(job.error)})` : ''}`,
      );
      results.training = { seconds: trainSeconds, status: job.status };
      results.peakRssMb = rssMb(server.pid!);
    } finally {
      await poller.stop();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }

    const stats = PHASES.map((p) => poller.stats(p));
    const idle = stats[0];
    console.log('');
    console.log(`  GET /api/v1/health, one keep-alive connection, every ${POLL_MS} ms (latency in ms)`);
    console.log(
      '  phase      seconds  requests   p50     p95     p99     max   p99/idle  failed (no answer)   not 200',
    );
    for (const s of stats) {
      console.log(
        `  ${s.phase.padEnd(9)} ${s.seconds.toFixed(1).padStart(8)} ${String(s.requests).padStart(9)} ${f(s.p50).padStart(6)} ${f(s.p95).padStart(7)} ${f(s.p99).padStart(7)} ${f(s.max).padStart(7)} ${`${(s.p99 / idle.p99).toFixed(1)}×`.padStart(9)}  ${counts(s.failed).padEnd(20)} ${counts(s.notOk)}`,
      );
    }
    const verdicts = stats.slice(1).map((s) => {
      const failures = Object.values(s.failed).reduce((a, b) => a + b, 0);
      const ok = s.p99 < TARGET_P99_MS && failures === 0;
      return { phase: s.phase, ok, p99: s.p99, failures };
    });
    console.log('');
    for (const v of verdicts) {
      console.log(
        `  ${v.phase}: ${v.ok ? 'meets' : 'MISSES'} the target (p99 ${f(v.p99)} ms < ${TARGET_P99_MS} ms, ${v.failures} failed requests = 0)`,
      );
    }
    results.phases = stats;
    results.meetsTarget = verdicts.every((v) => v.ok);
    const out = opt('json', '');
    if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
