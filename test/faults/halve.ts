/**
 * What a fault suite does through Halve's HTTP API (sign up, a site and meters, uploads, polling), and
 * what it checks in the database afterwards, independently of the importer: every job and import
 * ended, readings exactly the file's (count and sum in thousandths of a kWh), no duplicate, hour, day
 * and month rollups equal to the readings bucket by bucket, no upload file left.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { uploadDirs } from '@halve/metering';
import { GiveUp, until } from './processes';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON response body; tests check its shape with assertions
export type Body = Record<string, any>;

/** Runs SQL: a pg Client on PostgreSQL, PGlite on the embedded path. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Account {
  url: string;
  orgId: string;
  auth: { Authorization: string };
  siteId: string;
}

export async function signupWithSite(url: string): Promise<Account> {
  const email = `fault-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  const res = await request(url)
    .post('/api/v1/auth/signup')
    .send({
      email,
      password: 'correct horse battery staple',
      name: 'Fault tester',
      organizationName: 'Faults Ltd',
      country: 'GB',
      timezone: 'UTC',
    })
    .expect(201);
  const auth = { Authorization: `Bearer ${res.body.accessToken}` };
  const orgId: string = res.body.organization.id;
  // UTC: the file's wall-clock times are the readings' instants, and rollup buckets are UTC hours, days, months.
  const site = await request(url)
    .post(`/api/v1/orgs/${orgId}/sites`)
    .set(auth)
    .send({ name: 'Plant', country: 'GB', timezone: 'UTC' })
    .expect(201);
  return { url, orgId, auth, siteId: site.body.id };
}

export async function createMeter(a: Account, name: string): Promise<string> {
  const res = await request(a.url)
    .post(`/api/v1/orgs/${a.orgId}/meters`)
    .set(a.auth)
    .send({ siteId: a.siteId, name, unit: 'kWh', kind: 'electricity_import', intervalMinutes: 15 })
    .expect(201);
  return res.body.id;
}

export interface Upload {
  importId: string;
  jobId: string;
  /** how long the API took to answer 202 */
  answeredInMs: number;
}

/** POSTs the file as a meter import; expects 202. */
export async function upload(a: Account, meterId: string, file: string): Promise<Upload> {
  const started = Date.now();
  const res = await request(a.url)
    .post(`/api/v1/orgs/${a.orgId}/meters/${meterId}/imports`)
    .set(a.auth)
    .attach('file', file, 'meter.csv');
  const answeredInMs = Date.now() - started;
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { importId: res.body.importId, jobId: res.body.jobId, answeredInMs };
}

export async function getImport(a: Account, importId: string): Promise<Body> {
  const res = await request(a.url)
    .get(`/api/v1/orgs/${a.orgId}/imports/${importId}`)
    .set(a.auth)
    .timeout(5000);
  if (res.status !== 200) throw new Error(`GET import answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface JobRow {
  status: string;
  attempts: number;
  progress: number;
  error: string | null;
  lease_owner: string | null;
}

export async function jobRow(sql: Sql, jobId: string): Promise<JobRow> {
  const { rows } = await sql.query<JobRow>(
    'SELECT status, attempts, progress, error, lease_owner FROM jobs WHERE id = $1',
    [jobId],
  );
  if (!rows[0]) throw new Error(`no job row ${jobId}`);
  return rows[0];
}

/**
 * Waits until the import's job runs attempt `minAttempt` (or a later one) and that attempt has written
 * progress (the COPY is streaming): progress moves from what the row showed when the attempt began.
 */
export async function midImport(sql: Sql, up: Upload, minAttempt = 1, timeoutMs = 120_000): Promise<JobRow> {
  const begun = await until(
    `import ${up.importId}: attempt ${minAttempt} running`,
    async () => {
      const job = await jobRow(sql, up.jobId);
      return job.status === 'running' && job.attempts >= minAttempt ? job : undefined;
    },
    timeoutMs,
    50,
  );
  return until(
    `import ${up.importId}: attempt ${begun.attempts} writing progress`,
    async () => {
      const job = await jobRow(sql, up.jobId);
      if (job.status !== 'running' || job.attempts !== begun.attempts)
        throw new GiveUp(`the attempt ended before it showed progress: ${JSON.stringify(job)}`);
      const { rows } = await sql.query<{ status: string }>('SELECT status FROM imports WHERE id = $1', [
        up.importId,
      ]);
      return job.progress > 0 && job.progress !== begun.progress && rows[0]?.status === 'running'
        ? job
        : undefined;
    },
    timeoutMs,
    50,
  );
}

/**
 * Waits until the job is no longer held by `owner` (a process that is gone): the reaper re-queued or
 * failed it, or another process took it. Returns how long that took.
 */
export async function takenBack(sql: Sql, jobId: string, owner: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await until(
    `job ${jobId} taken back from ${owner}`,
    async () => {
      const job = await jobRow(sql, jobId);
      return job.status !== 'running' || job.lease_owner !== owner ? true : undefined;
    },
    timeoutMs,
    100,
  );
  return Date.now() - started;
}

/** GET with a time limit: the status, the body, the Retry-After header and how long the answer took. */
export async function timedGet(url: string, auth: Record<string, string> = {}, timeoutMs = 10_000) {
  const started = Date.now();
  const res = await fetch(url, { headers: auth, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    body = { text };
  }
  return {
    status: res.status,
    body,
    retryAfter: res.headers.get('retry-after'),
    contentType: res.headers.get('content-type'),
    ms: Date.now() - started,
  };
}

/** Waits until no job and no import is queued or running; returns how long that took. */
export async function allEnded(sql: Sql, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await until(
    'every job and import succeeded or failed',
    async () => {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM jobs WHERE status NOT IN ('succeeded', 'failed'))
              + (SELECT count(*) FROM imports WHERE status NOT IN ('succeeded', 'failed')) AS n`,
      );
      return Number(rows[0].n) === 0 ? true : undefined;
    },
    timeoutMs,
    250,
  );
  return Date.now() - started;
}

