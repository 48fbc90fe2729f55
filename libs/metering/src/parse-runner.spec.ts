import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParseJob, ParseMessage } from './parse-job';
import { ConfigError, loadConfig } from '@halve/platform';
import { DEFAULT_PARSE_LIMITS } from './import/parse-limits';
import { importParseLimits, runParseJob, xlsxDeclaredBytes } from './parse-runner';
import { bombPart, zipParts } from '../../../test/support/zip';

/** A CSV of `rows` hourly readings, written to a fresh folder. */
function csvFile(rows: number): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'halve-parse-runner-'));
  const lines = ['timestamp,kWh'];
  const start = Date.UTC(2000, 0, 1);
  for (let i = 0; i < rows; i++) lines.push(`${new Date(start + i * 3_600_000).toISOString()},${i % 50}`);
  const file = join(dir, 'readings.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, dir };
}

function job(file: string): ParseJob {
  const meterId = randomUUID();
  return {
    kind: 'meter',
    meterId,
    file,
    options: {
      timezone: 'UTC',
      intervalMinutes: 60,
      register: 'interval',
      meterKind: 'electricity_import',
      meterUnit: 'kWh',
      now: new Date('2030-01-01T00:00:00Z'),
    },
    target: {
      mode: 'columns',
      tenantId: randomUUID(),
      importId: randomUUID(),
      meterIds: [meterId],
      hourRollups: false,
    },
  };
}

describe('runParseJob: the job signal stops the parse', () => {
  let dir: string;
  let file: string;
  beforeAll(() => ({ file, dir } = csvFile(200_000)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([true, false])(
    'worker %s: an abort mid-file ends the generator with the signal reason, before the end of the file',
    async (worker) => {
      const controller = new AbortController();
      const reason = new Error('JOB_TIME_LIMIT: the attempt passed its 1800 s time limit');
      const seen: ParseMessage['t'][] = [];
      let caught: unknown;
      try {
        for await (const m of runParseJob(job(file), { worker, signal: controller.signal })) {
          seen.push(m.t);
          // the consumer is slow (a database): the limit passes after the first chunk
          if (seen.length === 1) controller.abort(reason);
        }
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(reason);
      expect(seen[0]).toBe('chunk');
      expect(seen).not.toContain('done');
    },
  );

  it('a worker terminated by the signal leaves no descriptor open on the upload (its space is freed once removed)', async () => {
    const openOn = (path: string) =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      }).length;
    const controller = new AbortController();
    const reason = new Error('stop');
    await expect(
      (async () => {
        for await (const m of runParseJob(job(file), { worker: true, signal: controller.signal }))
          if (m.t === 'chunk') controller.abort(reason);
      })(),
    ).rejects.toBe(reason);
    // termination closes the thread's descriptors; wait for it to finish (not a timing assertion)
    for (let i = 0; i < 100 && openOn(file) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(openOn(file)).toBe(0);
  });

  it('an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    const reason = new Error('lease lost');
    controller.abort(reason);
    await expect(runParseJob(job(file), { worker: true, signal: controller.signal }).next()).rejects.toBe(
      reason,
    );
  });

  it('without an abort the same job runs to its summary (the control)', async () => {
    const controller = new AbortController();
    let done: Extract<ParseMessage, { t: 'done' }> | undefined;
    for await (const m of runParseJob(job(file), { worker: true, signal: controller.signal }))
      if (m.t === 'done') done = m;
    expect(done?.tally.readings).toBe(200_000);
  });
});

describe('importParseLimits: HALVE_IMPORT_MAX_* settings', () => {
  const base = { HALVE_DATA_DIR: 'memory://', HALVE_JWT_SECRET: 'x'.repeat(40) };
  it('defaults to DEFAULT_PARSE_LIMITS and reads sizes and counts', () => {
    expect(importParseLimits(loadConfig(base))).toEqual(DEFAULT_PARSE_LIMITS);
    const set = loadConfig({
      ...base,
      HALVE_IMPORT_MAX_UNCOMPRESSED: '64mb',
      HALVE_IMPORT_MAX_CELLS: '1000000',
      HALVE_IMPORT_MAX_LINE: '64kb',
      HALVE_IMPORT_MAX_XML: '8mb',
    });
    expect(importParseLimits(set)).toEqual({
      maxUncompressedBytes: 64 * 1024 ** 2,
      maxCells: 1_000_000,
      maxLineChars: 64 * 1024,
      maxXmlBytes: 8 * 1024 ** 2,
    });
  });
  it('refuses a bad value at start, naming the variable', () => {
    expect(() => loadConfig({ ...base, HALVE_IMPORT_MAX_LINE: 'long' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HALVE_IMPORT_MAX_CELLS: '-5' })).toThrow(/HALVE_IMPORT_MAX_CELLS/);
    expect(() => loadConfig({ ...base, HALVE_IMPORT_MAX_UNCOMPRESSED: '1tb' })).toThrow(
      /HALVE_IMPORT_MAX_UNCOMPRESSED/,
    );
  });
});

describe('xlsxDeclaredBytes', () => {
  it('reads what a workbook declares it expands to from its zip directory; null for a file that is not a zip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'halve-declared-'));
    try {
      const zip = join(dir, 'a.xlsx');
      writeFileSync(
        zip,
        zipParts([bombPart('xl/worksheets/sheet1.xml', '<worksheet>', 50 * 1024 * 1024, '</worksheet>')]),
      );
      expect(await xlsxDeclaredBytes(zip)).toBe(50 * 1024 * 1024 + '<worksheet></worksheet>'.length);
      const csv = join(dir, 'a.csv');
      writeFileSync(csv, 'timestamp,kWh\n');
      expect(await xlsxDeclaredBytes(csv)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
