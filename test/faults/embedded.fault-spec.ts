import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import request from 'supertest';
import { makeMeterCsv } from '../bench/make-meter-csv';
import {
  Account,
  Body,
  Expected,
  Sql,
  allEnded,
  createMeter,
  getImport,
  outcome,
  signupWithSite,
  upload,
  uploadFilesLeft,
} from './halve';
import { Proc, cleanup, halveEnv, startApi, tempDir, until } from './processes';

/**
 * Issue 14's embedded fault: `npm start` without DATABASE_URL or REDIS_URL (PGlite in the data folder,
 * jobs in the API process) killed with SIGKILL during an import, then started again on the same folder.
 * The 202-acknowledged import must end `succeeded` with exactly the file's readings (the embedded
 * start-up reaps every running job at once: whatever it finds running was left by a process that is
 * gone), rollups equal to readings, and no upload file left. Always runs (project faults-embedded);
 * DATABASE_URL and REDIS_URL are removed from the API's environment.
 */

const ROWS = Number(process.env.HALVE_FAULT_EMBEDDED_ROWS ?? 300_000);
const START_MS = Date.UTC(2011, 0, 1);
/** 20 min: longer than every wait below. */
const LEASE_MS = 1_200_000;

describe('faults on the embedded path: the API killed mid-import and started again', () => {
  let dataDir: string;
  let logDir: string;
  let env: NodeJS.ProcessEnv;
  let file: string;
  let expected: Expected;
  let api: { proc: Proc; url: string } | undefined;
  let db: PGlite | undefined;

  beforeAll(async () => {
    dataDir = tempDir('embedded');
    logDir = tempDir('embedded-logs');
    file = join(tempDir('embedded-files'), 'meter.csv');
    // The generator sums the values as it writes them: the expected figures do not come from the importer.
    const made = await makeMeterCsv(file, { rows: ROWS, startMs: START_MS });
    expected = { rows: made.rows, milli: Math.round(made.sumKwh * 1000) };
    // A lease far longer than the test may wait: only the start-up's reap of every running job (not an
    // expired lease) can bring the killed attempt back within the test's bounds.
    env = halveEnv({ dataDir, queuePrefix: 'unused' }, { HALVE_JOB_LEASE_MS: String(LEASE_MS) });
  }, 120_000);

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await cleanup();
  });

  it('ends the 202-acknowledged import succeeded with exact readings, rollups equal to readings, no upload file left', async () => {
    const logs = () => (api ? `\n--- api (pid ${api.proc.pid}) ---\n${api.proc.tail(40)}` : '');
    try {
      api = await startApi(env, logDir);
      const first: Account = await signupWithSite(api.url);
      const meter = await createMeter(first, 'embedded kill');
      const up = await upload(first, meter, file);
      // While the import holds the embedded database, requests that need it wait; health answers from
      // memory how many jobs this process runs (its database probe is bounded), so it shows the import.
      const jobsRunning = async (url: string): Promise<number> => {
        const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
        return Number(((await res.json()) as Body).queue?.running ?? 0);
      };
      await until(
        'the import job running in the API',
        async () => ((await jobsRunning(first.url)) > 0 ? true : undefined),
        120_000,
        100,
      );
      // Well into the import (its transaction open, rows loading), and still running when the kill lands.
      await new Promise((r) => setTimeout(r, 2000));
      expect(await jobsRunning(first.url)).toBe(1);
      await api.proc.kill9();

      api = await startApi(env, logDir);
      const restarted = Date.now();
      const again: Account = { ...first, url: api.url };
      const report = await until(
        'the import ending after the restart',
        async () => {
          const body: Body = await getImport(again, up.importId);
          return ['succeeded', 'failed'].includes(body.status) ? body : undefined;
        },
        300_000,
        250,
      );
      console.log(
        `embedded fault (${ROWS} rows): the import ended ${report.status} ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restarted API answered`,
      );
      expect(report).toEqual(expect.objectContaining({ status: 'succeeded', rowsStored: expected.rows }));
      const job = await request(again.url)
        .get(`/api/v1/orgs/${again.orgId}/jobs/${up.jobId}`)
        .set(again.auth)
        .expect(200);
      expect(job.body).toEqual(expect.objectContaining({ status: 'succeeded' }));
      expect(job.body.attempts).toBeGreaterThanOrEqual(2);

      // The embedded database belongs to one process: stop the API, then read it here.
      await api.proc.stop();
      db = await PGlite.create(join(dataDir, 'pglite'));
      await db.exec(`SET TIME ZONE 'UTC'`);
      const sql: Sql = db;
      await allEnded(sql, 1000);
      const o = await outcome(sql, meter, up);
      expect(o).toEqual(
        expect.objectContaining({
          importStatus: 'succeeded',
          jobStatus: 'succeeded',
          rows: expected.rows,
          milli: expected.milli,
          duplicates: 0,
          rollupMismatches: [],
        }),
      );
      expect(uploadFilesLeft(dataDir)).toEqual([]);
    } catch (err) {
      (err as Error).message += logs();
      throw err;
    }
  }, 600_000);
});
