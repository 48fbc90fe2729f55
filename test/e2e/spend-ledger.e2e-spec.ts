import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * Spend-based Scope 3 (issue 18) through the API: a 200-line ledger in the Xero "Account Transactions"
 * layout (../shared/data/spend-factors/ledger-samples/LAYOUTS.md; generated, placeholder values) is
 * mapped, one line corrected (a rule), re-uploaded (the rule applies, the first upload is replaced),
 * and the inventory's Scope 3 is the sum of the counted lines.
 */
interface Line {
  lineNo: number;
  account: string;
  supplier?: string;
  category: string | null;
  rule: string;
  factorId: string | null;
  kgCo2e: string | null;
  excludedReason: string | null;
}

const EXPENSES: [account: string, contact: string, what: string][] = [
  ['Software subscriptions', 'Figma', 'design seats'],
  ['Office supplies', 'Staples', 'paper and toner'],
  ['Advertising', 'Google', 'search ads'],
  ['Telephone & internet', 'Verizon', 'office fibre'],
  ['Legal and professional fees', 'Smith LLP', 'contract review'],
  ['Travel - National', 'Delta Air Lines', 'flight to Chicago'],
  ['Motor fuel', 'Shell', 'diesel for the van'],
  ['Electricity', 'ConEd', 'office electricity'],
  ['General expenses', 'Adobe', 'Creative Cloud'],
];

const money = (v: Decimal) => {
  const [int, dec] = v.toFixed(2).split('.');
  return `"${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}"`;
};

/** 180 expense lines in 9 account groups, and the 20 payments from the bank account that match some of them. */
function xeroLedger(): string {
  const out = [
    'Account Transactions',
    'Spend Test Inc',
    'For the period 1 January 2024 to 31 December 2024',
    '',
    'Date,Source,Description,Reference,Debit,Credit,Running Balance,Gross,Sales Tax',
  ];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const date = (i: number) => `${String(1 + ((i * 7) % 28)).padStart(2, '0')} ${months[i % 12]} 2024`;
  EXPENSES.forEach(([account, contact, what], g) => {
    out.push(account);
    let total = new Decimal(0);
    for (let k = 0; k < 20; k++) {
      const i = g * 20 + k;
      const amount = new Decimal(20 + ((i * 37) % 480)).plus(new Decimal(i % 100).div(100));
      total = total.plus(amount);
      out.push(
        `${date(i)},Spend Money,${contact} - ${what},R-${i},${money(amount)},,${money(total)},${money(amount)},0.00`,
      );
    }
    out.push(`Total ${account},,,,${money(total)},0.00,,,`);
  });
  out.push('Business Bank Account', 'Opening Balance,,,,,,"50,000.00",,');
  for (let k = 0; k < 20; k++)
    out.push(`${date(k)},Spend Money,Figma - design seats,R-${k},,${money(new Decimal(100 + k))},,,`);
  out.push('Total Business Bank Account,,,,0.00,"2,190.00",,,', 'Closing Balance,,,,,,"47,810.00",,');
  return out.join('\n');
}

