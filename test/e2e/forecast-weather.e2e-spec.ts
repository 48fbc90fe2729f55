/**
 * A load forecast at a site with weather history but no temperature forecast (issue 19): it is made
 * with yesterday's temperature at the same hour persisted, and its reason says so; once the site has
 * temperature rows for the horizon, those are used and the reason says that instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';

// Six weeks of the demo's Phoenix office (BDG1 Office_Abigail, 2015-07-06 .. 2015-08-16), kWh and °C.
const rows = readFileSync(
  join(
    __dirname,
    '..',
    '..',
    'libs',
    'forecasting',
    'src',
    '__fixtures__',
    'office-abigail-2015-6w-weather.csv',
  ),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));

describe(`load forecast with persisted temperature (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;

  const upload = async (path: string, csv: string, name: string) => {
    const res = await t.http.post(api(path)).set(a.auth).attach('file', Buffer.from(csv), name).expect(202);
    const report = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth);
    expect(report.status).toBe('succeeded');
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'fc-weather');
  });
  afterAll(() => t?.close());

  it('persists yesterday’s temperature over a horizon without a forecast, and names it in the reason', async () => {
    const siteId = (
      await t.http
        .post(api('/sites'))
        .set(a.auth)
        .send({ name: 'Phoenix office', country: 'US', timezone: 'America/Phoenix' })
        .expect(201)
    ).body.id as string;
    const meterId = (
      await t.http
        .post(api('/meters'))
        .set(a.auth)
        .send({ siteId, name: 'Main', kind: 'electricity_import', unit: 'kWh', intervalMinutes: 60 })
        .expect(201)
    ).body.id as string;
    const history = rows.filter((r) => r[0] < '2015-08-10');
    await upload(
      `/meters/${meterId}/imports`,
      ['timestamp,kwh', ...history.map((r) => `${r[0]},${r[1]}`)].join('\n'),
      'office.csv',
    );
    await upload(
      `/sites/${siteId}/weather`,
      ['timestamp,temperature_c', ...history.map((r) => `${r[0]},${r[2]}`)].join('\n'),
      'weather.csv',
    );
    const ask = () =>
      t.http.get(api(`/meters/${meterId}/forecast?from=2015-08-10&to=2015-08-11`)).set(a.auth);
    const fc = await ask();
    expect({ status: fc.status, detail: fc.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(fc.body.baseline).toBe('hourOfWeekTemperature');
    expect(fc.body.reason).toMatch(
      /no temperature forecast for the horizon: yesterday's temperature at the same hour persisted for 24/,
    );
    expect(fc.body.points).toHaveLength(24);
    expect(fc.body.points.every((p: { p50: number }) => Number.isFinite(p.p50) && p.p50 >= 0)).toBe(true);

    // the forecast day's temperature arrives (here the measured one): it is used, and said
    const day = rows.filter((r) => r[0] >= '2015-08-10' && r[0] < '2015-08-11');
    await upload(
      `/sites/${siteId}/weather`,
      ['timestamp,temperature_c', ...day.map((r) => `${r[0]},${r[2]}`)].join('\n'),
      'forecast.csv',
    );
    const again = await ask();
    expect(again.status).toBe(200);
    expect(again.body.reason).toMatch(/temperature: the site's weather forecast/);
    expect(again.body.reason).not.toMatch(/persisted/);
    expect(again.body.points.map((p: { p50: number }) => p.p50)).not.toEqual(
      fc.body.points.map((p: { p50: number }) => p.p50),
    );
  }, 120_000);
});
