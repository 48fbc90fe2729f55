import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_EMAIL, DEMO_PASSWORD, Db } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail } from '../support/harness';
import { verifyEmail } from '../support/mail';

/**
 * Carbon accounting through the API. Golden numbers are computed here, by hand, from the published
 * factor values (DESNZ 2024, EPA eGRID2022, MEE/NBS 2022, AIB 2018 residual mix, EIA-930 CISO 2022).
 */
const D = (v: string | number) => new Decimal(v);
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

describe(`carbon (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const api = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const post = (o: SignedUp, path: string, body: object) => t.http.post(api(o, path)).set(o.auth).send(body);
  const inventory = (o: SignedUp, from: string, to: string) =>
    t.http.get(api(o, `/inventory?from=${from}&to=${to}`)).set(o.auth);
  const electricity = (quantity: string, periodFrom: string, periodTo: string, extra: object = {}) => ({
    activity: 'electricity',
    quantity,
    unit: 'kWh',
    periodFrom,
    periodTo,
    dataQuality: 1,
    ...extra,
  });

  describe('emission-factor library', () => {
    it('is loaded from the committed CSV, read-only for tenants, and searchable by any logged-in user', async () => {
      const a = await signup(t, 'ef');
      const rows = await t.app
        .get(Db)
        .system((em) => em.query('SELECT count(*)::int AS n FROM emission_factors'));
      expect(rows[0].n).toBe(2792);
      const res = await t.http
        .get('/api/v1/emission-factors?activity=electricity_grid&region=GB&year=2024')
        .set(a.auth)
        .expect(200);
      expect(res.body.selected.factor).toMatchObject({
        id: 'desnz-2024:electricity_grid:GB:2024:kwh',
        kgCo2ePerUnit: '0.20705',
        edition: '2024 v1.1',
        year: 2024,
        unit: 'kWh',
      });
      expect(res.body.factors.map((f: { id: string }) => f.id)).toContain(
        'desnz-2024:electricity_grid:GB:2024:kwh',
      );
      // a year the library lacks: nearest earlier year, named as a proxy
      const proxy = await t.http
        .get('/api/v1/emission-factors?activity=electricity_grid&region=CN-East&year=2030')
        .set(a.auth)
        .expect(200);
      expect(proxy.body.selected.factor.year).toBe(2023);
      expect(proxy.body.selected.warnings[0].code).toBe('FACTOR_YEAR_PROXY');
      await t.http.get('/api/v1/emission-factors?activity=electricity_grid').expect(401);
      // the app role cannot change the shared library
      await expect(
        t.app
          .get(Db)
          .tenant(
            (em) =>
              em.query(
                `UPDATE emission_factors SET kg_co2e_per_unit = 0 WHERE id = 'desnz-2024:electricity_grid:GB:2024:kwh'`,
              ),
            a.orgId,
          ),
      ).rejects.toThrow(/permission denied/);
    });

    it("keeps a tenant's own factor to the tenant, and prefers it in that tenant's inventory", async () => {
      const a = await signup(t, 'tf');
      const b = await signup(t, 'tf-other');
      const f = await post(a, '/emission-factors', {
        activity: 'electricity_grid',
        region: 'GB',
        year: 2024,
        unit: 'kWh',
        kgCo2ePerUnit: '0.1',
        scope: 2,
        source: 'Supplier fuel-mix disclosure 2024',
        evidence: 'Disclosure PDF ref 2024-117',
      }).expect(201);
      expect(f.body.id).toMatch(/^tenant:/);
      await post(a, '/activities', electricity('1000', '2024-01-01', '2024-02-01')).expect(201);
      const inv = (await inventory(a, '2024-01-01', '2025-01-01').expect(200)).body;
      expect(inv.scope2LocationKgCo2e).toBe(kg(D(1000).times('0.1')));
      expect((await t.http.get(api(b, '/emission-factors')).set(b.auth).expect(200)).body).toEqual([]);
      const lib = await t.app
        .get(Db)
        .system((em) =>
          em.query(
            `SELECT kg_co2e_per_unit::text AS v FROM emission_factors WHERE id = 'desnz-2024:electricity_grid:GB:2024:kwh'`,
          ),
        );
      expect(lib[0].v).toBe('0.20705');
    });
  });

  describe('golden cases', () => {
    it('1,000 kWh of UK grid electricity in 2024 = 207.05 kg CO2e location-based', async () => {
      const a = await signup(t, 'gold-uk');
      await post(a, '/activities', electricity('1000', '2024-03-01', '2024-04-01')).expect(201);
      const inv = (await inventory(a, '2024-01-01', '2025-01-01').expect(200)).body;
      expect(inv.scope2LocationKgCo2e).toBe(kg(D(1000).times('0.20705'))); // 207.05
      expect(inv.scope2LocationKgCo2e).toBe(207.05);
      const line = inv.lines.find((l: { method?: string }) => l.method === 'location');
      expect(line).toMatchObject({
        scope: 2,
        category: 'purchased_electricity',
        quantity: 1000,
        unit: 'kWh',
        kgCo2e: 207.05,
      });
      expect(line.factor).toEqual({
        id: 'desnz-2024:electricity_grid:GB:2024:kwh',
        value: '0.20705',
        unit: 'kWh',
        source: 'UK DESNZ GHG conversion factors for company reporting',
        edition: '2024 v1.1',
        year: 2024,
        region: 'GB',
      });
      // T&D losses (Scope 3 cat 3): 1000 × 0.01830; market-based at the AIB 2018 GB residual mix 0.38096, named as a year proxy
      expect(inv.scope3KgCo2e).toBe(kg(D(1000).times('0.01830')));
      expect(inv.scope2MarketKgCo2e).toBe(kg(D(1000).times('0.38096')));
      expect(
        inv.warnings.some(
          (w: { code: string; message: string }) =>
            w.code === 'FACTOR_YEAR_PROXY' && w.message.includes('2018'),
        ),
      ).toBe(true);
      expect(inv.totalLocationKgCo2e).toBe(kg(D('207.05').plus('18.3')));
      expect(inv.byMonth).toEqual([
        { month: '2024-03', scope1KgCo2e: 0, scope2LocationKgCo2e: 207.05, scope3KgCo2e: 18.3 },
      ]);
    });

    it('1,000 kWh of UK natural gas (gross CV) = 182.90 kg CO2e', async () => {
      const a = await signup(t, 'gold-gas');
      const act = await post(a, '/activities', {
        activity: 'natural_gas',
        quantity: 1000,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-01-01',
        periodTo: '2024-02-01',
        dataQuality: 1,
      }).expect(201);
      expect(act.body).toMatchObject({
        scope: 1,
        factor: { id: 'desnz-2024:natural_gas:GB:2024:kwh-gross' },
      });
      expect(D(act.body.factor.value).eq('0.18290')).toBe(true);
      const inv = (await inventory(a, '2024-01-01', '2025-01-01').expect(200)).body;
      expect(inv.scope1KgCo2e).toBe(kg(D(1000).times('0.18290'))); // 182.9
      expect(inv.scope1KgCo2e).toBe(182.9);
      expect(inv.lines[0]).toMatchObject({ scope: 1, category: 'stationary_combustion', kgCo2e: 182.9 });
    });

    it('eGRID2022 CAMX from a meter: 1 MWh = (497.443 + 28×0.030 + 265×0.004) lb/MWh × 0.45359237 kg/lb', async () => {
      const a = await signup(t, 'gold-camx', { country: 'US', timezone: 'America/Los_Angeles' });
      const site = await post(a, '/sites', {
        name: 'San Francisco office',
        country: 'US',
        timezone: 'America/Los_Angeles',
        gridRegion: 'CAMX',
        floorAreaM2: 500,
      }).expect(201);
      const meter = await post(a, '/meters', {
        siteId: site.body.id,
        name: 'Import',
        kind: 'electricity_import',
        unit: 'kWh',
        intervalMinutes: 60,
      }).expect(201);
      // 10 hours × 100 kWh on 2022-05-02 (local), 1,000 kWh
      const readings = Array.from({ length: 10 }, (_, i) => ({
        ts: `2022-05-02T${String(9 + i).padStart(2, '0')}:00:00-07:00`,
        value: 100,
      }));
      await post(a, `/meters/${meter.body.id}/readings`, { readings }).expect((r) =>
        expect([200, 201]).toContain(r.status),
      );
      const inv = (await inventory(a, '2022-01-01', '2023-01-01').expect(200)).body;
      const perMwhLb = D('497.443').plus(D(28).times('0.030')).plus(D(265).times('0.004')); // 499.343 lb CO2e/MWh
      expect(inv.scope2LocationKgCo2e).toBe(kg(perMwhLb.times('0.45359237'))); // 226.498
      const line = inv.lines.find((l: { method?: string }) => l.method === 'location');
      expect(line).toMatchObject({
        siteId: site.body.id,
        meterId: meter.body.id,
        quantity: 1000,
        month: '2022-05',
      });
      expect(line.factor.id).toBe('epa-hub-2024:electricity_grid:CAMX:2022:kwh');
      // market-based: Green-e 2018 CAMX residual mix 0.240140873 kg/kWh × 1000 kWh
      expect(inv.scope2MarketKgCo2e).toBe(kg(D(1000).times('0.240140873')));
      // intensity per m²: total / 500 m²
      expect(inv.intensities.perM2.location).toBe(kg(D(inv.totalLocationKgCo2e).div(500)));
    });

    it('China East grid 2022: 10,000 kWh × 0.5617 kg/kWh (MEE/NBS), not the 0.5703 carbon-market factor', async () => {
      const a = await signup(t, 'gold-cn', { country: 'CN', timezone: 'Asia/Shanghai' });
      await post(
        a,
        '/activities',
        electricity('10000', '2022-01-01', '2023-01-01', { region: 'CN-East' }),
      ).expect(201);
      const inv = (await inventory(a, '2022-01-01', '2023-01-01').expect(200)).body;
      expect(inv.scope2LocationKgCo2e).toBe(kg(D(10000).times('0.5617'))); // 5617
      expect(inv.lines.find((l: { method?: string }) => l.method === 'location').factor.id).toBe(
        'cn-mee-nbs:electricity_grid:CN-East:2022:kwh',
      );
      // no residual mix for China: market-based at MEE/NBS's national factor excluding market-traded
      // non-fossil electricity, 10,000 × 0.5856 = 5,856 kg (not the grid average), disclosed
      expect(inv.scope2MarketKgCo2e).toBe(kg(D(10000).times('0.5856')));
      expect(inv.warnings.map((w: { code: string }) => w.code)).toContain('RESIDUAL_MIX_PROXY');
    });

    it('market-based: certificates cover part of the load; the serial cannot be claimed by another organisation', async () => {
      const a = await signup(t, 'gold-rego');
      const b = await signup(t, 'gold-rego-b');
      const serial = `G01234REGO-${a.orgId.slice(0, 8)}-0001-30000`; // the registry is global: unique per run on a kept database
      await post(a, '/activities', electricity('100000', '2024-01-01', '2025-01-01')).expect(201);
      const rego = await post(a, '/instruments', {
        type: 'REGO',
        volumeMwh: '30',
        vintageFrom: '2024-04-01',
        vintageTo: '2024-10-01',
        region: 'GB',
        retired: true,
        certificateIds: [serial],
      }).expect(201);
      const inv = (await inventory(a, '2024-01-01', '2025-01-01').expect(200)).body;
      expect(inv.scope2LocationKgCo2e).toBe(kg(D(100000).times('0.20705'))); // 20705
      expect(inv.scope2MarketKgCo2e).toBe(kg(D(30000).times(0).plus(D(70000).times('0.38096')))); // 26667.2
      expect(inv.instruments).toEqual([
        { id: rego.body.id, type: 'REGO', accepted: true, issues: [], allocatedKwh: 30000 },
      ]);
      expect(
        inv.lines
          .filter((l: { method?: string }) => l.method === 'market')
          .map((l: { marketTier: string }) => l.marketTier),
      ).toEqual(['certificate', 'residual_mix']);

      const dup = await post(b, '/instruments', {
        type: 'REGO',
        volumeMwh: '5',
        vintageFrom: '2024-04-01',
        vintageTo: '2024-10-01',
        region: 'GB',
        retired: true,
        certificateIds: [serial],
      }).expect(409);
      expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(dup.body.detail).toContain(serial);
      expect(dup.body.detail).toContain('another organisation');
      expect(JSON.stringify(dup.body)).not.toContain(a.orgId);
      expect((await t.http.get(api(b, '/instruments')).set(b.auth).expect(200)).body).toEqual([]);
      // once A deletes its instrument, the serial is free
      await t.http
        .delete(api(a, `/instruments/${rego.body.id}`))
        .set(a.auth)
        .expect(204);
      await post(b, '/instruments', {
        type: 'REGO',
        volumeMwh: '5',
        vintageFrom: '2024-04-01',
        vintageTo: '2024-10-01',
        region: 'GB',
        retired: true,
        certificateIds: [serial],
      }).expect(201);
    });

    it('hourly Scope 2 with PV against the EIA-930 CISO profile, and the annual inventory of the same meters', async () => {
      const a = await signup(t, 'gold-pv', { country: 'US', timezone: 'America/Los_Angeles' });
      const site = await post(a, '/sites', {
        name: 'PV site',
        country: 'US',
        timezone: 'America/Los_Angeles',
        gridRegion: 'CAMX',
      }).expect(201);
      const mk = async (name: string, kind: string) =>
        (
          await post(a, '/meters', {
            siteId: site.body.id,
            name,
            kind,
            unit: 'kWh',
            intervalMinutes: 60,
          }).expect(201)
        ).body.id as string;
      const imp = await mk('Import', 'electricity_import');
      const pv = await mk('PV', 'pv_generation');
      const exp = await mk('Export', 'electricity_export');
      const hours = ['2022-06-01T18:00:00Z', '2022-06-01T19:00:00Z', '2022-06-01T20:00:00Z'];
      const push = (meter: string, values: number[]) =>
        post(a, `/meters/${meter}/readings`, {
          readings: hours.map((ts, i) => ({ ts, value: values[i] })),
        }).expect((r) => expect([200, 201]).toContain(r.status));
      await push(imp, [50, 30, 0]);
      await push(pv, [0, 20, 70]);
      await push(exp, [0, 0, 20]);
      const res = (
        await t.http
          .get(api(a, '/inventory/hourly-scope2?from=2022-06-01&to=2022-06-02'))
          .set(a.auth)
          .expect(200)
      ).body;
      // load = import + PV − export = 50 each hour; imports 50, 30, 0 kWh
      // CISO 2022 profile: 131.0023, 138.864, 143.7527 g/kWh; carbon-free share 0.791097, 0.774455, 0.763905
      const kgHourly = D(50).times('0.1310023').plus(D(30).times('0.138864')); // 6.550115 + 4.16592 = 10.716035
      expect(res.hourlyLocationKgCo2e).toBe(kg(kgHourly));
      const site0 = res.sites[0];
      expect(site0).toMatchObject({
        importKwh: 80,
        exportKwh: 20,
        generationKwh: 90,
        selfConsumedKwh: 70,
        loadKwh: 150,
        fallbackHours: 0,
      });
      // CFE_h = min(L, C) + (L − min(L, C))·g: (0 + 50·0.791097) + (20 + 30·0.774455) + 50
      const cfe = D(50)
        .times('0.791097')
        .plus(D(20).plus(D(30).times('0.774455')))
        .plus(50)
        .div(150);
      expect(res.cfeShare).toBe(cfe.toDecimalPlaces(6).toNumber());
      // the annual inventory prices the 80 kWh bought at eGRID CAMX; the 70 kWh self-consumed PV is reported, never netted
      const inv = (await inventory(a, '2022-01-01', '2023-01-01').expect(200)).body;
      const camx = D('497.443')
        .plus(D(28).times('0.030'))
        .plus(D(265).times('0.004'))
        .times('0.45359237')
        .div(1000);
      expect(inv.scope2LocationKgCo2e).toBe(kg(D(80).times(camx)));
      expect(inv.purchasedElectricityKwh).toBe(80);
      expect(inv.exportedElectricityKwh).toBe(20);
      expect(inv.onSiteGeneration).toEqual([
        {
          siteId: site.body.id,
          generationKwh: 90,
          exportedKwh: 20,
          selfConsumedKwh: 70,
          certificatesSold: false,
          generationSources: ['solar'],
        },
      ]);
    });
  });

  describe('bad input: a clear error or a flagged line, never a silent zero', () => {
    let a: SignedUp;
    beforeAll(async () => {
      a = await signup(t, 'bad');
    });

    it('refuses a negative quantity with 400 naming the field', async () => {
      const res = await post(a, '/activities', electricity('-5', '2024-01-01', '2024-02-01')).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'quantity', message: expect.stringContaining('non-negative') }),
      ]);
    });

    it('refuses a unit the factor cannot take with 422', async () => {
      const res = await post(a, '/activities', {
        activity: 'natural_gas',
        quantity: '10',
        unit: 'km',
        periodFrom: '2024-01-01',
        periodTo: '2024-02-01',
        dataQuality: 2,
      }).expect(422);
      expect(res.body.detail).toMatch(/cannot take/);
      expect(res.body.errors[0].field).toBe('unit');
      const elec = await post(
        a,
        '/activities',
        electricity('10', '2024-01-01', '2024-02-01', { unit: 'litre' }),
      ).expect(422);
      expect(elec.body.detail).toMatch(/not an energy unit/);
      await post(a, '/activities', electricity('10', '2024-02-01', '2024-01-01')).expect(400);
    });

    it('flags a line with no factor for its region (kgCo2e null, warning), never zero', async () => {
      const b = await signup(t, 'bad-region');
      const act = await post(
        b,
        '/activities',
        electricity('500', '2024-01-01', '2024-02-01', { region: 'ZZ' }),
      ).expect(201);
      expect(act.body.warnings[0].code).toBe('NO_FACTOR');
      await post(b, '/activities', {
        activity: 'natural_gas',
        quantity: 1000,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-01-01',
        periodTo: '2024-02-01',
        dataQuality: 1,
      }).expect(201);
      const inv = (await inventory(b, '2024-01-01', '2025-01-01').expect(200)).body;
      const flagged = inv.lines.find(
        (l: { flag?: string; method?: string }) => l.flag === 'NO_FACTOR' && l.method === 'location',
      );
      expect(flagged).toMatchObject({ kgCo2e: null, factor: null, quantity: 500 });
      expect(inv.warnings.filter((w: { code: string }) => w.code === 'NO_FACTOR').length).toBeGreaterThan(0);
      expect(inv.scope1KgCo2e).toBe(182.9);
    });

    it('does not apply an instrument outside its vintage, and says why', async () => {
      const b = await signup(t, 'bad-vintage');
      await post(b, '/activities', electricity('1000', '2024-01-01', '2025-01-01')).expect(201);
      const inst = await post(b, '/instruments', {
        type: 'REGO',
        volumeMwh: '1',
        vintageFrom: '2023-07-01',
        vintageTo: '2024-07-01',
        region: 'GB',
        retired: true,
        certificateIds: [`OLD-${b.orgId}`],
      }).expect(201);
      await post(b, '/instruments', {
        type: 'REGO',
        volumeMwh: '1',
        vintageFrom: '2024-07-01',
        vintageTo: '2024-01-01',
        region: 'GB',
        retired: true,
        certificateIds: ['X'],
      }).expect(400);
      const inv = (await inventory(b, '2024-01-01', '2025-01-01').expect(200)).body;
      expect(inv.instruments[0]).toMatchObject({
        id: inst.body.id,
        accepted: false,
        allocatedKwh: 0,
        issues: [expect.objectContaining({ code: 'VINTAGE' })],
      });
      expect(inv.warnings.map((w: { code: string }) => w.code)).toContain('INSTRUMENT_REJECTED');
      expect(inv.scope2MarketKgCo2e).toBe(kg(D(1000).times('0.38096')));
    });

    it('answers 400 for an empty or malformed period', async () => {
      await inventory(a, '2024-02-01', '2024-01-01').expect(400);
      await inventory(a, '2024-13-01', '2025-01-01').expect(400);
      await t.http.get(api(a, '/inventory?from=2024-01-01')).set(a.auth).expect(400);
    });
  });

  describe('tenancy and roles', () => {
    it("answers 404 for another tenant's inventory, activities and instruments", async () => {
      const a = await signup(t, 'ten-a');
      const b = await signup(t, 'ten-b');
      const act = await post(a, '/activities', electricity('1', '2024-01-01', '2024-02-01')).expect(201);
      const inst = await post(a, '/instruments', {
        type: 'PPA',
        volumeMwh: '1',
        vintageFrom: '2024-01-01',
        vintageTo: '2025-01-01',
        region: 'GB',
        retired: true,
      }).expect(201);
      await t.http
        .get(`/api/v1/orgs/${a.orgId}/inventory?from=2024-01-01&to=2025-01-01`)
        .set(b.auth)
        .expect(404);
      await t.http.get(`/api/v1/orgs/${a.orgId}/activities`).set(b.auth).expect(404);
      await t.http.get(`/api/v1/orgs/${a.orgId}/instruments`).set(b.auth).expect(404);
      await t.http.get(`/api/v1/orgs/${b.orgId}/activities/${act.body.id}`).set(b.auth).expect(404);
      await t.http.delete(`/api/v1/orgs/${b.orgId}/activities/${act.body.id}`).set(b.auth).expect(404);
      await t.http.get(`/api/v1/orgs/${b.orgId}/instruments/${inst.body.id}`).set(b.auth).expect(404);
      await t.http.delete(`/api/v1/orgs/${b.orgId}/instruments/${inst.body.id}`).set(b.auth).expect(404);
      await t.http
        .get(`/api/v1/orgs/${a.orgId}/inventory/report.pdf?from=2024-01-01&to=2025-01-01`)
        .set(b.auth)
        .expect(404);
      expect((await t.http.get(api(b, '/activities')).set(b.auth).expect(200)).body).toEqual([]);
      expect((await inventory(b, '2024-01-01', '2025-01-01').expect(200)).body.lines).toEqual([]);
      // RLS: even an unfiltered query in B's transaction sees none of A's rows
      const rows = await t.app
        .get(Db)
        .tenant((em) => em.query('SELECT count(*)::int AS n FROM activities'), b.orgId);
      expect(rows[0].n).toBe(0);
    });

    it('lets a viewer read but not write', async () => {
      const a = await signup(t, 'role');
      const inv = await post(a, '/invitations', { email: uniqueEmail('viewer'), role: 'viewer' }).expect(201);
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({
          email: inv.body.email,
          password: 'viewer password 123',
          name: 'Viewer',
          invitationToken: inv.body.token,
        })
        .expect(201);
      const viewer = { Authorization: `Bearer ${res.body.accessToken}` };
      // The invitation is accepted once the address is verified (issue 15).
      await verifyEmail(t, inv.body.email);
      await t.http.post('/api/v1/invitations/accept').set(viewer).send({ token: inv.body.token }).expect(200);
      await t.http
        .post(api(a, '/activities'))
        .set(viewer)
        .send(electricity('1', '2024-01-01', '2024-02-01'))
        .expect(403);
      await t.http
        .post(api(a, '/instruments'))
        .set(viewer)
        .send({
          type: 'PPA',
          volumeMwh: '1',
          vintageFrom: '2024-01-01',
          vintageTo: '2025-01-01',
          region: 'GB',
          retired: true,
        })
        .expect(403);
      await t.http
        .post(api(a, '/targets'))
        .set(viewer)
        .send({ name: 'x', baseYear: 2020, targetYear: 2030 })
        .expect(403);
      await t.http
        .post(api(a, '/inventory/recalculations'))
        .set(viewer)
        .send({ from: '2024-01-01', to: '2025-01-01' })
        .expect(403);
      await t.http.get(api(a, '/inventory?from=2024-01-01&to=2025-01-01')).set(viewer).expect(200);
      await t.http.get(api(a, '/activities')).set(viewer).expect(200);
    });
  });

  describe('targets', () => {
    it('defaults to the SBTi 1.5 °C linear 4.2 %/yr and reports progress on the linear path (1170 t over 10 years → 678.6 t)', async () => {
      const a = await signup(t, 'target');
      const def = await post(a, '/targets', {
        name: 'SBTi default',
        baseYear: 2020,
        targetYear: 2030,
      }).expect(201);
      expect(def.body).toMatchObject({
        kind: 'absolute',
        scopes: [1, 2],
        annualRatePct: 4.2,
        reductionPct: 42,
        sbti15cAligned: true,
      });
      const tg = await post(a, '/targets', {
        name: 'Vector 42',
        baseYear: 2014,
        targetYear: 2024,
        baseValue: '1170000',
        scopes: [1, 2],
        scope2Method: 'location',
      }).expect(201);
      await post(a, '/activities', electricity('1000', '2024-01-01', '2025-01-01')).expect(201);
      const p = (
        await t.http
          .get(api(a, `/targets/${tg.body.id}/progress?year=2024`))
          .set(a.auth)
          .expect(200)
      ).body;
      expect(p.targetValue).toBe(kg(D(1170000).times(D(1).minus(D('0.042').times(10))))); // 678,600 kg (compounding would give 761.8 t)
      expect(p.actual).toBe(207.05);
      expect(p.onTrack).toBe(true);
      expect(p.trajectory).toHaveLength(11);
      // SBTi flag (Corporate Near-Term Criteria v5.2): absolute Scope 1+2 at ≥ 4.2 %/yr only. A Scope-2-only
      // target at 50 % over 5 years (10 %/yr) and an intensity target at the same pace are not flagged.
      const s2 = await post(a, '/targets', {
        name: 'S2 only',
        baseYear: 2020,
        targetYear: 2025,
        reductionPct: '50',
        scopes: [2],
      }).expect(201);
      expect(s2.body).toMatchObject({
        annualRatePct: 10,
        sbti15cAligned: false,
        sbti15c: { criteria: 'SBTi Corporate Near-Term Criteria v5.2 (March 2024)' },
      });
      const int = await post(a, '/targets', {
        name: 'Intensity',
        kind: 'intensity',
        intensityDenominator: 'floor_area_m2',
        baseYear: 2020,
        targetYear: 2025,
        reductionPct: '50',
      }).expect(201);
      expect(int.body.sbti15cAligned).toBe(false);
      await post(a, '/targets', { name: 'bad', baseYear: 2030, targetYear: 2020 }).expect(400);
      await post(a, '/targets', { name: 'bad', kind: 'intensity', baseYear: 2020, targetYear: 2030 }).expect(
        400,
      );
      const list = (await t.http.get(api(a, '/targets')).set(a.auth).expect(200)).body;
      expect(list).toHaveLength(4);
    });
  });

  describe('reports and recalculation', () => {
    let a: SignedUp;
    beforeAll(async () => {
      a = await signup(t, 'report');
      await post(a, '/activities', electricity('1000', '2024-03-01', '2024-04-01')).expect(201);
      await post(a, '/activities', {
        activity: 'natural_gas',
        quantity: 1000,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-01-01',
        periodTo: '2024-02-01',
        dataQuality: 1,
      }).expect(201);
    });

    it('renders CSV, XLSX and a PDF inventory report', async () => {
      const csv = await t.http
        .get(api(a, '/inventory/report.csv?from=2024-01-01&to=2025-01-01'))
        .set(a.auth)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const rows = csv.text.trim().split('\r\n');
      expect(rows[0]).toMatch(/^scope,category,method/);
      expect(
        rows.some((r) => r.includes('desnz-2024:electricity_grid:GB:2024:kwh') && r.includes(',207.05,')),
      ).toBe(true);

      const xlsx = await t.http
        .get(api(a, '/inventory/report.xlsx?from=2024-01-01&to=2025-01-01'))
        .set(a.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as never);
      const summary = wb.getWorksheet('Summary');
      const values = summary
        ?.getSheetValues()
        .flat()
        .filter((v) => v !== undefined && v !== null);
      expect(values).toEqual(expect.arrayContaining(['Scope 1', 182.9, 'Scope 2 (location-based)', 207.05]));
      expect(wb.getWorksheet('Factors used')?.rowCount).toBeGreaterThan(2);

      const pdf = await t.http
        .get(api(a, '/inventory/report.pdf?from=2024-01-01&to=2025-01-01'))
        .set(a.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const body = pdf.body as Buffer;
      expect(body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(body.length).toBeGreaterThan(3000);
    });

    it('stores a recalculation, keeps the old result and shows the difference', async () => {
      const first = await post(a, '/inventory/recalculations', {
        from: '2024-01-01',
        to: '2025-01-01',
        reason: 'first close',
      }).expect(201);
      expect(first.body).toMatchObject({
        previousId: null,
        diff: null,
        scope1KgCo2e: 182.9,
        scope2LocationKgCo2e: 207.05,
      });
      await post(a, '/activities', {
        activity: 'natural_gas',
        quantity: 500,
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2024-06-01',
        periodTo: '2024-07-01',
        dataQuality: 1,
      }).expect(201);
      const second = await post(a, '/inventory/recalculations', {
        from: '2024-01-01',
        to: '2025-01-01',
        reason: 'late gas invoice',
      }).expect(201);
      expect(second.body.previousId).toBe(first.body.id);
      expect(second.body.diff).toMatchObject({
        scope1KgCo2e: kg(D(500).times('0.18290')),
        scope2LocationKgCo2e: 0,
        dataChanged: true,
        factorLibraryChanged: false,
        factorChanges: [],
      });
      expect(second.body.diff.lineChanges).toEqual([
        expect.objectContaining({ beforeKgCo2e: null, afterKgCo2e: 91.45 }),
      ]);
      const list = (
        await t.http
          .get(api(a, '/inventory/recalculations?from=2024-01-01&to=2025-01-01'))
          .set(a.auth)
          .expect(200)
      ).body;
      expect(list.map((s: { id: string }) => s.id)).toEqual([second.body.id, first.body.id]);
    });
  });
});

describe(`carbon: the demo organisation (${serverMode().database}, ${serverMode().queue})`, () => {
  let d: TestApp;
  beforeAll(async () => {
    d = await startApp({ env: { HALVE_DEMO: 'on' } });
  }, 600_000);
  afterAll(() => d?.close());

  it('has an inventory equal to a sum computed here from its readings and the published factors', async () => {
    const login = await d.http
      .post('/api/v1/auth/login')
      .send({ email: DEMO_EMAIL, password: DEMO_PASSWORD })
      .expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const orgId = (await d.http.get('/api/v1/orgs').set(auth).expect(200)).body.find(
      (o: { isDemo: boolean }) => o.isDemo,
    ).id as string;
    const api = (p: string) => `/api/v1/orgs/${orgId}${p}`;
    // the metering seeder's imports run as jobs: wait until every one has finished
    const deadline = Date.now() + 540_000;
    for (;;) {
      const list = (await d.http.get(api('/imports')).set(auth).expect(200)).body as { status: string }[];
      if (list.length && list.every((i) => i.status === 'succeeded' || i.status === 'failed')) break;
      if (Date.now() > deadline) throw new Error('demo imports did not finish');
      await new Promise((r) => setTimeout(r, 250));
    }
    const meters = (await d.http.get(api('/meters')).set(auth).expect(200)).body as {
      id: string;
      siteId: string;
      kind: string;
    }[];
    const sites = (await d.http.get(api('/sites')).set(auth).expect(200)).body as {
      id: string;
      gridRegion: string;
    }[];
    const camxSite = sites.find((s) => s.gridRegion === 'CAMX') as { id: string };
    const campusMeter = meters.find((m) => m.siteId === camxSite.id && m.kind === 'electricity_import') as {
      id: string;
    };
    // 2016 in the organisation's zone (America/Los_Angeles): [2016-01-01T08:00Z, 2017-01-01T08:00Z)
    const raw = (
      await d.http
        .get(
          api(
            `/meters/${campusMeter.id}/readings?from=2016-01-01T08:00:00Z&to=2017-01-01T08:00:00Z&resolution=raw`,
          ),
        )
        .set(auth)
        .expect(200)
    ).body;
    const campusKwh = (raw.points as { value: number }[]).reduce((s, p) => s.plus(D(String(p.value))), D(0));
    expect(campusKwh.gt(100_000)).toBe(true);

    const inv = (await d.http.get(api('/inventory?from=2016-01-01&to=2017-01-01')).set(auth).expect(200))
      .body;
    // Scope 2 location: the campus's 2016 kWh × eGRID2022 CAMX (the nearest year, a named proxy); the other demo meters hold 2015 and 2012 data
    const camx = D('497.443')
      .plus(D(28).times('0.030'))
      .plus(D(265).times('0.004'))
      .times('0.45359237')
      .div(1000);
    expect(inv.scope2LocationKgCo2e).toBe(kg(campusKwh.times(camx)));
    // market-based: the retired 150 MWh REC at 0, the rest at the Green-e 2018 CAMX residual mix 0.240140873
    expect(inv.scope2MarketKgCo2e).toBe(kg(campusKwh.minus(150_000).times('0.240140873')));
    // Scope 1: the campus's 2016 gas as PG&E bills (libs/metering/src/bill-demo.ts): 7,400 + 5,100 + 2,300 therms,
    // and of the bill 6 Oct 2016 – 5 Jan 2017 (92 days) the 87 days in 2016; 1 therm = 0.1 mmBtu at 53.1145
    // kg/mmBtu (EPA Hub 2024, gross); + 840 gal diesel × 10.24268 + 3.5 kg R-410A × 1,924 (DESNZ 2024)
    const therms2016 = D(7400).plus(5100).plus(2300).plus(D(6900).times(87).div(92));
    const gasKg = therms2016.times('0.1').times('53.1145');
    const scope1 = gasKg.plus(D(840).times('10.24268')).plus(D('3.5').times(1924));
    // through the bill's kWh (29.3071 per therm), its monthly readings and back to mmBtu: equal to the gram
    expect(Math.abs(inv.scope1KgCo2e - scope1.toNumber())).toBeLessThan(0.001);
    // Scope 3: two flights by airports as DESNZ prices them (great circle on the shipped airports' positions
    // × 1.08 × 2 legs × passengers, international economy), 12 Amtrak returns of 78 miles, 12 short tons of
    // mixed MSW landfilled, each at the factor its line names
    const airports = readFileSync(join(__dirname, '../../libs/carbon/data/airports/airports.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const at = (code: string) => {
      const row = airports.find((r) => r[0] === code)!;
      return { lat: Number(row[row.length - 3]), lon: Number(row[row.length - 2]) };
    };
    const rad = (x: number) => (x * Math.PI) / 180;
    const haversineKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
      2 *
      6371 *
      Math.asin(
        Math.sqrt(
          Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
            Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2,
        ),
      );
    const flightPkm = D(haversineKm(at('SFO'), at('JFK')))
      .times('1.08')
      .times(2 * 2)
      .plus(
        D(haversineKm(at('SFO'), at('SEA')))
          .times('1.08')
          .times(2),
      );
    type Line = { source: string; quantity: number; factor: { id: string; value: string } };
    const air = inv.lines.filter((l: Line) => l.source.startsWith('business_travel_air')) as Line[];
    const rail = inv.lines.find((l: Line) => l.source.startsWith('business_travel_rail')) as Line;
    const waste = inv.lines.find((l: Line) => l.source === 'waste.mixed_msw.landfilled') as Line;
    expect(new Set(air.map((l) => l.factor.id)).size).toBe(1);
    expect(air[0].factor.id).toMatch(/^desnz-2024:business_travel_air\.international.*economy/);
    expect(waste.factor.id).toBe('epa-hub-2024:waste.mixed_msw.landfilled:US:2024:short_ton');
    const scope3 = flightPkm
      .times(air[0].factor.value)
      .plus(D(12 * 2 * 78).times(rail.factor.value))
      .plus(D(12).times(waste.factor.value));
    expect(Math.abs(inv.scope3KgCo2e - scope3.toNumber())).toBeLessThan(0.002);
    const targets = (await d.http.get(api('/targets')).set(auth).expect(200)).body;
    expect(targets[0]).toMatchObject({ baseYear: 2016, targetYear: 2030, annualRatePct: 4.2 });
  }, 600_000);
});
