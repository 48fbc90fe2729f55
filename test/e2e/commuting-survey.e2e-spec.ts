import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * The commuting survey (issue 18 item 1, Scope 3 category 7): an organisation shares a link, employees
 * answer without logging in, the organisation sees the answers and the total extrapolated to all its
 * employees (answers × employees ÷ respondents), and records it as activities. Golden figures worked out
 * here from the DESNZ 2024 rows of libs/carbon/data/emission-factors.csv.
 */
const D = (v: string | number) => new Decimal(v);
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
function csvFactor(id: string): string {
  const lines = readFileSync(join(__dirname, '../../libs/carbon/data/emission-factors.csv'), 'utf8').split(
    '\n',
  );
  const header = lines[0].split(',');
  const row = lines.find((l) => l.startsWith(`${id},`));
  if (!row) throw new Error(`no row ${id}`);
  return row.split(',')[header.indexOf('kgCo2ePerUnit')];
}

describe(`commuting survey (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let o: SignedUp;
  let other: SignedUp;
  let survey: { id: string; token: string; link: string };
  const org = (path: string) => `/api/v1/orgs/${o.orgId}/commuting-surveys${path}`;
  const pub = (token: string) => `/api/v1/commuting-surveys/${token}`;

  beforeAll(async () => {
    t = await startApp();
    o = await signup(t, 'commuting');
    other = await signup(t, 'commuting-other');
  });
  afterAll(() => t?.close());

  it('creates a survey with a shareable link that employees open and answer without logging in', async () => {
    const res = await t.http
      .post(org(''))
      .set(o.auth)
      .send({ year: 2024, title: 'How we got to work in 2024', employees: 10 })
      .expect(201);
    survey = res.body;
    expect(survey.token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(survey.link).toBe(`/survey/${survey.token}`);
    const page = await t.http.get(pub(survey.token)).expect(200);
    expect(page.body).toMatchObject({ title: 'How we got to work in 2024', year: 2024, closed: false });
    expect(page.body.modes.map((m: { mode: string }) => m.mode)).toEqual(
      expect.arrayContaining(['car', 'rail', 'cycle', 'bus']),
    );
    for (const answer of [
      { mode: 'car', distanceKm: '10', daysPerWeek: '5', weeksPerYear: '46' },
      { mode: 'rail', distanceKm: 20, daysPerWeek: 3, weeksPerYear: 44 },
      { mode: 'cycle', distanceKm: '3', daysPerWeek: '5', weeksPerYear: '46' },
    ])
      expect((await t.http.post(pub(survey.token)).send(answer).expect(201)).body).toEqual({
        received: true,
      });
  });

  it('refuses bad answers with the field named, and links that are not the survey’s', async () => {
    const ok = { mode: 'car', distanceKm: '10', daysPerWeek: '5', weeksPerYear: '46' };
    const days = await t.http
      .post(pub(survey.token))
      .send({ ...ok, daysPerWeek: '8' })
      .expect(400);
    expect(days.body.errors).toEqual([{ field: 'daysPerWeek', message: 'must be at most 7' }]);
    const mode = await t.http
      .post(pub(survey.token))
      .send({ ...ok, mode: 'rocket' })
      .expect(400);
    expect(mode.body.errors[0].field).toBe('mode');
    await t.http.get(pub('not-a-token')).expect(404);
    // the same organisation and survey with another secret
    const tampered = Buffer.from(survey.token, 'base64url');
    tampered[40] ^= 0xff;
    await t.http
      .post(pub(tampered.toString('base64url')))
      .send(ok)
      .expect(404);
  });

  it('shows the answers and the total extrapolated to all employees, priced at the DESNZ 2024 factors', async () => {
    const res = await t.http
      .get(org(`/${survey.id}`))
      .set(o.auth)
      .expect(200);
    const car = csvFactor('desnz-2024:business_travel_car.average_car.unknown:GB:2024:km');
    const rail = csvFactor('desnz-2024:business_travel_rail.national_rail:GB:2024:passenger_km');
    // car: 10 km × 2 × 5 days × 46 weeks = 4,600 km; × 10 employees ÷ 3 respondents
    const carKm = D(4600).times(10).div(3).toDecimalPlaces(3, Decimal.ROUND_HALF_UP);
    // rail: 20 × 2 × 3 × 44 = 5,280 passenger.km; × 10 ÷ 3
    const railKm = D(5280).times(10).div(3).toDecimalPlaces(3, Decimal.ROUND_HALF_UP);
    expect(res.body).toMatchObject({ respondents: 3, employees: 10, scale: '3.333333' });
    expect(res.body.responses).toHaveLength(3);
    const byMode = Object.fromEntries(
      (res.body.modes as { mode: string; surveyedKm: string; extrapolatedKm: string; kgCo2e: number }[]).map(
        (m) => [m.mode, m],
      ),
    ) as Record<string, { surveyedKm: string; extrapolatedKm: string; kgCo2e: number }>;
    expect(byMode.car).toMatchObject({
      surveyedKm: '4600',
      extrapolatedKm: carKm.toFixed(),
      kgCo2e: kg(carKm.times(car)),
    });
    expect(byMode.rail).toMatchObject({ surveyedKm: '5280', kgCo2e: kg(railKm.times(rail)) });
    expect(byMode.cycle).toMatchObject({ surveyedKm: '1380', kgCo2e: 0 });
    expect(res.body.totalKgCo2e).toBeCloseTo(kg(carKm.times(car)) + kg(railKm.times(rail)), 3);
    await t.http
      .get(`/api/v1/orgs/${other.orgId}/commuting-surveys/${survey.id}`)
      .set(other.auth)
      .expect(404);
  });

  it('records the total as Scope 3 category 7 activities, replacing them when recorded again', async () => {
    const first = await t.http
      .post(org(`/${survey.id}/activities`))
      .set(o.auth)
      .expect(201);
    expect(first.body.activityIds).toHaveLength(2); // car and rail; cycling is 0
    const priced = (await t.http.get(`/api/v1/orgs/${o.orgId}/activities/priced`).set(o.auth).expect(200))
      .body as { id: string; scope: number; scope3Category: number; kgCo2e: number; dataQuality: number }[];
    const made = priced.filter((a) => first.body.activityIds.includes(a.id));
    expect(made.map((a) => [a.scope, a.scope3Category, a.dataQuality])).toEqual([
      [3, 7, 4],
      [3, 7, 4],
    ]);
    expect(made.reduce((s, a) => s + a.kgCo2e, 0)).toBeCloseTo(first.body.totalKgCo2e, 3);
    const again = await t.http
      .post(org(`/${survey.id}/activities`))
      .set(o.auth)
      .expect(201);
    const after = (await t.http.get(`/api/v1/orgs/${o.orgId}/activities`).set(o.auth).expect(200)).body as {
      id: string;
    }[];
    expect(after.map((a) => a.id).sort()).toEqual([...again.body.activityIds].sort());
  });

  it('a closed survey takes no more answers; the public endpoints are throttled per address', async () => {
    await t.http
      .patch(org(`/${survey.id}`))
      .set(o.auth)
      .send({ closed: true })
      .expect(200);
    const closed = await t.http
      .post(pub(survey.token))
      .send({ mode: 'bus', distanceKm: '5', daysPerWeek: '5', weeksPerYear: '46' })
      .expect(409);
    expect(closed.body.detail).toMatch(/closed/);
    let limited: { status: number; headers: Record<string, string> } | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await t.http.get(pub(survey.token));
      if (r.status === 429) limited = r;
    }
    expect(limited?.headers['retry-after']).toMatch(/^\d+$/);
  });
});
