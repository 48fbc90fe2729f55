import { SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';
import { orgApi } from '../support/org-api';
import { GOLDEN_SITE, PV_METER, psm3, pvCsv } from '../support/pvdaq';

/*
 * What a site's weather timestamps mean (`weatherTimestamps`, session 17), through the API on real data:
 * NREL PVDAQ system 50 with the NSRDB PSM3 irradiance and temperature of its site (test/fixtures/SOURCE.md).
 * PSM3 rows are samples at their time. A site that says so (`instant`) must forecast exactly as a site given
 * the period means computed here by hand (each 30-minute period the mean of its two ends) with the default
 * reading (`start`), and differently from a site that reads the raw samples as period means. Nothing is
 * trained: the generic PV model answers.
 */

/** The PSM3 CSV with each row's values replaced by the mean of its own and the next row's (30 minutes later). */
function periodMeansCsv(csv: string): string {
  const [head, ...lines] = csv.trim().split('\n');
  const rows = lines.map((l) => l.split(','));
  const ms = (ts: string) => Date.parse(ts.replace(' ', 'T'));
  const out = rows.map((r, i) => {
    const next = rows[i + 1];
    if (!next || ms(next[0]) - ms(r[0]) !== 1_800_000) return r.join(',');
    return [r[0], ...r.slice(1).map((v, k) => String((Number(v) + Number(next[k + 1])) / 2))].join(',');
  });
  return [head, ...out].join('\n');
}

type Point = { ts: string; p10: number; p50: number; p90: number };

describe(`weather timestamps of a site (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  const { api, site, meter, upload } = orgApi(() => t);

  /** A site at the array with the given setting, `weather` imported and the array's May–June readings. */
  const pvSite = async (name: string, weather: string, weatherTimestamps?: string) => {
    const siteId = await site(a, {
      name,
      ...GOLDEN_SITE,
      ...(weatherTimestamps ? { weatherTimestamps } : {}),
    });
    await upload(a, `/sites/${siteId}/weather`, weather);
    const meterId = await meter(a, { siteId, name: 'roof PV', ...PV_METER });
    await upload(a, `/meters/${meterId}/imports`, pvCsv('2012-05-01', '2012-07-01'), { unit: 'W' });
    return { siteId, meterId };
  };
  const forecast = async (meterId: string): Promise<Point[]> => {
    const res = await t.http
      .get(api(a, `/meters/${meterId}/forecast?from=2012-07-01&to=2012-07-02`))
      .set(a.auth);
    expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(res.body.method).toBe('generic');
    return res.body.points as Point[];
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'wt-a');
  });
  afterAll(() => t?.close());

  it('is start unless said otherwise, can be changed, and refuses a meaning it does not know, naming the field', async () => {
    const id = await site(a, { name: 'defaults', ...GOLDEN_SITE });
    const view = await t.http
      .get(api(a, `/sites/${id}`))
      .set(a.auth)
      .expect(200);
    expect(view.body.weatherTimestamps).toBe('start');
    const bad = await t.http
      .put(api(a, `/sites/${id}`))
      .set(a.auth)
      .send({ weatherTimestamps: 'middle' })
      .expect(400);
    expect(JSON.stringify(bad.body.errors)).toContain('weatherTimestamps');
    const changed = await t.http
      .put(api(a, `/sites/${id}`))
      .set(a.auth)
      .send({ weatherTimestamps: 'end' })
      .expect(200);
    expect(changed.body.weatherTimestamps).toBe('end');
    await t.http
      .post(api(a, '/sites'))
      .set(a.auth)
      .send({ name: 'bad', ...GOLDEN_SITE, weatherTimestamps: 'hourly' })
      .expect(400);
  });

  it('says what the imported weather holds (rows, first and last timestamp, rows with each value) and deletes a range of it, for its own organisation only', async () => {
    const id = await site(a, { name: 'coverage', ...GOLDEN_SITE });
    const coverage = async () =>
      (
        await t.http
          .get(api(a, `/sites/${id}/weather/coverage`))
          .set(a.auth)
          .expect(200)
      ).body;
    expect(await coverage()).toEqual({
      siteId: id,
      rows: 0,
      first: null,
      last: null,
      withValue: { temperatureC: 0, ghiWM2: 0, cloudCoverPct: 0, windSpeedMS: 0 },
    });
    // three hours with temperature, two of them with GHI; then a second file adds wind to the first hour
    await upload(
      a,
      `/sites/${id}/weather`,
      'timestamp,temp_air,ghi\n2012-07-01T00:00:00Z,21.5,0\n2012-07-01T01:00:00Z,20.9,\n2012-07-01T02:00:00Z,20.1,3\n',
    );
    await upload(a, `/sites/${id}/weather`, 'timestamp,wind_speed\n2012-07-01T00:00:00Z,4.2\n');
    expect(await coverage()).toEqual({
      siteId: id,
      rows: 3,
      first: '2012-07-01T00:00:00.000Z',
      last: '2012-07-01T02:00:00.000Z',
      withValue: { temperatureC: 3, ghiWM2: 2, cloudCoverPct: 0, windSpeedMS: 1 },
    });
    // another organisation's user learns nothing and deletes nothing, through its own organisation's path or
    // through this one's
    const b = await signup(t, 'wt-b');
    for (const path of [api(b, `/sites/${id}/weather`), api(a, `/sites/${id}/weather`)]) {
      await t.http.get(`${path}/coverage`).set(b.auth).expect(404);
      await t.http.delete(path).set(b.auth).expect(404);
    }
    expect((await coverage()).rows).toBe(3);
    // a range that ends before it starts is refused, naming the field, and deletes nothing
    const backwards = await t.http
      .delete(api(a, `/sites/${id}/weather?from=2012-07-02&to=2012-07-01`))
      .set(a.auth)
      .expect(400);
    expect(backwards.body.errors).toEqual([{ field: 'to', message: 'not after from' }]);
    expect((await coverage()).rows).toBe(3);
    // a range deletes its rows only (the site is in America/Denver: local dates, UTC instants here), then all
    const some = await t.http
      .delete(api(a, `/sites/${id}/weather?from=2012-07-01T01:00:00Z&to=2012-07-01T03:00:00Z`))
      .set(a.auth)
      .expect(200);
    expect(some.body).toEqual({
      siteId: id,
      from: '2012-07-01T01:00:00.000Z',
      to: '2012-07-01T03:00:00.000Z',
      deleted: 2,
    });
    expect(await coverage()).toMatchObject({ rows: 1, withValue: { temperatureC: 1, windSpeedMS: 1 } });
    const all = await t.http
      .delete(api(a, `/sites/${id}/weather`))
      .set(a.auth)
      .expect(200);
    expect(all.body.deleted).toBe(1);
    expect((await coverage()).rows).toBe(0);
  });

  it('imports an Open-Meteo download in the zone its metadata names; refuses kWh/m² irradiance and a TMY3 year, storing nothing', async () => {
    const id = await site(a, { name: 'open-meteo', ...GOLDEN_SITE });
    const report = await upload(
      a,
      `/sites/${id}/weather`,
      [
        'latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation',
        '39.74,-105.18,1829.0,0,GMT,GMT',
        '',
        'time,temperature_2m (°C),shortwave_radiation (W/m²)',
        '2012-07-01T18:00,27.1,870',
        '2012-07-01T19:00,28.0,905',
      ].join('\n'),
    );
    expect(report.warnings).toContainEqual({
      message: "times read in UTC, the zone the file's own metadata names",
    });
    const listed = await t.http
      .get(api(a, `/sites/${id}/weather?from=2012-07-01T00:00:00Z&to=2012-07-02T00:00:00Z`))
      .set(a.auth)
      .expect(200);
    // 18:00 GMT, not 18:00 in the site's America/Denver
    expect(listed.body.points.map((p: { ts: string; ghiWM2: number }) => [p.ts, p.ghiWM2])).toEqual([
      ['2012-07-01T18:00:00.000Z', 870],
      ['2012-07-01T19:00:00.000Z', 905],
    ]);
    const refused = async (csv: string) => {
      const res = await t.http
        .post(api(a, `/sites/${id}/weather`))
        .set(a.auth)
        .attach('file', Buffer.from(csv), 'bad.csv')
        .expect(202);
      return waitFor(t, api(a, `/imports/${res.body.importId}`), a.auth);
    };
    const kwh = await refused('timestamp,GHI (kWh/m2)\n2012-07-02T18:00:00Z,0.87\n');
    expect(kwh).toMatchObject({ status: 'failed', errorCode: 'WRONG_UNIT' });
    expect(kwh.error).toContain('Column "GHI (kWh/m2)" holds irradiation (energy per m²)');
    const tmy3 = await refused(
      '723170,"GREENSBORO PIEDMONT TRIAD INT",NC,-5.0,36.100,-79.950,273\n' +
        'Date (MM/DD/YYYY),Time (HH:MM),GHI (W/m^2)\n01/01/1988,13:00,420\n',
    );
    expect(tmy3).toMatchObject({ status: 'failed', errorCode: 'TYPICAL_YEAR' });
    const coverage = await t.http
      .get(api(a, `/sites/${id}/weather/coverage`))
      .set(a.auth)
      .expect(200);
    expect(coverage.body.rows).toBe(2);
  });

  it('reads instantaneous rows as the trapezoid of each period, and lists them as imported', async () => {
    const instant = await pvSite('samples read as samples', psm3, 'instant');
    const byHand = await pvSite('period means by hand', periodMeansCsv(psm3));
    const asStart = await pvSite('samples read as period means', psm3);
    const [fInstant, fByHand, fStart] = await Promise.all([
      forecast(instant.meterId),
      forecast(byHand.meterId),
      forecast(asStart.meterId),
    ]);
    expect(fInstant).toHaveLength(96);
    fInstant.forEach((p, i) => {
      expect(p.ts).toBe(fByHand[i].ts);
      expect(p.p50).toBeCloseTo(fByHand[i].p50, 9);
      expect(p.p10).toBeCloseTo(fByHand[i].p10, 9);
      expect(p.p90).toBeCloseTo(fByHand[i].p90, 9);
    });
    // read as period means, the same samples give another forecast: morning irradiance comes 15 minutes early
    const moved = fInstant.reduce((s, p, i) => s + Math.abs(p.p50 - fStart[i].p50), 0);
    const total = fInstant.reduce((s, p) => s + p.p50, 0);
    expect(moved / total).toBeGreaterThan(0.01);
    // GET …/weather lists the rows as imported: the file's own line at 2012-07-01 18:00 UTC (11:00 MST)
    const at = Date.UTC(2012, 6, 1, 18);
    const line = psm3.split('\n').find((l) => Date.parse(l.split(',')[0].replace(' ', 'T')) === at)!;
    const [, ghi] = line.split(',').map(Number);
    const listed = await t.http
      .get(api(a, `/sites/${instant.siteId}/weather?from=2012-07-01T18:00:00Z&to=2012-07-01T18:30:00Z`))
      .set(a.auth)
      .expect(200);
    expect(listed.body.points).toHaveLength(1);
    expect(listed.body.points[0].ghiWM2).toBeCloseTo(ghi, 9);
  });
});
