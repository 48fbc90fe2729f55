import Decimal from 'decimal.js';
import { SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * The starter footprint (issue 18 item 4) through the API: a profile, its estimate by scope with every line
 * marked estimate, then a gas activity for the year replaces the Scope 1 heating line (and only it) while the
 * others stay estimated, and an electricity bill the Scope 2 line; another tenant's organisation id is refused.
 */
const kg = (d: Decimal) => d.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

// Worked out here from the published values:
//  NACE 62.01 → IT sector → BDG2 "Office": median 165.2 kWh/m²/yr (10 metered buildings, 2017; derive-eui.mjs)
//  heating: CIBSE TM46 general office fossil-thermal typical, 120 kWh/m²/yr
//  DESNZ 2024: grid electricity 0.20705 kg CO2e/kWh; natural gas 0.18290 kg CO2e/kWh (gross CV)
//  a GBP profile is priced as a GBP ledger is: EXIOBASE GB "computer related services" 0.0848 kg CO2e/EUR 2019
//  purchase share assumed for the IT sector: 0.30; 2024: GBP 1.2781 USD, EUR 1.0824 USD; HICP 2019 104.80, 2024 126.07
const AREA = new Decimal(500);
const REVENUE = new Decimal(2_000_000);
const ELECTRICITY = kg(AREA.times('165.2').times('0.20705'));
const HEATING = kg(AREA.times(120).times('0.18290'));
const PURCHASES = kg(
  REVENUE.times('0.30')
    .times(new Decimal('1.2781').div('1.0824'))
    .times(new Decimal('104.80').div('126.07'))
    .times('0.0848'),
);

describe(`starter footprint (${serverMode().database})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const api = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const profile = {
    sectorScheme: 'nace',
    sectorCode: '62.01',
    employees: 20,
    annualRevenue: '2000000',
    currency: 'GBP',
    floorAreaM2: '500',
    country: 'GB',
    year: 2024,
  };

  it('estimates by scope from a profile and replaces the heating line once gas is entered', async () => {
    const a = await signup(t, 'starter');
    await t.http.get(api(a, '/starter-profile')).set(a.auth).expect(404);
    const saved = await t.http.put(api(a, '/starter-profile')).set(a.auth).send(profile).expect(200);
    expect(saved.body).toMatchObject({ sector: 'it_media', sectorCode: '62.01', employees: 20 });
    const got = await t.http.get(api(a, '/starter-profile')).set(a.auth).expect(200);
    expect(got.body).toMatchObject({ annualRevenue: '2000000', floorAreaM2: '500', country: 'GB' });

    const first = (await t.http.get(api(a, '/starter-footprint?year=2024')).set(a.auth).expect(200)).body;
    expect(first.estimate).toBe(true);
    const byKey = (body: { lines: { key: string }[] }) =>
      Object.fromEntries(body.lines.map((l) => [l.key, l])) as Record<string, Record<string, unknown>>;
    const l1 = byKey(first);
    expect(l1.scope2_electricity).toMatchObject({ estimate: true, status: 'estimated', kgCo2e: ELECTRICITY });
    expect(l1.scope1_heating).toMatchObject({ estimate: true, status: 'estimated', kgCo2e: HEATING });
    expect(l1.scope3_purchases).toMatchObject({ estimate: true, status: 'estimated', kgCo2e: PURCHASES });
    expect(first.combined).toMatchObject({
      scope1KgCo2e: HEATING,
      scope2KgCo2e: ELECTRICITY,
      scope3KgCo2e: PURCHASES,
    });
    expect(first.measured.totalKgCo2e).toBe(0);
    expect(first.notEstimated.map((o: { what: string }) => o.what).join()).toMatch(/commuting/);

    await t.http
      .post(api(a, '/activities'))
      .set(a.auth)
      .send({
        activity: 'natural_gas',
        quantity: 1000,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-01-01',
        periodTo: '2024-02-01',
        dataQuality: 1,
      })
      .expect(201);
    const second = (await t.http.get(api(a, '/starter-footprint?year=2024')).set(a.auth).expect(200)).body;
    const l2 = byKey(second);
    const gas = kg(new Decimal(1000).times('0.18290')); // 182.9
    expect(l2.scope1_heating).toMatchObject({
      status: 'replaced by measured data',
      kgCo2e: HEATING,
      measuredKgCo2e: gas,
    });
    expect(l2.scope2_electricity.status).toBe('estimated');
    expect(l2.scope3_purchases.status).toBe('estimated');
    expect(second.measured.scope1KgCo2e).toBe(gas);
    expect(second.combined).toMatchObject({
      scope1KgCo2e: gas,
      scope2KgCo2e: ELECTRICITY,
      scope3KgCo2e: PURCHASES,
    });
    // an electricity bill of a business with no meter replaces the Scope 2 line
    await t.http
      .post(api(a, '/bills'))
      .set(a.auth)
      .send({
        commodity: 'electricity',
        periodFrom: '2024-01-01',
        periodTo: '2024-01-31',
        quantity: 800,
        unit: 'kWh',
      })
      .expect(201);
    const third = (await t.http.get(api(a, '/starter-footprint?year=2024')).set(a.auth).expect(200)).body;
    const power = kg(new Decimal(800).times('0.20705')); // 165.64, DESNZ 2024 UK electricity
    expect(byKey(third).scope2_electricity).toMatchObject({
      status: 'replaced by measured data',
      measuredKgCo2e: power,
    });
    expect(byKey(third).scope3_purchases.status).toBe('estimated');
    // the measured Scope 3 now holds the bill's T&D losses (category 3, DESNZ 2024 0.0183 kg/kWh): the
    // combined Scope 3 is that plus the purchases line, still estimated
    const losses = kg(new Decimal(800).times('0.0183')); // 14.64
    expect(third.measured.scope3KgCo2e).toBe(losses);
    expect(third.combined).toMatchObject({
      scope1KgCo2e: gas,
      scope2KgCo2e: power,
      scope3KgCo2e: kg(new Decimal(PURCHASES).plus(losses)),
    });
    // another year has no gas: the line is estimated there
    const other = (await t.http.get(api(a, '/starter-footprint?year=2023')).set(a.auth).expect(200)).body;
    expect(byKey(other).scope1_heating.status).toBe('estimated');
  });

  it('names the field of a bad profile and refuses another tenant', async () => {
    const a = await signup(t, 'starter-bad');
    const b = await signup(t, 'starter-other');
    const bad = await t.http
      .put(api(a, '/starter-profile'))
      .set(a.auth)
      .send({ ...profile, sectorCode: '01.11' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('sectorCode');
    const neg = await t.http
      .put(api(a, '/starter-profile'))
      .set(a.auth)
      .send({ ...profile, floorAreaM2: '-5' })
      .expect(400);
    expect(JSON.stringify(neg.body.errors)).toMatch(/floorAreaM2/);
    await t.http.get(api(a, '/starter-footprint?year=24')).set(a.auth).expect(400);
    await t.http.put(api(b, '/starter-profile')).set(b.auth).send(profile).expect(200);
    const refused = await t.http.get(api(b, '/starter-profile')).set(a.auth);
    expect([403, 404]).toContain(refused.status);
    const refusedPut = await t.http.put(api(b, '/starter-profile')).set(a.auth).send(profile);
    expect([403, 404]).toContain(refusedPut.status);
    await t.http.get(api(a, '/starter-footprint?year=2024')).set(a.auth).expect(404);
  });
});
