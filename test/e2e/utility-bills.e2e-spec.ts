import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * Utility bills (issue 18 item 2) through the API: a bill of a meter without interval data reaches the
 * inventory's Scope 2 split by days over the months it covers; a bill of an interval meter is reconciled;
 * a bills file is all or nothing. Golden numbers are worked out here from DESNZ 2024 (GB grid 0.20705 kg CO2e/kWh).
 */
const D = (v: string | number) => new Decimal(v);
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
const GB_2024 = '0.20705';

interface InventoryLine {
  lineId?: string;
  flag?: string;
  source?: string;
  meterId?: string;
  month?: string;
  method?: string;
  quantity: number;
  kgCo2e: number;
}

describe(`utility bills (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const api = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const post = (o: SignedUp, path: string, body: object) => t.http.post(api(o, path)).set(o.auth).send(body);
  const get = (o: SignedUp, path: string) => t.http.get(api(o, path)).set(o.auth);
  const inventory = async (o: SignedUp, from: string, to: string) =>
    (await get(o, `/inventory?from=${from}&to=${to}`).expect(200)).body as {
      scope1KgCo2e: number;
      scope2LocationKgCo2e: number;
      warnings: { code: string; message: string; lineId?: string }[];
      byMonth: { month: string; scope2LocationKgCo2e: number }[];
      lines: InventoryLine[];
    };

  async function meter(o: SignedUp, intervalMinutes: number | null, kind = 'electricity_import') {
    const site = await post(o, '/sites', { name: 'Shop', country: 'GB', timezone: 'Europe/London' }).expect(
      201,
    );
    const m = await post(o, '/meters', {
      siteId: site.body.id,
      name: 'Supply',
      kind,
      unit: 'kWh',
      intervalMinutes,
    });
    expect(m.status).toBe(201);
    return m.body.id as string;
  }

  it('golden: a bill 15 Jan – 14 Feb of 3,100 kWh lands in Scope 2 as 1,700 kWh in January and 1,400 in February', async () => {
    const a = await signup(t, 'bill-split');
    const meterId = await meter(a, null);
    const res = await post(a, '/bills', {
      meterId,
      supplier: 'Octopus Energy',
      account: 'A-1',
      periodFrom: '2024-01-15',
      periodTo: '2024-02-14',
      quantity: 3100,
      unit: 'kWh',
      cost: 930,
      currency: 'gbp',
      tariffName: 'Fixed 12M',
    }).expect(201);
    // split by days, worked out here: 17 of the 31 days are in January, 14 in February
    expect(D(3100).times(17).div(31).toNumber()).toBe(1700);
    expect(D(3100).times(14).div(31).toNumber()).toBe(1400);
    expect(res.body).toMatchObject({
      days: 31,
      meterQuantity: 3100,
      kwh: 3100,
      currency: 'GBP',
      countedAsReadings: true,
      reconciliation: null,
      months: [
        { month: '2024-01', days: 17, quantity: 1700 },
        { month: '2024-02', days: 14, quantity: 1400 },
      ],
    });
    const inv = await inventory(a, '2024-01-01', '2025-01-01');
    const lines = inv.lines.filter((l) => l.meterId === meterId && l.method === 'location');
    expect(lines.map((l) => [l.month, l.quantity])).toEqual([
      ['2024-01', 1700],
      ['2024-02', 1400],
    ]);
    expect(inv.scope2LocationKgCo2e).toBe(kg(D(3100).times(GB_2024))); // 641.855
    const month = (m: string) => inv.byMonth.find((x) => x.month === m)?.scope2LocationKgCo2e;
    expect(month('2024-01')).toBe(kg(D(1700).times(GB_2024))); // 351.985
    expect(month('2024-02')).toBe(kg(D(1400).times(GB_2024))); // 289.87

    // an overlapping bill would count days twice: refused; deleting the bill takes its readings with it
    await post(a, '/bills', {
      meterId,
      periodFrom: '2024-02-10',
      periodTo: '2024-03-09',
      quantity: 1,
      unit: 'kWh',
    }).expect(400);
    await t.http
      .delete(api(a, `/bills/${res.body.id}`))
      .set(a.auth)
      .expect(204);
    expect((await inventory(a, '2024-01-01', '2025-01-01')).scope2LocationKgCo2e).toBe(0);
    await get(a, `/bills/${res.body.id}`).expect(404);
  });

  it('reconciles a bill against interval data and flags a 5 % difference; the inventory counts the interval data once', async () => {
    const a = await signup(t, 'bill-reconcile');
    const meterId = await meter(a, 60);
    // 1–2 March 2024 (GMT): 48 hours × 10 kWh = 480 kWh measured
    const readings = Array.from({ length: 48 }, (_, i) => ({
      ts: new Date(Date.UTC(2024, 2, 1, i)).toISOString(),
      value: 10,
    }));
    await post(a, `/meters/${meterId}/readings`, { readings }).expect(201);
    const billed = await post(a, '/bills', {
      meterId,
      periodFrom: '2024-03-01',
      periodTo: '2024-03-02',
      quantity: 504,
      unit: 'kWh',
    }).expect(201);
    expect(billed.body.countedAsReadings).toBe(false);
    expect(billed.body.reconciliation).toMatchObject({ intervalQuantity: 480, readings: 48, flagged: true });
    expect(billed.body.reconciliation.differencePercent).toBeCloseTo(5, 9); // (504 − 480) ÷ 480
    const close = await post(a, '/bills', {
      meterId,
      periodFrom: '2024-03-03',
      periodTo: '2024-03-03',
      quantity: 0.24,
      unit: 'MWh',
    }).expect(201);
    expect(close.body.reconciliation).toBeNull(); // no interval data on 3 March
    const listed = (await get(a, `/bills?meterId=${meterId}`).expect(200)).body as {
      id: string;
      reconciliation: { flagged: boolean } | null;
    }[];
    expect(listed.map((b) => b.id)).toEqual([billed.body.id, close.body.id]);
    const inv = await inventory(a, '2024-01-01', '2025-01-01');
    expect(inv.scope2LocationKgCo2e).toBe(kg(D(480).times(GB_2024)));
  });

  it('takes gas bills in therms at 29.307107 kWh a therm', async () => {
    const a = await signup(t, 'bill-gas');
    const meterId = await meter(a, null, 'natural_gas');
    const res = await post(a, '/bills', {
      meterId,
      periodFrom: '2024-04-01',
      periodTo: '2024-04-30',
      quantity: 100,
      unit: 'therms',
    }).expect(201);
    expect(res.body.unit).toBe('therm');
    expect(res.body.kwh).toBeCloseTo(D(100).times('105505585.262').div(3_600_000).toNumber(), 6); // 2,930.7107
  });

  it('refuses a file of 3 bills with one bad line, naming the line, and stores none of them', async () => {
    const a = await signup(t, 'bill-file');
    const meterId = await meter(a, null);
    const csv = [
      'meterId,supplier,periodFrom,periodTo,quantity,unit,cost,currency',
      `${meterId},EDF,2024-01-01,2024-01-31,1000,kWh,300,GBP`,
      `${meterId},EDF,2024-02-01,2024-02-29,lots,kWh,300,GBP`,
      `${meterId},EDF,2024-03-01,2024-03-31,1200,kWh,330,GBP`,
    ].join('\n');
    const upload = (text: string) =>
      t.http.post(api(a, '/bills/file')).set(a.auth).attach('file', Buffer.from(text), 'bills.csv');
    const refused = await upload(csv).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ line: 3, field: 'quantity' })]);
    expect(refused.body.detail ?? refused.body.title).toMatch(/line 3/);
    expect((await get(a, '/bills').expect(200)).body).toEqual([]);
    expect((await inventory(a, '2024-01-01', '2025-01-01')).scope2LocationKgCo2e).toBe(0);

    const fixed = await upload(csv.replace('lots', '1100')).expect(201);
    expect(fixed.body.created).toBe(3);
    expect((await inventory(a, '2024-01-01', '2025-01-01')).scope2LocationKgCo2e).toBe(
      kg(D(3300).times(GB_2024)),
    );
  });

  it('takes an XLSX of bills and a Green Button billing feed (one bill per billing period)', async () => {
    const a = await signup(t, 'bill-feed');
    const site = await post(a, '/sites', {
      name: 'Boston',
      country: 'US',
      timezone: 'America/New_York',
    }).expect(201);
    const gas = await post(a, '/meters', {
      siteId: site.body.id,
      name: 'Gas',
      kind: 'natural_gas',
      unit: 'kWh',
      intervalMinutes: null,
    }).expect(201);
    const feed = readFileSync(join(__dirname, '../fixtures/metering/espi-synthetic-gas-monthly-bill.xml'));
    const upload = (file: Buffer, name: string, meterId?: string) => {
      const req = t.http.post(api(a, '/bills/file')).set(a.auth);
      if (meterId) void req.field('meterId', meterId);
      return req.attach('file', file, name);
    };
    await upload(feed, 'bills.xml').expect(400); // a feed names no meter of ours
    const res = await upload(feed, 'bills.xml', gas.body.id).expect(201);
    // 10^-3 therm and 10^-5 USD; January 2023 from 1 Jan 00:00 EST for 31 days
    expect(
      res.body.bills.map(
        (b: { periodFrom: string; periodTo: string; quantity: number; unit: string; cost: number }) => [
          b.periodFrom,
          b.periodTo,
          b.quantity,
          b.unit,
          b.cost,
        ],
      ),
    ).toEqual([
      ['2023-01-01', '2023-01-31', 102.345, 'therm', 153.5175],
      ['2023-02-01', '2023-02-28', 95.012, 'therm', 142.518],
      ['2023-03-01', '2023-03-31', 71.23, 'therm', 106.845],
      ['2023-04-01', '2023-04-30', 40.005, 'therm', 60.0075],
    ]);
    expect(res.body.bills[0]).toMatchObject({
      source: 'green_button',
      currency: 'USD',
      countedAsReadings: true,
    });
    // the same feed again would count the periods twice
    await upload(feed, 'bills.xml', gas.body.id).expect(400);

    const elec = await post(a, '/meters', {
      siteId: site.body.id,
      name: 'Electricity',
      kind: 'electricity_import',
      unit: 'kWh',
      intervalMinutes: null,
    }).expect(201);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Bills');
    sheet.addRow(['Meter ID', 'Supplier', 'Period from', 'Period to', 'Quantity', 'Unit']);
    sheet.addRow([
      elec.body.id,
      'Eversource',
      new Date(Date.UTC(2023, 0, 16)),
      new Date(Date.UTC(2023, 1, 14)),
      3,
      'MWh',
    ]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const fromXlsx = await upload(xlsx, 'bills.xlsx').expect(201);
    expect(fromXlsx.body.bills[0]).toMatchObject({
      periodFrom: '2023-01-16',
      periodTo: '2023-02-14',
      days: 30,
      meterQuantity: 3000,
      months: [
        { month: '2023-01', days: 16, quantity: 1600 },
        { month: '2023-02', days: 14, quantity: 1400 },
      ],
    });
  });

  it("refuses another tenant's meter (404) and another tenant's bill", async () => {
    const a = await signup(t, 'bill-owner');
    const b = await signup(t, 'bill-other');
    const meterId = await meter(a, null);
    const bill = { meterId, periodFrom: '2024-01-01', periodTo: '2024-01-31', quantity: 10, unit: 'kWh' };
    await post(b, '/bills', bill).expect(404);
    const mine = await post(a, '/bills', bill).expect(201);
    await get(b, `/bills/${mine.body.id}`).expect(404);
    expect((await get(b, '/bills').expect(200)).body).toEqual([]);
  });

  it('takes a bill from a business without a meter: the site (from the supply address) and a billed meter are made', async () => {
    const a = await signup(t, 'bill-no-meter');
    await post(a, '/bills', { periodFrom: '2024-01-01', periodTo: '2024-01-31', quantity: 1, unit: 'kWh' })
      .expect(400)
      .expect((r) => expect(r.body.errors).toEqual([expect.objectContaining({ field: 'commodity' })]));
    const gasQ1 = await post(a, '/bills', {
      commodity: 'gas',
      supplyAddress: '3 Mill Lane, Leeds LS1 1AA',
      supplier: 'British Gas',
      periodFrom: '2024-01-01',
      periodTo: '2024-03-31',
      quantity: 4500,
      unit: 'kWh',
    }).expect(201);
    expect(gasQ1.body).toMatchObject({
      meterName: 'Gas (billed)',
      meterKind: 'natural_gas',
      countedAsReadings: true,
      months: [
        { month: '2024-01', days: 31 },
        { month: '2024-02', days: 29 },
        { month: '2024-03', days: 31 },
      ],
    });
    const sites = (await get(a, '/sites').expect(200)).body as {
      id: string;
      name: string;
      address: string;
    }[];
    expect(sites).toEqual([
      expect.objectContaining({ name: '3 Mill Lane', address: '3 Mill Lane, Leeds LS1 1AA' }),
    ]);
    expect(gasQ1.body.siteId).toBe(sites[0].id);
    // the next gas bill goes to the same meter; an electricity bill to a new billed meter of the only site
    const gasQ2 = await post(a, '/bills', {
      commodity: 'gas',
      periodFrom: '2024-04-01',
      periodTo: '2024-06-30',
      quantity: 2100,
      unit: 'kWh',
    }).expect(201);
    expect(gasQ2.body.meterId).toBe(gasQ1.body.meterId);
    const elec = await post(a, '/bills', {
      commodity: 'electricity',
      siteId: sites[0].id,
      periodFrom: '2024-01-01',
      periodTo: '2024-01-31',
      quantity: 800,
      unit: 'kWh',
    }).expect(201);
    expect(elec.body).toMatchObject({ meterName: 'Electricity (billed)', siteId: sites[0].id });
    const meters = (await get(a, '/meters').expect(200)).body as { kind: string; intervalMinutes: null }[];
    expect(meters.map((m) => [m.kind, m.intervalMinutes]).sort()).toEqual([
      ['electricity_import', null],
      ['natural_gas', null],
    ]);
    const inv = await inventory(a, '2024-01-01', '2025-01-01');
    const gasKwh = inv.lines
      .filter((l) => l.meterId === gasQ1.body.meterId)
      .reduce((sum, l) => sum.plus(l.quantity), D(0));
    expect(gasKwh.toNumber()).toBeCloseTo(6600, 6); // 4,500 + 2,100 kWh, split by days
    expect(inv.scope1KgCo2e).toBeGreaterThan(0);
    expect(inv.scope2LocationKgCo2e).toBe(kg(D(800).times(GB_2024)));
    // with a second site, a bill naming neither site nor address is refused (naming siteId)
    await post(a, '/sites', { name: 'Depot', country: 'GB', timezone: 'Europe/London' }).expect(201);
    const refused = await post(a, '/bills', {
      commodity: 'gas',
      periodFrom: '2024-07-01',
      periodTo: '2024-07-31',
      quantity: 10,
      unit: 'kWh',
    }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'siteId' })]);
  });

  it('takes a bills file without meters: rows name the commodity and supply address', async () => {
    const a = await signup(t, 'bill-file-no-meter');
    const upload = (text: string) =>
      t.http.post(api(a, '/bills/file')).set(a.auth).attach('file', Buffer.from(text), 'bills.csv');
    const noMeter = await upload('periodFrom,periodTo,quantity,unit\n2024-01-01,2024-01-31,10,kWh').expect(
      400,
    );
    expect(noMeter.body.detail ?? noMeter.body.title).toMatch(/meterId \(or commodity\)/);
    const csv = [
      'commodity,supplyAddress,supplier,periodFrom,periodTo,quantity,unit',
      'gas,"Unit 4, Canal Wharf, Leeds LS11 5PS",British Gas,2024-01-01,2024-03-31,3000,kWh',
      'gas,"Unit 4, Canal Wharf, Leeds LS11 5PS",British Gas,2024-04-01,2024-06-30,1200,kWh',
      'oil,"Unit 4, Canal Wharf, Leeds LS11 5PS",Certas,2024-01-01,2024-06-30,500,kWh',
    ].join('\n');
    const refused = await upload(csv).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ line: 4, field: 'commodity' })]);
    // all or nothing: the refused file made no site either
    expect((await get(a, '/sites').expect(200)).body).toEqual([]);
    const res = await upload(csv.split('\n').slice(0, 3).join('\n')).expect(201);
    expect(res.body.created).toBe(2);
    const [q1, q2] = res.body.bills as { meterId: string; meterName: string }[];
    expect(q1).toMatchObject({ meterName: 'Gas (billed)' });
    expect(q2.meterId).toBe(q1.meterId);
    expect((await get(a, '/sites').expect(200)).body).toEqual([
      expect.objectContaining({ name: 'Unit 4', address: 'Unit 4, Canal Wharf, Leeds LS11 5PS' }),
    ]);
  });

  it('counts electricity once when it is entered both as a bill and as an activity: the bill wins', async () => {
    const a = await signup(t, 'bill-vs-activity');
    const bill = await post(a, '/bills', {
      commodity: 'electricity',
      supplier: 'Octopus Energy',
      periodFrom: '2024-01-15',
      periodTo: '2024-02-14',
      quantity: 3100,
      unit: 'kWh',
    }).expect(201);
    const activity = (body: object) =>
      post(a, '/activities', { activity: 'electricity', unit: 'kWh', dataQuality: 2, ...body }).expect(201);
    // the same electricity as an activity of the same days (an activity's periodTo is exclusive)
    const same = await activity({ quantity: '3100', periodFrom: '2024-01-15', periodTo: '2024-02-15' });
    let inv = await inventory(a, '2024-01-01', '2025-01-01');
    expect(inv.scope2LocationKgCo2e).toBe(kg(D(3100).times(GB_2024))); // 641.855, not twice that
    const flagged = inv.lines.find((l) => l.lineId === `activity:${same.body.id}`);
    expect(flagged).toMatchObject({ flag: 'COVERED_BY_BILL', kgCo2e: null, quantity: 3100 });
    expect(flagged?.source).toContain(`covered by bill ${bill.body.id as string}`);
    expect(inv.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ACTIVITY_COVERED_BY_BILL', lineId: `activity:${same.body.id}` }),
      ]),
    );
    // a quarter's estimate [1 Jan, 1 Apr) = 91 days, 31 of them billed: it counts 60/91 of 9,100 = 6,000 kWh
    await t.http
      .delete(api(a, `/activities/${same.body.id}`))
      .set(a.auth)
      .expect(204);
    const quarter = await activity({ quantity: '9100', periodFrom: '2024-01-01', periodTo: '2024-04-01' });
    inv = await inventory(a, '2024-01-01', '2025-01-01');
    const counted = inv.lines.find(
      (l) => l.lineId === `activity:${quarter.body.id}` && l.method === 'location',
    );
    expect(counted?.quantity).toBe(
      D(9100)
        .times(91 - 31)
        .div(91)
        .toNumber(),
    ); // 6000
    expect(inv.scope2LocationKgCo2e).toBe(kg(D(3100).plus(6000).times(GB_2024)));
    expect(inv.warnings.map((w) => w.code)).toContain('ACTIVITY_PARTLY_COVERED_BY_BILL');
  });
});
