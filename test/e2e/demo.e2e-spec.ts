import Decimal from 'decimal.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '@halve/platform';
import {
  CertificationDemoSeeder,
  DEMO_BODY_NAME,
  DEMO_CERTIFIER_EMAIL,
  DEMO_CERTIFIER_PASSWORD,
} from '@halve/certification';
import { type TestApp, ownDatabase, serverMode, startApp } from '../support/harness';

/**
 * The demo as `npm start` makes it: one reporting year (2017) with every scope and on-site
 * generation, a demo certification body whose certifier can log in, one claim in its review and one
 * certificate that the public verification answers for.
 */
describe(`the demo: a coherent reporting year and certifier journey (${serverMode().database}, ${serverMode().queue})`, () => {
  let d: TestApp;
  let auth: { Authorization: string };
  let orgId: string;
  let claimIds: string[];
  let dropDatabase = async () => {};
  const login = async (email: string, password: string) => {
    const res = await d.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
    return { Authorization: `Bearer ${res.body.accessToken as string}` };
  };

  beforeAll(async () => {
    // The demo is seeded once per database: on PostgreSQL this suite takes a database of its own.
    const own = await ownDatabase('demo');
    dropDatabase = own.drop;
    d = await startApp({ env: { HALVE_DEMO: 'on', ...own.env } });
    auth = await login(DEMO_EMAIL, DEMO_PASSWORD);
    orgId = (await d.http.get('/api/v1/orgs').set(auth).expect(200)).body.find(
      (o: { isDemo: boolean }) => o.isDemo,
    ).id as string;
    // the claims are made in the background once the demo's imports have finished
    ({ claimIds } = await d.app.get(CertificationDemoSeeder).done);
  }, 600_000);
  afterAll(async () => {
    await d?.close();
    await dropDatabase();
  });

  it('has Scopes 1, 2 and 3 and a renewable share in 2017, the year the dashboard opens on', async () => {
    const imports = (await d.http.get(`/api/v1/orgs/${orgId}/imports`).set(auth).expect(200)).body as {
      status: string;
      lastTs: string;
      kind: string;
    }[];
    expect(imports.every((i) => i.status === 'succeeded')).toBe(true);
    // the dashboard's year: the latest year of the meter imports' readings, in the organisation's zone
    const yearIn = (ts: string) =>
      Number(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric' }).format(
          new Date(ts),
        ),
      );
    const lastYear = Math.max(...imports.filter((i) => i.kind === 'meter').map((i) => yearIn(i.lastTs)));
    expect(lastYear).toBe(2017);
    const inv = (
      await d.http.get(`/api/v1/orgs/${orgId}/inventory?from=2017-01-01&to=2018-01-01`).set(auth).expect(200)
    ).body;
    expect(inv.scope1KgCo2e).toBeGreaterThan(0);
    expect(inv.scope2LocationKgCo2e).toBeGreaterThan(0);
    expect(inv.scope2MarketKgCo2e).toBeGreaterThan(0);
    expect(inv.scope3KgCo2e).toBeGreaterThan(0);
    // the PV array's output (its 2012 file replayed in 2017) is self-consumed on its site
    const selfConsumed = (inv.onSiteGeneration as { selfConsumedKwh: number }[]).reduce(
      (s, g) => s.plus(g.selfConsumedKwh),
      new Decimal(0),
    );
    expect(selfConsumed.gt(4000)).toBe(true);
    const certified = (inv.instruments as { accepted: boolean; allocatedKwh: number }[])
      .filter((i) => i.accepted)
      .reduce((s, i) => s.plus(i.allocatedKwh), new Decimal(0));
    expect(certified.toNumber()).toBe(150_000);
    // the dashboard's renewable share: (self-consumed + certified) ÷ (bought + self-consumed)
    const share = selfConsumed.plus(certified).div(selfConsumed.plus(inv.purchasedElectricityKwh));
    expect(share.toNumber()).toBeGreaterThan(0.1);
  }, 120_000);

  it('traces every scope to its data: gas bills, diesel, flights, rail and ledger lines, each with its factor', async () => {
    const inv = (
      await d.http.get(`/api/v1/orgs/${orgId}/inventory?from=2017-01-01&to=2018-01-01`).set(auth).expect(200)
    ).body as {
      lines: {
        lineId?: string;
        scope: number;
        source: string;
        meterId?: string;
        kgCo2e: number | null;
        flag?: string;
        factor: { id: string; source: string; value: string } | null;
      }[];
    };
    // the campus's gas: four quarterly bills a year on the "Gas (billed)" meter the first bill made
    const bills = (await d.http.get(`/api/v1/orgs/${orgId}/bills`).set(auth).expect(200)).body as {
      meterId: string;
      meterName: string;
      periodFrom: string;
      countedAsReadings: boolean;
    }[];
    const bills2017 = bills.filter((b) => b.periodFrom.startsWith('2017'));
    expect(bills2017).toHaveLength(4);
    expect(bills2017.every((b) => b.meterName === 'Gas (billed)' && b.countedAsReadings)).toBe(true);
    const gasMeter = bills2017[0].meterId;
    const gas = inv.lines.filter((l) => l.meterId === gasMeter);
    // 6 Jan 2017 – 5 Jan 2018 by month: January 2017 from the 2016 Q4 bill's days too, 12 months in all
    expect(gas).toHaveLength(12);
    expect(gas.every((l) => l.scope === 1 && (l.kgCo2e ?? 0) > 0)).toBe(true);
    // Scope 1 diesel, Scope 3 flights (by airports), rail and the ledger's spend, each priced
    for (const activity of ['diesel', 'business_travel_air', 'business_travel_rail', 'spend'])
      expect(inv.lines.some((l) => l.source.startsWith(activity) && (l.kgCo2e ?? 0) > 0)).toBe(true);
    // every counted line names its factor; the demo enters nothing twice
    const counted = inv.lines.filter((l) => l.kgCo2e !== null && l.kgCo2e > 0);
    expect(counted.every((l) => !!l.factor?.id && !!l.factor.source)).toBe(true);
    expect(inv.lines.filter((l) => l.flag)).toEqual([]);
    // the 2017 ledger: 56 lines; the gas, fuel-card, airline and Amtrak lines are covered by activity data
    const ledgers = (await d.http.get(`/api/v1/orgs/${orgId}/spend-ledgers`).set(auth).expect(200)).body as {
      id: string;
      lineCount: number;
      countedLines: number;
      kgCo2e: number;
    }[];
    expect(ledgers).toHaveLength(1);
    expect(ledgers[0].lineCount).toBe(56);
    const ledger = (
      await d.http.get(`/api/v1/orgs/${orgId}/spend-ledgers/${ledgers[0].id}`).set(auth).expect(200)
    ).body as { lines: { supplier?: string; excludedReason: string | null; factorId: string | null }[] };
    const excluded = ledger.lines.filter((l) => l.excludedReason);
    expect(new Set(excluded.map((l) => l.supplier))).toEqual(
      new Set(['PG&E', 'Chevron', 'United Airlines', 'Alaska Airlines', 'Amtrak']),
    );
    expect(ledgers[0].countedLines).toBe(56 - excluded.length);
    expect(ledger.lines.filter((l) => !l.excludedReason).every((l) => l.factorId?.startsWith('naics:'))).toBe(
      true,
    );
    expect(ledgers[0].kgCo2e).toBeGreaterThan(0);
  }, 60_000);

  it('lets the demo certifier log in and find the 2017 claim in review', async () => {
    const certifier = await login(DEMO_CERTIFIER_EMAIL, DEMO_CERTIFIER_PASSWORD);
    const me = (await d.http.get('/api/v1/me').set(certifier).expect(200)).body;
    expect(me.organizations).toEqual([]);
    const body = (me.certificationBodies as { id: string; name: string; role: string }[])[0];
    expect(body).toMatchObject({ name: DEMO_BODY_NAME, role: 'lead_certifier' });
    const inReview = (
      await d.http
        .get(`/api/v1/certification-bodies/${body.id}/claims?status=in_review`)
        .set(certifier)
        .expect(200)
    ).body as { id: string; periodFrom: string; organizationName: string; evidenceSha256: string }[];
    expect(inReview).toHaveLength(1);
    expect(inReview[0]).toMatchObject({ periodFrom: '2017-01-01', organizationName: 'Halve Demo Ltd' });
    expect(inReview[0].evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(claimIds).toContain(inReview[0].id);
    // the organisation's own view: one claim certified, one in review
    const own = (await d.http.get(`/api/v1/orgs/${orgId}/claims`).set(auth).expect(200)).body as {
      status: string;
    }[];
    expect(own.map((c) => c.status).sort()).toEqual(['approved', 'in_review']);
  }, 60_000);

  it('answers for the demo certificate at /verify/{number}: valid, with its registry entry and evidence hash', async () => {
    const claims = (await d.http.get(`/api/v1/orgs/${orgId}/claims`).set(auth).expect(200)).body as {
      status: string;
      certificateNumber?: string;
      evidenceSha256: string;
    }[];
    const approved = claims.find((c) => c.status === 'approved')!;
    const res = (await d.http.get(`/api/v1/verify/${approved.certificateNumber}`).expect(200)).body;
    // Issued by the demo certifier with a validity of a year from its issue (demoValidUntil): the
    // default, a year after the period's end, would have the 2016 certificate born expired.
    const today = new Date();
    const inAYear = new Date(
      Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate() - 1),
    );
    expect(res).toMatchObject({
      number: approved.certificateNumber,
      status: 'valid',
      validUntil: inAYear.toISOString().slice(0, 10),
      claimType: 'renewable_share',
      periodFrom: '2016-01-01',
      periodTo: '2017-01-01',
      certificationBody: DEMO_BODY_NAME,
      evidenceSha256: approved.evidenceSha256,
    });
  }, 60_000);

  it('makes nothing twice when the API starts again on the same data', async () => {
    const seeder = d.app.get(CertificationDemoSeeder);
    await seeder.resume();
    expect((await seeder.done).claimIds).toEqual(claimIds);
    const claims = (await d.http.get(`/api/v1/orgs/${orgId}/claims`).set(auth).expect(200)).body;
    expect(claims).toHaveLength(2);
    const bodies = (await d.http.get('/api/v1/certification-bodies').set(auth).expect(200)).body as {
      name: string;
    }[];
    expect(bodies.filter((b) => b.name === DEMO_BODY_NAME)).toHaveLength(1);
  }, 120_000);
});
