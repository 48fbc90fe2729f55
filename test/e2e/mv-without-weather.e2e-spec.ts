import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WeatherSourceService } from '@halve/metering';
import { Db } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';

/**
 * M&V at a site with only meter data (issue 16): no weather imported, no weather source
 * (the app started without HALVE_WEATHER_SOURCE = off). A real London college laboratory (BDG2
 * Robin_education_Kristopher, 2016–2017 hourly kWh) with its 2017 readings cut by a known 10 %
 * at upload; a measure implemented on 2017-01-01 is verified by the time-of-week model without
 * temperature, labelled "not weather-normalised", and finds the 10 % within its stated 90 %
 * uncertainty. (Chosen as one of the BDG2 buildings whose 2016 and 2017 use are alike: over all
 * 68, `npm run bench:mv` shows how often a year-on-year change swamps a model without weather.)
 */
const FILE = readFileSync(
  join(__dirname, '..', 'fixtures', 'metering', 'bdg2-robin-education-kristopher.csv'),
  'utf8',
);
const ZERO_KWH = ['peak_demand', 'tariff', 'load_shifting'];

describe(`M&V without weather (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let lab: { siteId: string; recId: string; first: { computedAt: string; hours: number } };
  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;
  const lines = FILE.trim().split('\n').slice(1);
  // 2017 × 0.9, written with 4 decimals (the file has ≤ 4)
  const csv = [
    'timestamp,kwh',
    ...lines.map((l) =>
      l.startsWith('2017') ? `${l.slice(0, 19)},${(0.9 * Number(l.slice(20))).toFixed(4)}` : l,
    ),
  ].join('\n');

  beforeAll(async () => {
    t = await startApp({ env: { HALVE_AUTO_ANALYSE: 'off' } });
    a = await signup(t, 'mv-noweather');
  });
  afterAll(() => t?.close());

  /** GET …/verification until it answers 200 (a 202 names the job computing it). */
  const verification = async (recId: string) => {
    const first = await t.http.get(api(`/recommendations/${recId}/verification`)).set(a.auth);
    if (first.status === 202)
      expect((await waitFor(t, api(`/jobs/${first.body.jobId}`), a.auth, 60_000)).status).toBe('succeeded');
    else expect(first.status).toBe(200);
    return (
      await t.http
        .get(api(`/recommendations/${recId}/verification`))
        .set(a.auth)
        .expect(200)
    ).body;
  };

  it('verifies a known 10 % cut within its stated uncertainty, not weather-normalised, with its own G14 check', async () => {
    const site = await t.http
      .post(api('/sites'))
      .set(a.auth)
      .send({
        name: 'College lab',
        country: 'GB',
        timezone: 'Europe/London',
        latitude: 51.5188,
        longitude: -0.1346,
        floorAreaM2: 5686,
        // a demand charge gives the analysis something to suggest (peak demand) on this lean lab
        tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.25, demandChargePerKw: 8 },
      })
      .expect(201);
    const meter = await t.http
      .post(api('/meters'))
      .set(a.auth)
      .send({
        siteId: site.body.id,
        name: 'Lab electricity',
        kind: 'electricity_import',
        unit: 'kWh',
        intervalMinutes: 60,
      })
      .expect(201);
    const up = await t.http
      .post(api(`/meters/${meter.body.id}/imports`))
      .set(a.auth)
      .attach('file', Buffer.from(csv), 'lab.csv')
      .expect(202);
    const report = await waitFor(t, api(`/imports/${up.body.importId}`), a.auth, 60_000);
    expect(report.status).toBe('succeeded');
    // The site has no weather at all.
    expect(
      (
        await t.http
          .get(api(`/sites/${site.body.id}/weather?from=2016-01-01&to=2018-01-01`))
          .set(a.auth)
          .expect(200)
      ).body.points,
    ).toEqual([]);

    const analysis = await t.http
      .post(api(`/sites/${site.body.id}/analyses`))
      .set(a.auth)
      .expect(202);
    const aj = await waitFor(t, api(`/jobs/${analysis.body.jobId}`), a.auth, 60_000);
    expect(aj.status).toBe('succeeded');
    const recs = (
      await t.http
        .get(api(`/recommendations?siteId=${site.body.id}`))
        .set(a.auth)
        .expect(200)
    ).body as { id: string; type: string }[];
    // IPMVP Option C measures the whole facility: any implemented suggestion is verified on the site's meter.
    expect(recs.map((r) => r.type)).not.toEqual([]);
    const rec = recs.find((r) => !ZERO_KWH.includes(r.type)) ?? recs[0];
    await t.http
      .post(api(`/recommendations/${rec!.id}/transitions`))
      .set(a.auth)
      .send({ to: 'accepted' })
      .expect(200);
    await t.http
      .post(api(`/recommendations/${rec!.id}/transitions`))
      .set(a.auth)
      .send({ to: 'implemented', implementedOn: '2017-01-01' })
      .expect(200);

    const v = await verification(rec!.id);
    lab = {
      siteId: site.body.id,
      recId: rec!.id,
      first: { computedAt: v.computedAt, hours: v.weather.hours },
    };

    expect(v.status).toBe('succeeded');
    expect(v.weatherNormalised).toBe(false);
    expect(v.label).toBe('not weather-normalised');
    expect(v.method.model).toBe('time-of-week-hourly');
    expect(v.weather).toEqual({
      hours: expect.any(Number),
      importedHours: 0,
      fetchedHours: 0,
      source: { source: null, status: 'off', message: 'HALVE_WEATHER_SOURCE is off' },
    });
    expect(v.warnings.join(' ')).toMatch(/not weather-normalised/);
    expect(v.warnings.join(' ')).toMatch(/HALVE_WEATHER_SOURCE=off/);
    expect(v.reportingFrom).toBe('2017-01-01T00:00:00.000Z'); // local midnight, GMT
    expect(v.baselineFrom).toBe('2016-01-01T00:00:00.000Z');
    // F = (counterfactual − actual)/counterfactual; the truth is 0.10: |F − 0.10| ≤ FSU(90 %) · F
    const fraction = v.verifiedSavingKwh / v.counterfactualKwh;
    expect(v.savingsFraction).toBeCloseTo(fraction, 9);
    expect(Math.abs(fraction - 0.1)).toBeLessThanOrEqual(v.fractionalSavingsUncertainty * fraction);
    // its own Guideline 14 check: CV(RMSE) ≤ 30 %, |NMBE| ≤ 10 % (hourly), FSU(68 %) < 50 %
    expect(v.guideline14.cvRmseOk).toBe(v.baselineCvRmse <= 0.3);
    expect(v.guideline14.nmbeOk).toBe(Math.abs(v.baselineNmbe) <= 0.1);
    expect(v.meetsGuideline14).toBe(v.guideline14.cvRmseOk && v.guideline14.nmbeOk && v.fsuAt68 < 0.5);
    expect(v.meetsGuideline14).toBe(true);
    // actual = the metered 2017 total × 0.9, bar the hours the import refused (the clock-change hours)
    const reduced2017 = lines
      .filter((l) => l.startsWith('2017'))
      .reduce((s, l) => s + 0.9 * Number(l.slice(20)), 0);
    expect(v.actualKwh).toBeLessThanOrEqual(reduced2017 + 1e-3);
    expect(v.actualKwh).toBeGreaterThan(0.995 * reduced2017);
  }, 60_000);

  it('weather imported after a verification: the next request recomputes it, weather-normalised', async () => {
    // Unchanged inputs: the stored result, not a new computation.
    expect(
      (
        await t.http
          .get(api(`/recommendations/${lab.recId}/verification`))
          .set(a.auth)
          .expect(200)
      ).body.computedAt,
    ).toBe(lab.first.computedAt);
    // Every hour of the meter file gets a temperature. Synthetic (no London weather for these years is
    // committed): a seasonal and a daily swing, 11 − 6·cos(2π(day − 15)/365) + 3·sin(2π(hour − 9)/24) °C;
    // this checks that the import reaches the stored verification, not what the weather explains.
    const weatherCsv = [
      'timestamp,temperature_c',
      ...lines.map((l) => {
        const ts = l.slice(0, 19);
        const day =
          (Date.parse(`${ts.slice(0, 10)}T00:00:00Z`) - Date.parse(`${ts.slice(0, 4)}-01-01T00:00:00Z`)) /
          86_400_000;
        const hour = Number(ts.slice(11, 13));
        const c =
          11 - 6 * Math.cos((2 * Math.PI * (day - 15)) / 365) + 3 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
        return `${ts},${c.toFixed(1)}`;
      }),
    ].join('\n');
    const up = await t.http
      .post(api(`/sites/${lab.siteId}/weather`))
      .set(a.auth)
      .attach('file', Buffer.from(weatherCsv), 'lab-weather.csv')
      .expect(202);
    expect((await waitFor(t, api(`/imports/${up.body.importId}`), a.auth, 60_000)).status).toBe('succeeded');

    const v = await verification(lab.recId);
    expect(v.computedAt > lab.first.computedAt).toBe(true);
    expect(v.weatherNormalised).toBe(true);
    expect(v.label).toBe('weather-normalised');
    expect(v.method.model).toBe('caltrack-towt-hourly');
    // the same metered hours, each with an imported temperature now (≥ 90 %: no weather source asked)
    expect(v.weather).toEqual({
      hours: lab.first.hours,
      importedHours: lab.first.hours,
      fetchedHours: 0,
      source: null,
    });
    expect(v.warnings.join(' ')).not.toMatch(/HALVE_WEATHER_SOURCE/);
  }, 60_000);

  it("the weather source: off asks nothing; on, fetches by the site's coordinates once, then reads its per-site cache", async () => {
    // A local server answering like the Open-Meteo archive with the committed response (test/fixtures/weather).
    const body = readFileSync(
      join(__dirname, '..', 'fixtures', 'weather', 'open-meteo-archive-phoenix-2015-03-03_05.json'),
      'utf8',
    );
    const requests: URL[] = [];
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(url);
      const ok =
        url.searchParams.get('start_date') === '2015-03-03' &&
        url.searchParams.get('end_date') === '2015-03-05';
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(ok ? body : '{"error":true,"reason":"Parameter \'start_date\' is out of allowed range"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const archive = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/archive`;
    let on: TestApp | undefined;
    try {
      const phoenix = {
        name: 'Phoenix office',
        country: 'US',
        timezone: 'America/Phoenix',
        latitude: 33.45,
        longitude: -112.07,
      };
      const range = { from: new Date('2015-03-03T00:00:00Z'), to: new Date('2015-03-06T00:00:00Z') };
      // This app was started without HALVE_WEATHER_SOURCE (off): no request.
      const offSite = (await t.http.post(api('/sites')).set(a.auth).send(phoenix).expect(201)).body as {
        id: string;
        latitude: number;
        longitude: number;
      };
      expect(await t.app.get(WeatherSourceService).temperatures(a.orgId, offSite, range)).toEqual({
        source: null,
        status: 'off',
        message: 'HALVE_WEATHER_SOURCE is off',
        points: [],
      });
      expect(requests).toHaveLength(0);

      // An app started with the source on, pointed at the local archive.
      on = await startApp({
        env: {
          HALVE_AUTO_ANALYSE: 'off',
          HALVE_WEATHER_SOURCE: 'open-meteo',
          HALVE_WEATHER_SOURCE_URL: archive,
        },
      });
      expect([on.config.weatherSource, on.config.weatherSourceUrl]).toEqual(['open-meteo', archive]);
      const c = await signup(on, 'mv-weather-on');
      const site = (await on.http.post(`/api/v1/orgs/${c.orgId}/sites`).set(c.auth).send(phoenix).expect(201))
        .body as { id: string; latitude: number; longitude: number };
      const weather = on.app.get(WeatherSourceService);
      // the same cache read by a service whose setting is off (as after a restart with the source off)
      const weatherOff = new WeatherSourceService(on.app.get(Db), {
        weatherSource: 'off',
        weatherSourceUrl: null,
      });
      const fetched = await weather.temperatures(c.orgId, site, range);
      expect(fetched).toEqual(expect.objectContaining({ source: 'open-meteo', status: 'fetched' }));
      expect(fetched.points).toHaveLength(72);
      // the fixture's first hours: 13.3, 12.2, 11.7 °C from 2015-03-03 00:00 UTC
      expect(fetched.points.slice(0, 3)).toEqual([
        { ts: new Date('2015-03-03T00:00:00Z'), temperatureC: 13.3 },
        { ts: new Date('2015-03-03T01:00:00Z'), temperatureC: 12.2 },
        { ts: new Date('2015-03-03T02:00:00Z'), temperatureC: 11.7 },
      ]);
      expect(requests.map((u) => [u.searchParams.get('latitude'), u.searchParams.get('longitude')])).toEqual([
        ['33.4500', '-112.0700'],
      ]);

      // asked again, and with the source off: the cache, no request
      expect(await weather.temperatures(c.orgId, site, range)).toEqual({
        ...fetched,
        status: 'cached',
        message: null,
      });
      const offCached = await weatherOff.temperatures(c.orgId, site, range);
      expect(offCached.status).toBe('cached');
      expect(offCached.points).toEqual(fetched.points);
      expect(requests).toHaveLength(1);
      // what a verification's input hash takes of it: 72 hours fetched, none imported
      const fingerprint = await weather.fingerprint(c.orgId, site, range);
      expect([fingerprint.imported.hours, fingerprint.fetched.hours]).toEqual([0, 72]);

      // a range the archive refuses: failed, with its reason, and the cached hours it has
      const wider = await weather.temperatures(c.orgId, site, {
        from: range.from,
        to: new Date('2015-03-07T00:00:00Z'),
      });
      expect(wider).toEqual(
        expect.objectContaining({
          source: 'open-meteo',
          status: 'failed',
          message: expect.stringMatching(/HTTP 400: Parameter 'start_date'/),
        }),
      );
      expect(wider.points).toHaveLength(72);
      // the cache is per tenant: another organisation's site of the same id sees nothing
      const b = await signup(on, 'mv-noweather-b');
      expect((await weatherOff.temperatures(b.orgId, site, range)).points).toEqual([]);
    } finally {
      await on?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
