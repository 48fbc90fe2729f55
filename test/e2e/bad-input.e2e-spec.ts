import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Body,
  SignedUp,
  TestApp,
  serverMode,
  signup,
  startApp,
  waitFor,
  createSite,
  createMeter,
} from '../support/harness';
import { bombPart, replacePart, zipParts, zipPartsOf } from '../support/zip';

const FIXTURES = join(__dirname, '..', 'fixtures', 'metering');

/**
 * Hostile and broken files through the API: each import ends (failed with its code, or with the row
 * error) well within the wait, and the readings already stored for the meter stay exactly as they were.
 */
describe(`bad input (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let siteId: string;
  let meterId: string;
  let baseline: { count: number; sum: number };

  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;
  /** Uploads and waits for the import's end; a bound well under any job time limit. */
  const upload = async (url: string, name: string, content: Buffer | string): Promise<Body> => {
    const res = await t.http
      .post(api(url))
      .set(a.auth)
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name)
      .expect(202);
    return waitFor(t, api(`/imports/${res.body.importId}`), a.auth, 60_000);
  };
  const stored = async (): Promise<{ count: number; sum: number; values: (number | null)[] }> => {
    const res = await t.http
      .get(api(`/meters/${meterId}/readings?from=2024-01-01&to=2024-02-01`))
      .set(a.auth)
      .expect(200);
    const values = res.body.points.map((p: { value: number | null }) => p.value);
    return {
      count: values.length,
      sum: values.reduce((s: number, v: number | null) => s + (v ?? Number.NaN), 0),
      values,
    };
  };
  const expectUnchanged = async () => {
    const now = await stored();
    expect({ count: now.count, sum: now.sum }).toEqual(baseline);
  };

  beforeAll(async () => {
    // the Green Button cap is lowered so a real 324 KB feed exceeds it (and the setting is seen to reach the parser)
    t = await startApp({ env: { HALVE_IMPORT_MAX_XML: '128kb' } });
    a = await signup(t, 'bad-input');
    siteId = await createSite(t, a);
    meterId = await createMeter(t, a, siteId);
    const rows = Array.from(
      { length: 48 },
      (_, i) => `${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${i + 0.25}`,
    );
    const first = await upload(
      `/meters/${meterId}/imports`,
      'base.csv',
      `timestamp,kWh\n${rows.join('\n')}\n`,
    );
    expect(first).toEqual(expect.objectContaining({ status: 'succeeded', rowsStored: 48 }));
    baseline = { count: 48, sum: Array.from({ length: 48 }, (_, i) => i + 0.25).reduce((s, v) => s + v, 0) };
    await expectUnchanged();
  });
  afterAll(() => t?.close());

  it('refuses a zip bomb (a workbook whose sheet expands to 600 MB) with TOO_LARGE_UNCOMPRESSED, naming the limit and the size', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Readings').addRow(['timestamp', 'kWh']);
    const parts = await zipPartsOf(Buffer.from(await wb.xlsx.writeBuffer()));
    const sheet = 'xl/worksheets/sheet1.xml';
    const bomb = zipParts(
      replacePart(
        parts,
        sheet,
        bombPart(
          sheet,
          '<?xml version="1.0"?><worksheet><sheetData>',
          600 * 1024 * 1024,
          '</sheetData></worksheet>',
        ),
      ),
    );
    const report = await upload(`/meters/${meterId}/imports`, 'bomb.xlsx', bomb);
    expect(report).toEqual(
      expect.objectContaining({ status: 'failed', errorCode: 'TOO_LARGE_UNCOMPRESSED' }),
    );
    expect(report.error).toMatch(
      /expands to 600\.0 MB .*over the limit of 256 MB \(HALVE_IMPORT_MAX_UNCOMPRESSED\)/,
    );
    await expectUnchanged();
  });

  it('ends a workbook truncated at 60 % with TRUNCATED_FILE', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('Readings');
    s.addRow(['timestamp', 'kWh']);
    for (let i = 0; i < 3000; i++) s.addRow([new Date(Date.UTC(2024, 0, 3, i)), Math.sin(i) + 2]);
    const full = Buffer.from(await wb.xlsx.writeBuffer());
    const report = await upload(
      `/meters/${meterId}/imports`,
      'cut.xlsx',
      full.subarray(0, Math.floor(full.length * 0.6)),
    );
    expect(report).toEqual(expect.objectContaining({ status: 'failed', errorCode: 'TRUNCATED_FILE' }));
    expect(report.error).toMatch(/incomplete/);
    await expectUnchanged();
  });

  it('refuses a 50 MB single line with LINE_TOO_LONG naming line 1', async () => {
    const report = await upload(
      `/meters/${meterId}/imports`,
      'one-line.csv',
      Buffer.alloc(50 * 1024 * 1024, '7'),
    );
    expect(report).toEqual(expect.objectContaining({ status: 'failed', errorCode: 'LINE_TOO_LONG' }));
    expect(report.error).toMatch(/^line 1 is longer than 1,048,576 characters/);
    await expectUnchanged();
  });

  it('makes 1e309 a row error naming the line and the value, and stores the rest exactly', async () => {
    const values = ['5', '1e309', 'Infinity', '7', '1', '2', '3', '4', '6', '8'];
    const csv = `timestamp,kWh\n${values.map((v, i) => `2024-01-03T${String(i).padStart(2, '0')}:00:00Z,${v}`).join('\n')}\n`;
    const good = values.filter((v) => Number.isFinite(Number(v))).map(Number);
    const report = await upload(`/meters/${meterId}/imports`, 'inf.csv', csv);
    expect(report).toEqual(
      expect.objectContaining({ status: 'succeeded', rowsStored: good.length, rowsRejected: 2 }),
    );
    expect(report.errors).toEqual([
      { line: 3, message: 'line 3: "1e309" in column "kWh" is not a finite number (too large to store)' },
      { line: 4, message: 'line 4: "Infinity" in column "kWh" is not a finite number' },
    ]);
    const added = good.reduce((s, v) => s + v, 0);
    const now = await stored();
    expect(now.values.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect({ count: now.count, sum: now.sum }).toEqual({
      count: baseline.count + good.length,
      sum: baseline.sum + added,
    });
    const month = await t.http
      .get(api(`/meters/${meterId}/readings?from=2024-01-01&to=2024-02-01&resolution=month`))
      .set(a.auth)
      .expect(200);
    expect(month.body.points).toEqual([expect.objectContaining({ value: baseline.sum + added })]);
    baseline = { count: now.count, sum: now.sum };
  });

  it('refuses 1e309 in a JSON push (400 naming the field), storing nothing', async () => {
    const res = await t.http
      .post(api(`/meters/${meterId}/readings`))
      .set(a.auth)
      .set('Content-Type', 'application/json')
      .send('{"readings":[{"ts":"2024-01-05T00:00:00Z","value":1e309}]}')
      .expect(400);
    expect(JSON.stringify(res.body)).toMatch(/readings\.0\.value/);
    await expectUnchanged();
  });

  it('refuses Green Button XML over HALVE_IMPORT_MAX_XML with TOO_LARGE', async () => {
    const report = await upload(
      `/meters/${meterId}/imports`,
      'feed.xml',
      readFileSync(join(FIXTURES, 'espi-openespi-15min-14days.xml')),
    );
    expect(report).toEqual(expect.objectContaining({ status: 'failed', errorCode: 'TOO_LARGE' }));
    expect(report.error).toMatch(/over 128 KB \(HALVE_IMPORT_MAX_XML\)/);
    await expectUnchanged();
  });

  it('weather: refuses a 50 MB single line with LINE_TOO_LONG, and makes 1e309 a row error', async () => {
    const long = await upload(`/sites/${siteId}/weather`, 'weather.csv', Buffer.alloc(50 * 1024 * 1024, 't'));
    expect(long).toEqual(expect.objectContaining({ status: 'failed', errorCode: 'LINE_TOO_LONG' }));
    expect(long.error).toMatch(/^Line 1 is longer than 1,048,576 characters/);
    const bad = await upload(
      `/sites/${siteId}/weather`,
      'weather.csv',
      'timestamp,temperature\n2024-01-01 00:00,5\n2024-01-01 01:00,1e309\n',
    );
    expect(bad).toEqual(expect.objectContaining({ status: 'succeeded', rowsStored: 1, rowsRejected: 1 }));
    expect(bad.errors).toEqual([
      { line: 3, message: 'line 3: "1e309" in column "temperature" is not a finite number' },
    ]);
  });
});