export interface Expected {
  rows: number;
  /** the file's sum in thousandths of a kWh (the file has 3 decimals) */
  milli: number;
}

export interface Outcome {
  importStatus: string;
  importError: string | null;
  jobStatus: string;
  jobAttempts: number;
  jobError: string | null;
  rows: number;
  milli: number;
  duplicates: number;
  /** rollup buckets (h, d, m) whose count or value differs from the readings' */
  rollupMismatches: { resolution: string; bucket: string; readings: string | null; rollup: string | null }[];
}

/** What the database holds for one import into a meter that had no readings before it. */
export async function outcome(sql: Sql, meterId: string, up: Upload): Promise<Outcome> {
  const imp = (
    await sql.query<{ status: string; error: string | null }>(
      'SELECT status, error FROM imports WHERE id = $1',
      [up.importId],
    )
  ).rows[0];
  const job = await jobRow(sql, up.jobId);
  const r = (
    await sql.query<{ n: string; milli: string | null; distinct_ts: string }>(
      `SELECT count(*) AS n, sum(round(value * 1000)::bigint) AS milli, count(DISTINCT ts) AS distinct_ts FROM readings WHERE meter_id = $1`,
      [meterId],
    )
  ).rows[0];
  const mismatches: Outcome['rollupMismatches'] = [];
  for (const [resolution, unit] of [
    ['h', 'hour'],
    ['d', 'day'],
    ['m', 'month'],
  ]) {
    const { rows } = await sql.query<{ bucket: string; readings: string | null; rollup: string | null }>(
      `WITH r AS (
         SELECT date_trunc('${unit}', ts AT TIME ZONE 'UTC') AS b, count(*)::int AS c, sum(value) AS v FROM readings WHERE meter_id = $1 GROUP BY 1),
       u AS (
         SELECT bucket AT TIME ZONE 'UTC' AS b, count AS c, value AS v FROM reading_rollups WHERE meter_id = $1 AND resolution = '${resolution}')
       SELECT coalesce(r.b, u.b)::text AS bucket, r.c || ' / ' || r.v AS readings, u.c || ' / ' || u.v AS rollup
         FROM r FULL JOIN u ON r.b = u.b
        WHERE r.c IS DISTINCT FROM u.c OR r.v IS NULL OR u.v IS NULL OR abs(r.v - u.v) > 1e-6 * greatest(1, abs(r.v))
        LIMIT 5`,
      [meterId],
    );
    mismatches.push(...rows.map((x) => ({ resolution, ...x })));
  }
  return {
    importStatus: imp.status,
    importError: imp.error,
    jobStatus: job.status,
    jobAttempts: job.attempts,
    jobError: job.error,
    rows: Number(r.n),
    milli: Number(r.milli ?? 0),
    duplicates: Number(r.n) - Number(r.distinct_ts),
    rollupMismatches: mismatches,
  };
}

/** Files left in the upload folders (receiving and stored, as the app names them) of a data folder. */
export function uploadFilesLeft(dataDir: string): string[] {
  const out: string[] = [];
  const dirs = uploadDirs({ dataDir });
  for (const dir of [dirs.receiving, dirs.stored]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    out.push(...names.map((n) => join(dir, n)));
  }
  return out;
}