describe(`spend ledger (${serverMode().database})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // A small in-memory upload limit, so that a ledger over it can be sent cheaply.
    t = await startApp({ env: { HALVE_EVIDENCE_LIMIT: '200kb' } });
  });
  afterAll(() => t?.close());

  const api = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const upload = (o: SignedUp, csv: string) =>
    t.http
      .post(api(o, '/spend-ledgers'))
      .set(o.auth)
      .field('currency', 'USD')
      .attach('file', Buffer.from(csv), 'account-transactions.csv');
  const counted = (lines: Line[]) => lines.filter((l) => !l.excludedReason);
  const sumKg = (lines: Line[]) =>
    counted(lines).reduce((s, l) => s.plus(l.kgCo2e as string), new Decimal(0));

  it('maps a 200-line Xero ledger, learns a correction, and feeds Scope 3 without double counting', async () => {
    const a = await signup(t, 'spend', { country: 'US', timezone: 'America/New_York' });
    // fuel already reported as activity data for the year: the fuel lines must not count again
    await t.http
      .post(api(a, '/activities'))
      .set(a.auth)
      .send({
        activity: 'natural_gas',
        quantity: 1000,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-01-01',
        periodTo: '2025-01-01',
        dataQuality: 1,
      })
      .expect(201);
    const csv = xeroLedger();
    const first = (await upload(a, csv).expect(201)).body;
    expect(first).toMatchObject({
      format: 'xero',
      currency: 'USD',
      factorSet: 'epa',
      lineCount: 200,
      periodFrom: '2024-01-01',
    });
    const lines: Line[] = first.lines;
    const byAccount = (acc: string) => lines.filter((l) => l.account === acc);
    expect(new Set(byAccount('Software subscriptions').map((l) => l.factorId))).toEqual(
      new Set(['naics:511210']),
    );
    expect(byAccount('Travel - National')[0]).toMatchObject({
      category: 'travel_air',
      factorId: 'naics:481111',
    });
    expect(
      byAccount('Motor fuel').every((l) =>
        /covered by activity data .*natural_gas/.test(l.excludedReason ?? ''),
      ),
    ).toBe(true);
    expect(byAccount('Electricity').every((l) => l.category === 'electricity' && l.kgCo2e === null)).toBe(
      true,
    );
    expect(byAccount('Business Bank Account').every((l) => l.excludedReason !== null)).toBe(true);
    const adobe = byAccount('General expenses');
    expect(adobe.every((l) => l.category === null && /no rule matched/.test(l.excludedReason ?? ''))).toBe(
      true,
    );
    expect(first.countedLines).toBe(120);

    // correct one line: it becomes a rule, and every Adobe line under that account follows it
    const corrected = (
      await t.http
        .patch(api(a, `/spend-ledgers/${first.id}/lines/${adobe[0].lineNo}`))
        .set(a.auth)
        .send({ category: 'software' })
        .expect(200)
    ).body;
    expect(
      corrected.lines.filter((l: Line) => l.account === 'General expenses' && l.rule === 'organisation'),
    ).toHaveLength(20);
    const rules = (await t.http.get(api(a, '/spend-rules')).set(a.auth).expect(200)).body;
    expect(rules).toEqual([
      expect.objectContaining({ account: 'General expenses', supplier: 'Adobe', category: 'software' }),
    ]);
    // the same line corrected again: the rule changes category, no second rule; then back to software
    for (const category of ['it_services', 'software'])
      await t.http
        .patch(api(a, `/spend-ledgers/${first.id}/lines/${adobe[0].lineNo}`))
        .set(a.auth)
        .send({ category })
        .expect(200);
    const again = (await t.http.get(api(a, '/spend-rules')).set(a.auth).expect(200)).body;
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: rules[0].id, category: 'software' });
    await t.http
      .patch(api(a, `/spend-ledgers/${first.id}/lines/1`))
      .set(a.auth)
      .send({ category: 'nonsense' })
      .expect(400);

    // the next upload of the same period uses the rule and replaces the first
    const second = (await upload(a, csv).expect(201)).body;
    expect(second.replaced).toEqual([first.id]);
    expect(
      second.lines
        .filter((l: Line) => l.account === 'General expenses')
        .every((l: Line) => l.category === 'software' && l.rule === 'organisation'),
    ).toBe(true);
    expect(second.countedLines).toBe(140);
    const list = (await t.http.get(api(a, '/spend-ledgers')).set(a.auth).expect(200)).body;
    expect(list.map((l: { id: string }) => l.id)).toEqual([second.id]);

    const inv = (await t.http.get(api(a, '/inventory?from=2024-01-01&to=2025-01-01')).set(a.auth).expect(200))
      .body;
    expect(inv.warnings).toEqual([]);
    expect(Object.keys(inv.scope3ByCategoryKgCo2e).sort()).toEqual([
      'cat1_purchased_goods_and_services',
      'cat6_business_travel',
    ]);
    const expected = sumKg(second.lines);
    expect(expected.gt(0)).toBe(true);
    expect(inv.scope3KgCo2e).toBeCloseTo(expected.toNumber(), 2);
    expect(second.kgCo2e).toBeCloseTo(expected.toNumber(), 3);
  });

  it('golden: an excluded double-counted fuel line; rules edited; a hand correction survives re-applying rules', async () => {
    const a = await signup(t, 'spend-rules', { country: 'US', timezone: 'America/New_York' });
    // the diesel bought on the fuel card is already reported as litres for March
    await t.http
      .post(api(a, '/activities'))
      .set(a.auth)
      .send({
        activity: 'diesel',
        quantity: '120',
        unit: 'litre',
        periodFrom: '2024-03-01',
        periodTo: '2024-04-01',
        dataQuality: 1,
        description: 'Fuel card, March',
      })
      .expect(201);
    const csv = [
      'date,description,account,supplier,amount',
      '2024-03-12,Shell fuel card - March,Motor fuel,Shell,182.40',
      '2024-03-14,Copier paper,Office supplies,Staples,45.00',
      '2024-03-20,Creative Cloud,General expenses,Adobe,54.99',
      '2024-03-21,Team lunch,General expenses,Pret,80.00',
    ].join('\n');
    const first = (await upload(a, csv).expect(201)).body;
    expect(first.format).toBe('generic');
    const fuel = first.lines.find((l: Line) => l.lineNo === 2);
    expect(fuel).toMatchObject({
      account: 'Motor fuel',
      supplier: 'Shell',
      category: 'fuel',
      kgCo2e: null,
      excludedReason:
        'covered by activity data in the same period (diesel): excluded to avoid double counting',
    });
    expect(first.countedLines).toBe(1);

    // this line only: no rule is made, and the line says it was chosen by hand
    const hand = (
      await t.http
        .patch(api(a, `/spend-ledgers/${first.id}/lines/5`))
        .set(a.auth)
        .send({ category: 'meals', remember: false })
        .expect(200)
    ).body;
    expect(hand.lines[3]).toMatchObject({ category: 'meals', rule: 'manual', manualCategory: 'meals' });
    expect(hand.lines[3].kgCo2e).not.toBeNull();
    expect((await t.http.get(api(a, '/spend-rules')).set(a.auth).expect(200)).body).toEqual([]);

    // an organisation rule made on the rules list, then applied to the ledger
    const bad = await t.http
      .post(api(a, '/spend-rules'))
      .set(a.auth)
      .send({ category: 'software' })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'account', message: 'give an account, account code, supplier or keyword' },
    ]);
    const rule = (
      await t.http
        .post(api(a, '/spend-rules'))
        .set(a.auth)
        .send({ supplier: 'Adobe', category: 'software' })
        .expect(201)
    ).body;
    expect(rule).toMatchObject({ supplier: 'Adobe', account: null, category: 'software' });
    const reapply = async () =>
      (
        await t.http
          .post(api(a, `/spend-ledgers/${first.id}/reapply-rules`))
          .set(a.auth)
          .expect(200)
      ).body;
    let led = await reapply();
    expect(led.lines[2]).toMatchObject({ category: 'software', rule: 'organisation', ruleId: rule.id });
    expect(led.lines[3]).toMatchObject({ category: 'meals', rule: 'manual' });
    expect(led.countedLines).toBe(3);

    // edited: the ledger follows once the rules are applied again
    await t.http
      .put(api(a, `/spend-rules/${rule.id}`))
      .set(a.auth)
      .send({ supplier: 'Adobe', keyword: 'cloud', category: 'it_services' })
      .expect(200);
    led = await reapply();
    expect(led.lines[2]).toMatchObject({ category: 'it_services', factorId: 'naics:518210' });

    // deleted: the Adobe line is unmapped again; the hand correction stays; the fuel line stays excluded
    await t.http
      .delete(api(a, `/spend-rules/${rule.id}`))
      .set(a.auth)
      .expect(204);
    await t.http
      .put(api(a, `/spend-rules/${rule.id}`))
      .set(a.auth)
      .send({ supplier: 'x', category: 'legal' })
      .expect(404);
    led = await reapply();
    expect(led.lines[2]).toMatchObject({ category: null, rule: 'none' });
    expect(led.lines[3]).toMatchObject({ category: 'meals', rule: 'manual' });
    expect(led.lines[0].excludedReason).toMatch(/covered by activity data .*diesel/);
    expect(led.countedLines).toBe(2);
  });

  it('prices the 200-line test ledger of the browser journey, and a Sage export, through the API', async () => {
    const a = await signup(t, 'spend-fixture'); // a UK organisation: GBP, EXIOBASE GB
    const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/spend', name));
    const send = (name: string) =>
      t.http.post(api(a, '/spend-ledgers')).set(a.auth).attach('file', fixture(name), name);
    const xero = (await send('xero-200-lines.csv').expect(201)).body;
    expect(xero).toMatchObject({
      format: 'xero',
      currency: 'GBP',
      factorSet: 'exiobase',
      factorRegion: 'GB',
      lineCount: 200,
      countedLines: 172,
      periodFrom: '2024-01-04',
      periodTo: '2024-12-28',
    });
    // a diesel receipt and a flight entered afterwards: applying the rules again drops the fuel and flight lines
    for (const activity of [
      { activity: 'diesel', quantity: '40', unit: 'litre', periodFrom: '2024-05-01', periodTo: '2024-05-02' },
      {
        activity: 'business_travel_air',
        variant: 'domestic.average_passenger.with_rf',
        quantity: '1060',
        unit: 'passenger.km',
        periodFrom: '2024-06-10',
        periodTo: '2024-06-11',
      },
    ])
      await t.http
        .post(api(a, '/activities'))
        .set(a.auth)
        .send({ ...activity, dataQuality: 1 })
        .expect(201);
    const again = (
      await t.http
        .post(api(a, `/spend-ledgers/${xero.id}/reapply-rules`))
        .set(a.auth)
        .expect(200)
    ).body;
    expect(again.countedLines).toBe(133);
    expect(again.lines.filter((l: Line) => /double counting/.test(l.excludedReason ?? ''))).toHaveLength(39);

    // the first quarter again as a Sage audit trail: it replaces the overlapping Xero upload
    const sage = (await send('sage-audit-trail-q1.csv').expect(201)).body;
    expect(sage).toMatchObject({ format: 'sage', lineCount: 54, replaced: [xero.id] });
    expect(sage.lines[0]).toMatchObject({
      account: 'Rent',
      accountCode: '469',
      supplier: 'LANDMARK',
      category: 'rent',
    });
  });

  it('refuses a file it cannot read, by line, with an excerpt', async () => {
    const a = await signup(t, 'spend-bad', { country: 'US', timezone: 'America/New_York' });
    const res = await upload(
      a,
      'date,description,account,amount\n2024-01-05,Paper,Office supplies,12.x\n',
    ).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'line 2', message: 'amount is not a number: 2024-01-05,Paper,Office supplies,12.x' },
    ]);
    await upload(a, '').expect(400);
    // an organisation currency with no shipped rate or index, and no currency sent
    const cn = await signup(t, 'spend-cny', { country: 'CN', timezone: 'Asia/Shanghai' });
    const res2 = await t.http
      .post(api(cn, '/spend-ledgers'))
      .set(cn.auth)
      .attach(
        'file',
        Buffer.from('date,description,account,amount\n2024-01-05,Paper,Office supplies,12\n'),
        'l.csv',
      )
      .expect(400);
    expect(res2.body.errors).toEqual([{ field: 'currency', message: 'CNY not supported' }]);
  });

  it('refuses a ledger over the upload limit with 413 and stores nothing', async () => {
    const a = await signup(t, 'spend-big', { country: 'US', timezone: 'America/New_York' });
    const row = '2024-01-05,Paper for the office printers,Office supplies,12.00\n';
    const big = 'date,description,account,amount\n' + row.repeat(Math.ceil((300 * 1024) / row.length));
    await upload(a, big).expect(413);
    const { body } = await t.http.get(api(a, '/spend-ledgers')).set(a.auth).expect(200);
    expect(body).toEqual([]);
  });
});
