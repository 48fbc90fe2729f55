import ExcelJS from 'exceljs';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';
import { ImportsService, uploadDirs } from '@halve/metering';
import { Db } from '@halve/platform';

const FIXTURES = join(__dirname, '..', 'fixtures', 'metering');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Sums a `timestamp,value` CSV independently of the importer, skipping the given line numbers. */
function csvSum(
  text: string,
  skipLines: Set<number>,
  column = 1,
  keep: (timestamp: string) => boolean = () => true,
): { rows: number; sum: number } {
  const lines = text.split(/\r?\n/);
  let rows = 0;
  let sum = 0;
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const lineNo = i + 2;
    const cell = line.split(',')[column];
    if (skipLines.has(lineNo) || cell === undefined || cell === '' || !keep(line.split(',')[0])) return;
    rows++;
    sum += Number(cell);
  });
  return { rows, sum };
}

describe(`metering (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let siteId: string;

  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;
  const createMeter = async (body: Record<string, unknown>, who: SignedUp = a, site = siteId) =>
    (
      await t.http
        .post(`/api/v1/orgs/${who.orgId}/meters`)
        .set(who.auth)
        .send({ siteId: site, unit: 'kWh', kind: 'electricity_import', intervalMinutes: 60, ...body })
        .expect(201)
    ).body;
  const upload = async (
    meterId: string,
    name: string,
    content: Buffer | string,
    fields: Record<string, string> = {},
    who: SignedUp = a,
  ) => {
    const req = t.http
      .post(`/api/v1/orgs/${who.orgId}/meters/${meterId}/imports`)
      .set(who.auth)
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    const res = await req.expect(202);
    expect(res.body).toEqual({ importId: expect.any(String), jobId: expect.any(String) });
    return waitFor(t, `/api/v1/orgs/${who.orgId}/imports/${res.body.importId}`, who.auth);
  };
  const monthTotal = async (meterId: string, from = '2000-01-01', to = '2100-01-01') => {
    const res = await t.http
      .get(api(`/meters/${meterId}/readings?from=${from}&to=${to}&resolution=month`))
      .set(a.auth)
      .expect(200);
    return res.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0);
  };

  beforeAll(async () => {
    // Files from 200 KB up (the real BDG2, wide and steel files) are parsed in the import worker thread, smaller ones inline.
    t = await startApp({ env: { HALVE_UPLOAD_LIMIT: '8mb', HALVE_IMPORT_WORKER_MIN_SIZE: '200kb' } });
    a = await signup(t, 'meter-a');
    b = await signup(t, 'meter-b');
    const site = await t.http
      .post(api('/sites'))
      .set(a.auth)
      .send({
        name: 'London office',
        country: 'GB',
        timezone: 'Europe/London',
        latitude: 51.5,
        longitude: -0.12,
        floorAreaM2: 1200,
        tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.28 },
      })
      .expect(201);
    siteId = site.body.id;
    expect(site.body.gridRegion).toBe('GB');
  });
  afterAll(() => t?.close());

  it('imports a real hourly CSV (BDG2), with counts and sums that match the file, and re-imports idempotently', async () => {
    const meter = await createMeter({ name: 'Main' });
    const text = fixture('bdg2-robin-office-serena.csv').toString('utf8');
    const report = await upload(meter.id, 'serena.csv', text);
    expect(report.status).toBe('succeeded');
    // 456 KB: parsed in the worker thread (the suite's threshold is 200 KB)
    // (the import is succeeded inside the job's transaction; the job's own result is written just after)
    expect((await waitFor(t, api(`/jobs/${report.jobId}`), a.auth)).result).toEqual(
      expect.objectContaining({ parsedIn: 'worker' }),
    );
    const dataLines = text
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim()).length;
    expect(report.rowsRead).toBe(dataLines);
    // Two years of local time in Europe/London: each spring-gap hour is refused, each autumn hour shown once is ambiguous.
    expect(report.rowsRejected).toBe(4);
    expect(report.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /does not exist in Europe\/London/,
    );
    const rejected = new Set<number>(report.errors.map((e: { line: number }) => e.line));
    const expected = csvSum(text, rejected);
    expect(report.rowsStored).toBe(expected.rows);
    expect(report.rowsStored + report.rowsRejected + report.rowsMissing + report.rowsDuplicate).toBe(
      report.rowsRead,
    );
    expect(await monthTotal(meter.id)).toBeCloseTo(expected.sum, 3);
    // Day and hour rollups add up to the same total.
    const days = await t.http
      .get(api(`/meters/${meter.id}/readings?from=2016-01-01&to=2018-01-01&resolution=day`))
      .set(a.auth)
      .expect(200);
    expect(days.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBeCloseTo(
      expected.sum,
      3,
    );
    // Hour rollups (summed by the parser on a first import into PostgreSQL) equal the file's hours.
    const hours = await t.http
      .get(api(`/meters/${meter.id}/readings?from=2016-06-01&to=2016-07-01&resolution=hour`))
      .set(a.auth)
      .expect(200);
    const june = csvSum(text, rejected, 1, (ts) => ts >= '2016-06-01' && ts < '2016-07-01');
    expect(hours.body.points).toHaveLength(june.rows);
    expect(hours.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBeCloseTo(
      june.sum,
      6,
    );
    const raw = await t.http
      .get(api(`/meters/${meter.id}/readings?from=2016-06-01&to=2016-06-02`))
      .set(a.auth)
      .expect(200);
    expect(raw.body.unit).toBe('kWh');
    expect(raw.body.points).toHaveLength(24);
    expect(raw.body.points[0].ts).toBe('2016-05-31T23:00:00.000Z'); // local midnight in BST

    const again = await upload(meter.id, 'serena.csv', text);
    expect(again).toEqual(
      expect.objectContaining({
        status: 'succeeded',
        rowsStored: 0,
        rowsUpdated: 0,
        rowsUnchanged: expected.rows,
      }),
    );
    expect(await monthTotal(meter.id)).toBeCloseTo(expected.sum, 3);

    // An overlapping file with two changed values updates them and says so.
    const overlap =
      'timestamp,kwh\n2016-06-01 00:00:00,1000\n2016-06-01 01:00:00,2000\n2016-06-01 02:00:00,' +
      text
        .split('\n')
        .find((l) => l.startsWith('2016-06-01 02:00'))!
        .split(',')[1] +
      '\n';
    const upd = await upload(meter.id, 'fix.csv', overlap);
    expect(upd).toEqual(expect.objectContaining({ rowsStored: 0, rowsUpdated: 2, rowsUnchanged: 1 }));
    // The overlap rule: a later import replaces the values it carries; an empty cell keeps the stored value.
    const blank = await upload(
      meter.id,
      'blank.csv',
      'timestamp,kwh\n2016-06-01 00:00:00,\n2016-06-01 01:00:00,3000\n',
    );
    expect(blank).toEqual(expect.objectContaining({ rowsMissing: 1, rowsStored: 0, rowsUpdated: 1 }));
    const day = await t.http
      .get(api(`/meters/${meter.id}/readings?from=2016-06-01&to=2016-06-02`))
      .set(a.auth)
      .expect(200);
    expect(day.body.points.slice(0, 2).map((p: { value: number }) => p.value)).toEqual([1000, 3000]);
  });

  it('imports a real Green Button (ESPI) feed: Wh at 15 minutes into a kWh meter', async () => {
    const meter = await createMeter({ name: 'ESPI', intervalMinutes: 15 });
    const xml = fixture('espi-openespi-15min-14days.xml').toString('utf8');
    const values = [
      ...xml.matchAll(/<IntervalReading>[\s\S]*?<value>(-?\d+)<\/value>[\s\S]*?<\/IntervalReading>/g),
    ].map((m) => Number(m[1]));
    expect(values.length).toBe(1340);
    const report = await upload(meter.id, 'usage.xml', xml);
    expect(report).toEqual(
      expect.objectContaining({ status: 'succeeded', rowsStored: values.length, rowsRejected: 0 }),
    );
    // uom 72 = Wh, multiplier 10^0 → kWh is Wh / 1000.
    expect(await monthTotal(meter.id)).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 1000, 6);
    const quality = await t.http
      .get(api(`/meters/${meter.id}/quality`))
      .set(a.auth)
      .expect(200);
    expect(quality.body.present).toBe(values.length);
    expect(quality.body.coverage).toBeGreaterThan(0.9);
  });

  it('imports an XLSX sheet by name', async () => {
    const meter = await createMeter({ name: 'XLSX', intervalMinutes: 30 });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['nothing here']);
    const sheet = wb.addWorksheet('Half-hourly');
    sheet.addRow(['Start', 'Consumption (kWh)']);
    let sum = 0;
    for (let i = 0; i < 48; i++) {
      const v = Math.round((5 + Math.sin(i / 5) * 2) * 100) / 100;
      sum += v;
      sheet.addRow([`2024-01-15 ${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`, v]);
    }
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const report = await upload(meter.id, 'export.xlsx', buffer, { sheet: 'Half-hourly' });
    expect(report).toEqual(expect.objectContaining({ status: 'succeeded', rowsStored: 48 }));
    expect(await monthTotal(meter.id)).toBeCloseTo(sum, 6);
  });

  it('imports a wide file at the organisation level, mapping columns to meters', async () => {
    const hannah = await createMeter({ name: 'Hannah' });
    const danica = await createMeter({ name: 'Danica', sourceColumn: 'Panther_office_Danica' });
    const text = fixture('bdg2-wide-panther-office-2017.csv').toString('utf8');
    const res = await t.http
      .post(api('/imports'))
      .set(a.auth)
      .attach('file', Buffer.from(text), 'panther.csv')
      .field(
        'columns',
        JSON.stringify({ Panther_office_Hannah: hannah.id, Panther_office_Danica: danica.id }),
      )
      .expect(202);
    const report = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth);
    expect(report.status).toBe('succeeded');
    const rejectedLines = new Set<number>((report.errors as { line: number }[]).map((e) => e.line));
    expect(await monthTotal(hannah.id)).toBeCloseTo(csvSum(text, rejectedLines, 1).sum, 3);
    expect(await monthTotal(danica.id)).toBeCloseTo(csvSum(text, rejectedLines, 2).sum, 3);
  });

  it('handles clock changes in two zones: the spring gap is refused, an autumn repeat shown twice is two hours', async () => {
    for (const [zone, spring, autumn] of [
      ['Europe/London', '2024-03-31', '2024-10-27'],
      ['America/New_York', '2024-03-10', '2024-11-03'],
    ]) {
      const site = await t.http
        .post(api('/sites'))
        .set(a.auth)
        .send({ name: zone, country: zone.startsWith('Europe') ? 'GB' : 'US', timezone: zone })
        .expect(201);
      const meter = await createMeter({ name: `clock ${zone}` }, a, site.body.id);
      const gapHour = zone === 'Europe/London' ? '01' : '02';
      const csv = [
        'timestamp,kwh',
        `${spring} 00:00,1`,
        `${spring} ${gapHour}:00,2`,
        `${spring} 03:00,3`,
        `${autumn} 00:00,4`,
        `${autumn} 01:00,5`,
        `${autumn} 01:00,6`,
        `${autumn} 02:00,7`,
      ].join('\n');
      const report = await upload(meter.id, 'clock.csv', csv);
      expect(report).toEqual(
        expect.objectContaining({ status: 'succeeded', rowsStored: 6, rowsRejected: 1 }),
      );
      expect(report.errors[0]).toEqual({
        line: 3,
        message: expect.stringMatching(new RegExp(`does not exist in ${zone}`)),
      });
      const raw = await t.http
        .get(api(`/meters/${meter.body?.id ?? meter.id}/readings?from=${autumn}&to=${autumn}T12:00`))
        .set(a.auth)
        .expect(200);
      const times = raw.body.points.map((p: { ts: string }) => p.ts);
      // 01:00 twice = two consecutive UTC hours.
      expect(new Date(times[2]).getTime() - new Date(times[1]).getTime()).toBe(3_600_000);
      expect(raw.body.points.map((p: { value: number }) => p.value)).toEqual([4, 5, 6, 7]);
    }
  });

  describe('bad files', () => {
    let meterId: string;
    let before: number;
    beforeAll(async () => {
      meterId = (await createMeter({ name: 'Bad-file target' })).id;
      await upload(meterId, 'base.csv', 'timestamp,kwh\n2024-02-01 00:00,10\n2024-02-01 01:00,20\n');
      before = await monthTotal(meterId);
      expect(before).toBe(30);
    });
    afterEach(async () => {
      // A refused file changes nothing stored; a file with bad rows adds exactly its good rows (checked in its test).
      expect(await monthTotal(meterId)).toBe(before);
    });

    it.each([
      ['an empty file', '', 'EMPTY_FILE'],
      ['a header only', 'timestamp,kwh\n', 'HEADER_ONLY'],
      [
        'the wrong delimiter',
        'timestamp|kwh\n2024-02-01 02:00|5\n2024-02-01 03:00|6\n',
        'WRONG_DELIMITER|NO_TIMESTAMP_COLUMN|NO_VALUE_COLUMN',
      ],
      ['no timestamp column', 'meter,kwh\nA,5\nB,6\n', 'NO_TIMESTAMP_COLUMN'],
      ['binary content', Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9, 0, 0, 0, 1]), 'BINARY'],
      ['a gas unit for an electricity meter', 'timestamp,Gas (m3)\n2024-02-01 02:00,5\n', 'WRONG_UNIT'],
      [
        'a 15-minute file (the UCI steel plant) for an hourly meter',
        fixture('uci-steel-2018-01.csv'),
        'INTERVAL_MISMATCH',
      ],
    ])('refuses %s, storing nothing', async (_what, content, code) => {
      const report = await upload(meterId, 'bad.csv', content as string | Buffer);
      expect(report.status).toBe('failed');
      expect(report.errorCode).toMatch(new RegExp(`^(${code})$`));
      expect(report.error).toEqual(expect.any(String));
      expect(report.rowsStored).toBe(0);
    });

    it('rejects bad rows alone (text in numbers, future dates, duplicates with other values, off-grid, negative) and stores the good ones', async () => {
      const csv = [
        'timestamp,kwh',
        '2024-02-02 00:00,1',
        '2024-02-02 01:00,12x',
        '2099-01-01 00:00,3',
        '2024-02-02 02:00,4',
        '2024-02-02 02:00,5',
        '2024-02-02 03:30,6',
        '2024-02-02 04:00,-7',
        '2024-02-02 05:00,',
        '2024-02-02 06:00,8',
      ].join('\n');
      const report = await upload(meterId, 'rows.csv', csv);
      expect(report).toEqual(
        expect.objectContaining({
          status: 'succeeded',
          rowsRead: 9,
          rowsStored: 3,
          rowsRejected: 5,
          rowsMissing: 1,
        }),
      );
      expect(report.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 6, 7, 8]);
      expect(report.errors[0].message).toMatch(/12x/);
      expect(await monthTotal(meterId)).toBe(before + 1 + 4 + 8);
      // Put the meter back as the other cases expect it.
      await t.http
        .post(api(`/meters/${meterId}/readings`))
        .set(a.auth)
        .send({ readings: [] })
        .expect(400);
      before = await monthTotal(meterId);
    });

    it('uses a column the header names kwh however few of its cells parse: the good row stored, the bad lines reported by number', async () => {
      // 1 cell in 3 numeric: once refused whole ("no column holds numbers"); −4 cannot be consumption on an import meter.
      const report = await upload(
        meterId,
        'named.csv',
        'timestamp,kwh\n2024-02-03 00:00,12.5\n2024-02-03 01:00,abc\n2024-02-03 02:00,-4\n',
      );
      expect(report).toEqual(
        expect.objectContaining({ status: 'succeeded', rowsRead: 3, rowsStored: 1, rowsRejected: 2 }),
      );
      expect(report.errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
        [3, expect.stringContaining('"abc" in column "kwh" is not a number')],
        [4, expect.stringContaining('value -4 in column "kwh" is negative')],
      ]);
      expect(await monthTotal(meterId)).toBe(before + 12.5);
      before = await monthTotal(meterId);
    });

    it('refuses an upload over the size limit with 413', async () => {
      const big = Buffer.alloc(8 * 1024 * 1024 + 1024, 'a');
      const res = await t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .attach('file', big, 'huge.csv');
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    });

    it('leaves no file behind when an upload is refused after it was received', async () => {
      const { readdirSync } = await import('node:fs');
      // The folder the app really receives uploads in (in the data folder on PostgreSQL, the temp folder in memory).
      const dir = uploadDirs(t.config).receiving;
      const before = readdirSync(dir).length;
      const res = await t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .attach('file', Buffer.from('timestamp,kwh\n2024-01-01 00:00,1\n'), 'x.csv')
        .field('format', 'pdf')
        .expect(400);
      expect(res.body.errors[0].field).toBe('format');
      await t.http
        .post(api('/imports'))
        .set(a.auth)
        .attach('file', Buffer.from('timestamp,kwh\n'), 'x.csv')
        .field('columns', 'not json')
        .expect(400);
      expect(readdirSync(dir).length).toBe(before);
    });

    it('asks for the file when none is attached', async () => {
      const res = await t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .field('format', 'csv')
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'file', message: 'is required' }]);
    });
  });

  it('sweeps upload files older than a day that no unfinished import needs', async () => {
    const { mkdirSync, writeFileSync, utimesSync, existsSync } = await import('node:fs');
    const { randomUUID } = await import('node:crypto');
    const dirs = uploadDirs(t.config);
    mkdirSync(dirs.stored, { recursive: true });
    mkdirSync(dirs.receiving, { recursive: true });
    const meter = await createMeter({ name: 'Sweep' });
    const finished = await upload(meter.id, 'a.csv', 'timestamp,kwh\n2024-01-01 00:00,1\n');
    const running = await upload(meter.id, 'b.csv', 'timestamp,kwh\n2024-01-01 01:00,1\n');
    // the second import "still running" (a crash left it so; the reaper has not ended it yet): its file stays
    await t.app
      .get(Db)
      .system((em) =>
        em.query(`UPDATE imports SET status = 'running' WHERE tenant_id = $1 AND id = $2`, [
          a.orgId,
          running.id,
        ]),
      );
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const file = (dir: string, name: string, old: boolean) => {
      const path = join(dir, name);
      writeFileSync(path, 'x');
      if (old) utimesSync(path, twoDaysAgo, twoDaysAgo);
      return path;
    };
    const gone = [
      file(dirs.receiving, `sweep-${randomUUID()}`, true),
      file(dirs.stored, `${a.orgId}-${finished.id}`, true),
      file(dirs.stored, `${a.orgId}-${randomUUID()}`, true),
    ];
    const kept = [
      file(dirs.receiving, `sweep-${randomUUID()}`, false),
      file(dirs.stored, `${a.orgId}-${running.id}`, true),
    ];
    const { removed } = await t.app.get(ImportsService).sweepUploads();
    expect(removed).toEqual(expect.arrayContaining(gone));
    for (const f of gone) expect(existsSync(f)).toBe(false);
    for (const f of kept) expect(existsSync(f)).toBe(true);
    for (const f of kept) rmSync(f, { force: true });
    await t.app
      .get(Db)
      .system((em) =>
        em.query(`UPDATE imports SET status = 'succeeded' WHERE tenant_id = $1 AND id = $2`, [
          a.orgId,
          running.id,
        ]),
      );
  });

  it('accepts a JSON push with an API key of its organisation and scope only', async () => {
    const meter = await createMeter({ name: 'Pushed', intervalMinutes: 15 });
    const key = (
      await t.http
        .post(api('/api-keys'))
        .set(a.auth)
        .send({ name: 'gateway', scopes: ['readings:write', 'readings:read'] })
        .expect(201)
    ).body.key;
    const readings = [
      { ts: '2024-05-01T10:00:00Z', value: 1.5 },
      { ts: '2024-05-01T11:15:00+01:00', value: 2.5 },
      { ts: '2024-05-01T10:30:00Z', value: null },
      { ts: 'yesterday', value: 3 },
      { ts: '2024-05-01T10:07:00Z', value: 3 },
    ];
    const res = await t.http
      .post(api(`/meters/${meter.id}/readings`))
      .set({ 'X-Api-Key': key })
      .send({ readings })
      .expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({ rowsRead: 5, rowsStored: 2, rowsMissing: 1, rowsRejected: 2 }),
    );
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([4, 5]);
    const got = await t.http
      .get(api(`/meters/${meter.id}/readings?from=2024-05-01&to=2024-05-02`))
      .set({ 'X-Api-Key': key })
      .expect(200);
    expect(got.body.points.map((p: { ts: string; value: number }) => [p.ts, p.value])).toEqual([
      ['2024-05-01T10:00:00.000Z', 1.5],
      ['2024-05-01T10:15:00.000Z', 2.5],
    ]);
    await t.http
      .post(`/api/v1/orgs/${b.orgId}/meters/${meter.id}/readings`)
      .set({ 'X-Api-Key': key })
      .send({ readings })
      .expect(404);
  });

  it('imports site weather', async () => {
    const csv =
      'timestamp,Temperature (F),GHI\n2024-07-01 00:00,68,0\n2024-07-01 01:00,66.2,0\n2024-07-01 02:00,-9999,0\n';
    const res = await t.http
      .post(api(`/sites/${siteId}/weather`))
      .set(a.auth)
      .attach('file', Buffer.from(csv), 'weather.csv')
      .expect(202);
    const report = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth);
    expect(report).toEqual(expect.objectContaining({ status: 'succeeded', rowsStored: 2, rowsRejected: 1 }));
    const w = await t.http
      .get(api(`/sites/${siteId}/weather?from=2024-07-01&to=2024-07-02`))
      .set(a.auth)
      .expect(200);
    expect(w.body.points.map((p: { temperatureC: number }) => p.temperatureC)).toEqual([20, 19]);
  });

  it("answers 404 for another tenant's meter on imports, readings, quality and push", async () => {
    const meter = await createMeter({ name: 'Private' });
    const other = `/api/v1/orgs/${b.orgId}/meters/${meter.id}`;
    await t.http
      .post(`${other}/imports`)
      .set(b.auth)
      .attach('file', Buffer.from('timestamp,kwh\n2024-01-01 00:00,1\n'), 'x.csv')
      .expect(404);
    await t.http.get(`${other}/readings`).set(b.auth).expect(404);
    await t.http.get(`${other}/quality`).set(b.auth).expect(404);
    await t.http
      .post(`${other}/readings`)
      .set(b.auth)
      .send({ readings: [{ ts: '2024-01-01T00:00:00Z', value: 1 }] })
      .expect(404);
    await t.http.get(`/api/v1/orgs/${b.orgId}/meters/${meter.id}`).set(b.auth).expect(404);
    await t.http.delete(`/api/v1/orgs/${b.orgId}/meters/${meter.id}`).set(b.auth).expect(404);
    await t.http
      .get(api(`/meters/${meter.id}`))
      .set(a.auth)
      .expect(200);
    // B cannot attach its meter to A's site either.
    await t.http
      .post(`/api/v1/orgs/${b.orgId}/meters`)
      .set(b.auth)
      .send({ siteId, name: 'x', kind: 'electricity_import', unit: 'kWh', intervalMinutes: 60 })
      .expect(400);
  });
});
