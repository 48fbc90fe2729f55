import ExcelJS from 'exceljs';
import Decimal from 'decimal.js';
import { Body, SignedUp, TestApp, createSite, serverMode, signup, startApp } from '../support/harness';

/**
 * The reports SMEs are asked for (issue 18 item 5): the VSME workbook's B3 Scope 1 is the inventory's,
 * the PDF is a PDF, the SBTi SME target is 42 % below the base year and sets a target with one call,
 * the progress summary follows the line to −50 % by 2030, and another organisation's id is refused.
 */
type Parser = Parameters<ReturnType<TestApp['http']['get']>['parse']>[0];
const binary: Parser = (res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe(`SME reports (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  const api = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const activity = (o: SignedUp, body: Body) =>
    t.http.post(api(o, '/activities')).set(o.auth).send(body).expect(201);
  const inventory = async (o: SignedUp, year: number) =>
    (
      await t.http
        .get(api(o, `/inventory?from=${year}-01-01&to=${year + 1}-01-01`))
        .set(o.auth)
        .expect(200)
    ).body as Body;

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'vsme');
    b = await signup(t, 'vsme-other');
    await t.http
      .patch(`/api/v1/orgs/${a.orgId}`)
      .set(a.auth)
      .send({ currency: 'EUR', baseYear: 2023 })
      .expect(200);
    await createSite(t, a, {
      name: 'Works',
      address: '3 Mill Lane, Leeds LS1 1AA',
      latitude: 53.8,
      longitude: -1.55,
    });
    // the starter-footprint profile gives the NACE code, employees and revenue the organisation settings lack
    await t.http
      .put(api(a, '/starter-profile'))
      .set(a.auth)
      .send({
        sectorScheme: 'nace',
        sectorCode: '62.01',
        employees: 20,
        annualRevenue: '2500000',
        currency: 'EUR',
        floorAreaM2: '500',
        country: 'GB',
        year: 2024,
      })
      .expect(200);
    const gas = { activity: 'natural_gas', unit: 'kWh', basis: 'gross', dataQuality: 1 };
    await activity(a, { ...gas, quantity: 40000, periodFrom: '2023-01-01', periodTo: '2024-01-01' });
    await activity(a, { ...gas, quantity: 30000, periodFrom: '2024-01-01', periodTo: '2025-01-01' });
    await activity(a, {
      activity: 'diesel',
      unit: 'litre',
      quantity: 500,
      periodFrom: '2024-03-01',
      periodTo: '2024-04-01',
      dataQuality: 1,
    });
  });
  afterAll(() => t?.close());

  it('downloads the VSME workbook whose B3 Scope 1 is the inventory’s, and its energy in MWh', async () => {
    const inv = await inventory(a, 2024);
    expect(inv.scope1KgCo2e).toBeGreaterThan(0);
    const res = await t.http
      .get(api(a, '/reports/vsme?year=2024&format=xlsx&turnover=2500000&legalForm=Ltd'))
      .set(a.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="halve-vsme-2024.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const b3 = wb.getWorksheet('B3 Energy and GHG emissions');
    const b1 = wb.getWorksheet('B1 Basis for preparation');
    expect(b3 && b1).toBeTruthy();
    const row = (ws: ExcelJS.Worksheet, id: string) => {
      let found: ExcelJS.CellValue[] | undefined;
      ws.eachRow((r) => {
        if (r.getCell(1).value === id) found = r.values as ExcelJS.CellValue[];
      });
      return found;
    };
    const scope1 = row(b3 as ExcelJS.Worksheet, 'B3.scope1');
    expect(scope1?.[3]).toBe(new Decimal(inv.scope1KgCo2e).div(1000).toDecimalPlaces(3).toNumber());
    expect(scope1?.[4]).toBe('tCO2e');
    // fuels: 30,000 kWh gas + 500 l diesel at the library's implied calorific value, all non-renewable
    const fuels = row(b3 as ExcelJS.Worksheet, 'B3.energy.fuels');
    expect(fuels?.[3]).toBe(0);
    expect(Number(fuels?.[4])).toBeGreaterThan(30);
    expect(row(b1 as ExcelJS.Worksheet, 'B1.legalForm')?.[3]).toBe('Ltd');
    expect(row(b1 as ExcelJS.Worksheet, 'B1.balanceSheet')?.[3]).toBe('not provided');
    expect(row(b1 as ExcelJS.Worksheet, 'B1.site')?.slice(2, 6)).toEqual([
      'Works',
      '3 Mill Lane, Leeds LS1 1AA',
      'GB',
      '53.8, -1.55',
    ]);

    // no turnover on the request: the starter profile's EUR 2.5 million
    const data = (await t.http.get(api(a, '/reports/vsme/data?year=2024')).set(a.auth).expect(200))
      .body as Body;
    const b1Point = (id: string) => data.b1.find((p: Body) => p.id === id);
    expect(b1Point('B1.nace')).toMatchObject({ value: '62.01', origin: 'starter profile' });
    expect(b1Point('B1.turnover')).toMatchObject({ number: 2500000, origin: 'starter profile' });
    expect(b1Point('B1.employees')).toMatchObject({ number: 20, origin: 'starter profile' });
    const intensity = data.b3.find((p: Body) => p.id === 'B3.intensityLocation');
    const s12 = new Decimal(inv.scope1KgCo2e).plus(inv.scope2LocationKgCo2e).div(1000);
    expect(intensity).toMatchObject({
      number: s12.div(2.5).toDecimalPlaces(6).toNumber(),
      unit: 'tCO2e / EUR million',
    });
  });

  it('downloads the VSME report as a PDF', async () => {
    const res = await t.http
      .get(api(a, '/reports/vsme?year=2024&format=pdf'))
      .set(a.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="halve-vsme-2024.pdf"');
    expect((res.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('lays out the SBTi SME target and sets it with one call to /targets', async () => {
    const base = await inventory(a, 2023);
    const s = (await t.http.get(api(a, '/reports/sbti-sme?baseYear=2023')).set(a.auth).expect(200))
      .body as Body;
    const s12 = new Decimal(base.scope1KgCo2e).plus(base.scope2MarketKgCo2e).div(1000);
    expect(s.targetValueTco2e).toBe(s12.times(0.58).toDecimalPlaces(3).toNumber());
    expect(s).toMatchObject({
      baseYear: 2023,
      targetYear: 2030,
      reductionPct: 42,
      basePeriod: { from: '2023-01-01' },
    });
    const target = await t.http.post(api(a, '/targets')).set(a.auth).send(s.createTarget).expect(201);
    expect(target.body).toMatchObject({ baseYear: 2023, targetYear: 2030, reductionPct: 42, scopes: [1, 2] });
    await t.http
      .get(api(a, '/reports/sbti-sme?baseYear=2015'))
      .set(a.auth)
      .expect(400)
      .expect((r) => expect(JSON.stringify(r.body)).toContain('baseYear'));
  });

  it('summarises the year against the straight line to −50 % by 2030', async () => {
    const [base, cur] = [await inventory(a, 2023), await inventory(a, 2024)];
    const p = (await t.http.get(api(a, '/reports/progress?year=2024')).set(a.auth).expect(200)).body as Body;
    const b12 = new Decimal(base.scope1KgCo2e).plus(base.scope2MarketKgCo2e).div(1000);
    // 2024 on the line from 2023 to 2030: 1 − 0.5 × 1/7 of the base
    const expected = b12
      .times(new Decimal(1).minus(new Decimal(0.5).div(7)))
      .toDecimalPlaces(3)
      .toNumber();
    expect(p).toMatchObject({ baseYear: 2023, year: 2024, expectedTco2e: expected, yearsTo2030: 6 });
    const actual = new Decimal(cur.scope1KgCo2e)
      .plus(cur.scope2MarketKgCo2e)
      .div(1000)
      .toDecimalPlaces(3)
      .toNumber();
    expect(p.actualTco2e).toBe(actual);
    expect(p.onTrack).toBe(actual <= expected);
  });

  it('refuses another organisation’s reports', async () => {
    for (const path of [
      '/reports/vsme?year=2024&format=xlsx',
      '/reports/vsme/data?year=2024',
      '/reports/sbti-sme?baseYear=2023',
      '/reports/progress?year=2024',
    ]) {
      const res = await t.http.get(api(a, path)).set(b.auth);
      expect([403, 404]).toContain(res.status);
    }
  });
});
