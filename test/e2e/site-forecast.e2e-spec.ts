import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';
import { orgApi } from '../support/org-api';
import { GOLDEN_SITE, PV_METER, psm3, pvCsv } from '../support/pvdaq';

/*
 * A site's net-load forecast through the API, on real data (test/fixtures/SOURCE.md, libs/metering/demo/SOURCE.md):
 * - PV: NREL PVDAQ system 50 (Golden CO, 15-minute AC power in W), May–June 2012, with the NSRDB PSM3
 *   irradiance and temperature of the same site as the site's weather (the generic PV model answers);
 * - load: two BDG2 buildings' hourly electricity (Robin_office_Serena, Robin_education_Kristopher),
 *   moved back by exactly 260 weeks (2017 → 2012, weekdays kept) onto the same site, since no load
 *   was metered next to that array: 8 weeks of the office (the hour-of-week baseline answers, no
 *   training) and 20 days of the school (under 4 weeks: the generic load model answers).
 * Nothing is trained, so the suite stays fast; the expected net load is computed here from the
 * meters' own forecast routes.
 */
const bdg2 = (name: string) =>
  readFileSync(join(__dirname, '..', 'fixtures', 'metering', `${name}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);

const DAY = 86_400_000;
const SHIFT = 260 * 7 * DAY;
/** BDG2 rows (local time) moved back 260 weeks, kept when they land in [from, to) (local dates). */
function movedLoad(name: string, from: string, to: string): string {
  const rows = bdg2(name)
    .map((l) => l.split(','))
    .map(([ts, kwh]) => {
      const moved = new Date(Date.parse(`${ts.replace(' ', 'T')}Z`) - SHIFT).toISOString();
      return `${moved.slice(0, 10)} ${moved.slice(11, 19)},${kwh}`;
    })
    .filter((l) => l >= from && l < to);
  return ['timestamp,kwh', ...rows].join('\n');
}

type Point = { ts: string; p10: number; p50: number; p90: number };
type NetPoint = Point & { loadKwh: number; pvKwh: number; windKwh: number };

describe(`site net-load forecast (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let golden: string;
  const meters: Record<string, string> = {};
  const { api, site, meter, upload } = orgApi(() => t);

  const get = async (path: string) => {
    const res = await t.http.get(api(a, path)).set(a.auth);
    expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
    return res.body as Body;
  };
  /** The PVDAQ array on `siteId`, with May–June 2012 imported. */
  const pvMeter = async (siteId: string) => {
    const id = await meter(a, { siteId, name: 'roof PV', ...PV_METER });
    await upload(a, `/meters/${id}/imports`, pvCsv('2012-05-01', '2012-07-01'), { unit: 'W' });
    return id;
  };
  /** An hourly electricity import meter on `siteId`, with `csv` imported. */
  const loadMeter = async (siteId: string, name: string, csv: string) => {
    const id = await meter(a, { siteId, name, kind: 'electricity_import', intervalMinutes: 60 });
    await upload(a, `/meters/${id}/imports`, csv);
    return id;
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'sf-a');
    b = await signup(t, 'sf-b');
    golden = await site(a, { name: 'Golden campus', ...GOLDEN_SITE });
    await upload(a, `/sites/${golden}/weather`, psm3);
    meters.pv = await pvMeter(golden);
    meters.office = await loadMeter(
      golden,
      'office',
      movedLoad('bdg2-robin-office-serena', '2012-05-06', '2012-07-01'),
    );
    meters.school = await loadMeter(
      golden,
      'school',
      movedLoad('bdg2-robin-education-kristopher', '2012-06-11', '2012-07-01'),
    );
    meters.export = await meter(a, {
      siteId: golden,
      name: 'grid export',
      kind: 'electricity_export',
      intervalMinutes: 60,
    });
  }, 180_000);
  afterAll(() => t?.close());

  it("sums the meters' forecasts hour by hour, bands by added variances, with each meter's method", async () => {
    const from = '2012-07-01';
    const to = '2012-07-03';
    const site = (await get(`/sites/${golden}/forecast?from=${from}&to=${to}`)) as Body & {
      points: NetPoint[];
    };
    expect(site).toEqual(expect.objectContaining({ siteId: golden, unit: 'kWh', incompleteHours: 0 }));
    expect(site.from).toBe('2012-07-01T06:00:00.000Z'); // midnight in Denver (MDT)
    expect(site.points).toHaveLength(48);
    const byMeter = Object.fromEntries(site.components.map((c: Body) => [c.meterId, c]));
    expect(byMeter[meters.office]).toEqual(
      expect.objectContaining({
        included: true,
        role: 'load',
        method: 'baseline',
        baseline: expect.any(String),
      }),
    );
    expect(byMeter[meters.school]).toEqual(
      expect.objectContaining({ included: true, role: 'load', method: 'generic' }),
    );
    expect(byMeter[meters.school].reason).toMatch(/under 4 weeks/);
    expect(byMeter[meters.pv]).toEqual(
      expect.objectContaining({ included: true, role: 'pv', method: 'generic' }),
    );
    expect(byMeter[meters.export]).toEqual(
      expect.objectContaining({ included: false, role: null, reason: expect.stringMatching(/twice/) }),
    );

    // The same window from each meter's own route, added up here.
    const own = async (id: string) =>
      ((await get(`/meters/${id}/forecast?from=${from}&to=${to}`)) as Body & { points: Point[] }).points;
    const hourly = (points: Point[]) => {
      const hours = new Map<number, { p10: number; p50: number; p90: number }>();
      for (const p of points) {
        const h = Math.floor(Date.parse(p.ts) / 3_600_000);
        const acc = hours.get(h) ?? { p10: 0, p50: 0, p90: 0 };
        hours.set(h, { p10: acc.p10 + p.p10, p50: acc.p50 + p.p50, p90: acc.p90 + p.p90 });
      }
      return hours;
    };
    const office = hourly(await own(meters.office));
    const school = hourly(await own(meters.school));
    const pv = hourly(await own(meters.pv));
    expect(pv.size).toBe(48);
    let pvTotal = 0;
    for (const p of site.points) {
      const h = Math.floor(Date.parse(p.ts) / 3_600_000);
      const [o, s, g] = [office.get(h)!, school.get(h)!, pv.get(h)!];
      pvTotal += g.p50;
      expect(p.p50).toBeCloseTo(o.p50 + s.p50 - g.p50, 6);
      expect(p.loadKwh).toBeCloseTo(o.p50 + s.p50, 6);
      expect(p.pvKwh).toBeCloseTo(g.p50, 6);
      const below = Math.hypot(o.p50 - o.p10, s.p50 - s.p10, g.p90 - g.p50);
      const above = Math.hypot(o.p90 - o.p50, s.p90 - s.p50, g.p50 - g.p10);
      expect(p.p10).toBeCloseTo(p.p50 - below, 6);
      expect(p.p90).toBeCloseTo(p.p50 + above, 6);
      // narrower than adding the quantiles (unless only one meter is uncertain in that hour)
      expect(p.p90 - p.p10).toBeLessThanOrEqual(o.p90 + s.p90 - g.p10 - (o.p10 + s.p10 - g.p90) + 1e-9);
    }
    expect(pvTotal).toBeGreaterThan(10); // two July days of a 3.5 kWp array
    expect(byMeter[meters.pv].totalKwh).toBeCloseTo(pvTotal, 6);
  });

  it('defaults to the 48 hours after the latest reading', async () => {
    const site = (await get(`/sites/${golden}/forecast`)) as Body & { points: NetPoint[] };
    // the PV file is in MST (−07:00): its last reading ends at 07:00 UTC, an hour after the loads'
    expect(site.from).toBe('2012-07-01T07:00:00.000Z');
    expect(site.to).toBe('2012-07-03T07:00:00.000Z');
    expect(site.points).toHaveLength(48);
  });

  it('answers 422 naming what to add when no import meter can be forecast, and 400 past 7 days', async () => {
    const pvOnly = await site(a, { name: 'PV only', ...GOLDEN_SITE });
    const empty = await meter(a, {
      siteId: pvOnly,
      name: 'new import meter',
      kind: 'electricity_import',
      intervalMinutes: 60,
    });
    const res = await t.http
      .get(api(a, `/sites/${pvOnly}/forecast`))
      .set(a.auth)
      .expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(
      /has no electricity import meter that can be forecast: add one with hourly or finer readings/,
    );
    expect(res.body.detail).toMatch(/new import meter \(electricity_import\): no readings yet/);
    expect(res.body.errors).toEqual([
      { field: `meters.${empty}`, message: expect.stringMatching(/no readings/) },
    ]);
    // a PV meter with readings is named too (it once said "It has no meters." of a site with only PV)
    const pv = await pvMeter(pvOnly);
    const withPv = await t.http
      .get(api(a, `/sites/${pvOnly}/forecast`))
      .set(a.auth)
      .expect(422);
    expect(withPv.body.detail).toMatch(/roof PV \(pv_generation\): generation, subtracted from the load/);
    expect(withPv.body.errors).toContainEqual({
      field: `meters.${pv}`,
      message: expect.stringMatching(/needs an import meter too/),
    });

    const far = await t.http
      .get(api(a, `/sites/${golden}/forecast?from=2012-07-01&to=2012-07-10`))
      .set(a.auth)
      .expect(400);
    expect(far.body.errors).toEqual([{ field: 'to', message: 'beyond 7 days' }]);
  });

  it('load shifting plans the coming hours by the forecast: flexible load goes where PV is forecast above the load', async () => {
    // A small office on the same array: the BDG2 office's hourly use ÷ 40 (mean 1.3 kWh an hour), so the
    // 3.5 kWp array covers it at midday. The analysis forecasts the 48 hours after the data.
    const small = await site(a, { name: 'Golden small office', ...GOLDEN_SITE, gridRegion: 'RMPA' });
    await upload(a, `/sites/${small}/weather`, psm3);
    await pvMeter(small);
    const load = movedLoad('bdg2-robin-office-serena', '2012-05-06', '2012-07-01')
      .split('\n')
      .map((l, i) => (i === 0 ? l : `${l.split(',')[0]},${Number(l.split(',')[1]) / 40}`))
      .join('\n');
    await loadMeter(small, 'office', load);

    const res = await t.http
      .post(api(a, `/sites/${small}/analyses`))
      .set(a.auth)
      .expect(202);
    const job = await waitFor(t, api(a, `/jobs/${res.body.jobId}`), a.auth, 180_000);
    expect({ status: job.status, error: job.error }).toEqual({ status: 'succeeded', error: undefined });
    const list = (await get(`/recommendations?siteId=${small}`)) as unknown as Body[];
    const shifting = list.find((r) => r.type === 'load_shifting');
    expect(shifting).toBeDefined();
    const s = await get(`/recommendations/${shifting!.id}`);
    const n = s.evidence.numbers as Record<string, number | string>;
    expect(n.forecastHours).toBe(48);
    expect(n.forecastObjective).toBe('carbon');
    expect(n.forecastMovedIntoPvKwh).toBeGreaterThan(0);
    expect(s.explanation).toContain("By the site's net-load forecast for the next 48 hours");
    process.stdout.write(
      `load shifting, next 48 h: window ${n.forecastShiftWindow}; ${Number(n.forecastMovedKwh).toFixed(2)} kWh moved (${Number(n.forecastMovedIntoPvKwh).toFixed(2)} into PV), ${Number(n.forecastKgCo2eSaved).toFixed(2)} kg CO2e\n`,
    );

    // Against the site forecast itself: every hour of the main window has PV above the load (net < 0),
    // and no more moves into PV than the forecast surplus.
    const fc = (await get(`/sites/${small}/forecast`)) as Body & { points: NetPoint[] };
    const surplus = fc.points.reduce((sum, p) => sum + Math.max(p.pvKwh - p.loadKwh, 0), 0);
    expect(n.forecastMovedIntoPvKwh as number).toBeLessThanOrEqual(surplus + 1e-6);
    const [, day, fromH, toH] = /^(\d{4}-\d{2}-\d{2}) (\d{2}):00–(\d{2}):00$/.exec(
      String(n.forecastShiftWindow),
    )!;
    const local = (p: NetPoint) => new Date(Date.parse(p.ts) - 6 * 3_600_000).toISOString(); // MDT
    const inWindow = fc.points.filter(
      (p) =>
        local(p).slice(0, 10) === day &&
        Number(local(p).slice(11, 13)) >= Number(fromH) &&
        Number(local(p).slice(11, 13)) < Number(toH),
    );
    expect(inWindow.length).toBe(Number(toH) - Number(fromH));
    for (const p of inWindow) expect(p.pvKwh).toBeGreaterThan(p.loadKwh);
    const evidence = s.evidence.series as { name: string; points: { ts: string; value: number }[] }[];
    expect(evidence.map((e) => e.name)).toEqual([
      'net load forecast (P50)',
      'flexible load moved (+ in, − out)',
    ]);
    expect(evidence[0].points.map((p) => p.value)).toEqual(fc.points.map((p) => expect.closeTo(p.p50, 6)));
  });

  it("hides a site's forecast from another organisation", async () => {
    await t.http
      .get(api(b, `/sites/${golden}/forecast?from=2012-07-01&to=2012-07-02`))
      .set(b.auth)
      .expect(404);
    await t.http
      .get(api(a, `/sites/${golden}/forecast?from=2012-07-01&to=2012-07-02`))
      .set(b.auth)
      .expect(404);
  });
});
