import { SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail } from '../support/harness';

/**
 * Carbon-neutral claims by ISO 14068-1 (issue 16): a claim missing significant Scope 3, a management
 * plan or offset fields is refused at submission with 422 naming each rule id and field; the complete
 * claim passes. Renewable-share claims count only instruments from renewable technologies.
 */
const ADMIN_EMAIL = uniqueEmail('iso-admin');
const ADMIN_PASSWORD = 'admin password 123';
const Y = new Date().getUTCFullYear();
const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

interface Problem {
  rule?: string;
  field: string;
  message: string;
}

describe(`ISO 14068-1 carbon-neutral claims (${serverMode().database})`, () => {
  let t: TestApp;
  let org: SignedUp;
  let bodyId: string;
  const api = (path: string) => `/api/v1/orgs/${org.orgId}${path}`;
  const post = (path: string, body: object) => t.http.post(api(path)).set(org.auth).send(body);

  beforeAll(async () => {
    t = await startApp({
      env: {
        HALVE_ADMIN_EMAIL: ADMIN_EMAIL,
        HALVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        HALVE_AUTO_ANALYSE: 'off',
      },
    });
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    bodyId = (
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set({ Authorization: `Bearer ${login.body.accessToken}` })
        .send({ name: `ISO Assurance ${Date.now()}`, claimTypes: ['carbon_neutral', 'renewable_share'] })
        .expect(201)
    ).body.id;
    org = await signup(t, 'iso-org');
    await t.http
      .patch(`/api/v1/orgs/${org.orgId}`)
      .set(org.auth)
      .send({ baseYear: Y - 4 })
      .expect(200);
    // Base year and last year: electricity 10,000 → 6,000 kWh; 4,000 passenger-km of flights both years
    // (Scope 3 category 6, several % of the footprint: significant).
    for (const [y, kwh] of [
      [Y - 4, '10000'],
      [Y - 1, '6000'],
    ] as const) {
      const period = { periodFrom: `${y}-01-01`, periodTo: `${y + 1}-01-01`, dataQuality: 1 };
      await post('/activities', { activity: 'electricity', quantity: kwh, unit: 'kWh', ...period }).expect(
        201,
      );
      await post('/activities', {
        activity: 'business_travel_air',
        variant: 'long_haul.economy_class.with_rf',
        quantity: '4000',
        unit: 'passenger.km',
        ...period,
      }).expect(201);
    }
  });
  afterAll(() => t?.close());

  it('refuses a claim without significant Scope 3, a plan or offset fields (422, rule and field), then passes it complete', async () => {
    // Scopes 1+2 only, no plan, an offset batch with only tonnes and a retirement date.
    const draft = (
      await post('/claims', {
        type: 'carbon_neutral',
        periodFrom: `${Y - 1}-01-01`,
        periodTo: `${Y}-01-01`,
        certificationBodyId: bodyId,
        scopes: [1, 2],
        offsets: [{ tonnesCo2e: '3', retiredOn: `${Y}-02-01` }],
      }).expect(201)
    ).body;
    const boundary = draft.figures.boundary;
    const travel = boundary.categories.find((c: { category: number }) => c.category === 6);
    // Category 6 share = its kg / footprint (Scopes 1 + 2 + all categories), as the API reports both.
    expect(travel.sharePct).toBeCloseTo((travel.kgCo2e / boundary.footprintKgCo2e) * 100, 3);
    expect(travel).toMatchObject({ quantified: true, inBoundary: false, significant: true });
    expect(travel.sharePct).toBeGreaterThanOrEqual(1);

    const refused = await t.http
      .post(api(`/claims/${draft.id}/transitions`))
      .set(org.auth)
      .send({ to: 'submitted' })
      .expect(422);
    const got = (refused.body.errors as Problem[]).map((e) => [e.rule, e.field]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['iso14068.boundary.scope3_materiality', 'scopes'],
        ['iso14068.boundary.scope3_materiality', 'scope3Screening'],
        ['iso14068.plan.required', 'managementPlan'],
        ['iso14068.plan.document', 'evidence.management_plan'],
        ['iso14068.offsets.fields', 'offsets[0].registry'],
        ['iso14068.offsets.fields', 'offsets[0].creditType'],
        ['iso14068.offsets.fields', 'offsets[0].standard'],
        ['iso14068.offsets.fields', 'offsets[0].vintage'],
        ['iso14068.offsets.fields', 'offsets[0].serialFrom'],
        ['iso14068.offsets.fields', 'offsets[0].beneficiary'],
        ['iso14068.offsets.receipt', 'evidence.retirement_receipt'],
      ]),
    );
    expect(refused.body.detail).toContain(
      'rule: a Scope 3 category is significant at ≥ 1 % of the footprint',
    );

    // A registry outside the list and a serial range that ends before it starts are bad input (400).
    const bad = await t.http
      .patch(api(`/claims/${draft.id}`))
      .set(org.auth)
      .send({ offsets: [{ registry: 'my-own-registry' }] })
      .expect(400);
    expect(JSON.stringify(bad.body.errors)).toContain('registry');
    await t.http
      .patch(api(`/claims/${draft.id}`))
      .set(org.auth)
      .send({ offsets: [{ registry: 'verra', serialFrom: 'VCU-9', serialTo: 'VCU-2' }] })
      .expect(400);

    // Complete: Scopes 1+2+3, the other 13 categories screened at 0, a plan whose trajectory the
    // reduction meets (50 % by Y+6 from Y−4: 15 % expected in Y−1), structured credits covering the residual.
    const residualT = Math.ceil(draft.figures.residualKgCo2e / 1000) + 1;
    const screening = Array.from({ length: 15 }, (_, i) => i + 1)
      .filter((c) => c !== 3 && c !== 6)
      .map((category) => ({ category, kgCo2e: '0', basis: 'not relevant: a two-person office' }));
    const complete = await t.http
      .patch(api(`/claims/${draft.id}`))
      .set(org.auth)
      .send({
        scopes: [1, 2, 3],
        scope3Screening: screening,
        managementPlan: {
          adoptedOn: `${Y - 2}-06-01`,
          targets: [{ targetYear: Y + 6, reductionPct: '50' }],
          measures: [{ description: 'Lighting and controls', completeBy: `${Y - 2}-12-31` }],
        },
        offsets: [
          {
            registry: 'puro_earth',
            projectId: 'PURO-123',
            projectName: 'Biochar kiln',
            projectType: 'biochar',
            creditType: 'removal',
            standard: 'Puro Standard, Biochar methodology 2022',
            vintage: Y - 1,
            serialFrom: `CORC-${org.orgId}-0001`,
            serialTo: `CORC-${org.orgId}-${String(residualT).padStart(4, '0')}`,
            tonnesCo2e: String(residualT),
            retiredOn: `${Y}-02-01`,
            beneficiary: 'iso-org Ltd',
          },
        ],
      })
      .expect(200);
    const stillMissing = (complete.body.missing as Problem[]).map((m) => m.field);
    expect(stillMissing).toEqual(['evidence.management_plan', 'evidence.retirement_receipt']);
    expect(complete.body.figures).toMatchObject({
      standard: 'ISO 14068-1:2023 (PAS 2060 is withdrawn)',
      managementPlan: { expectedReductionPct: 15, onTrajectory: true },
      removalsTonnesCo2e: residualT,
      residualCovered: true,
    });
    for (const kind of ['management_plan', 'retirement_receipt'])
      await t.http
        .post(api(`/claims/${draft.id}/evidence`))
        .set(org.auth)
        .field('kind', kind)
        .attach('file', pdf(kind), `${kind}.pdf`)
        .expect(201);
    const submitted = await t.http
      .post(api(`/claims/${draft.id}/transitions`))
      .set(org.auth)
      .send({ to: 'submitted' })
      .expect(200);
    expect(submitted.body.status).toBe('submitted');
  });

  it('lists the registries and project types an offset batch may name, to a logged-in user only', async () => {
    await t.http.get('/api/v1/iso14068/vocabulary').expect(401);
    const { body } = await t.http.get('/api/v1/iso14068/vocabulary').set(org.auth).expect(200);
    expect(body.registries).toContainEqual({
      id: 'verra',
      label: 'Verra (Verified Carbon Standard registry)',
    });
    // REDD+ credits avoid emissions; direct air capture removes them (ISO 14068-1 keeps the two apart).
    expect(body.projectTypes).toContainEqual({ id: 'redd_plus', avoidanceOnly: true });
    expect(body.projectTypes).toContainEqual({ id: 'direct_air_capture', avoidanceOnly: false });
    // Every registry of the rules' list is there, not only the first.
    expect(body.registries.map((r: { id: string }) => r.id)).toContain('gold_standard');
  });

  it('counts a zero-rated GO in a renewable share only when its technology is renewable', async () => {
    const go = (technology: string, serial: string) =>
      post('/instruments', {
        type: 'GO',
        volumeMwh: '1',
        technology,
        vintageFrom: `${Y - 1}-01-01`,
        vintageTo: `${Y}-01-01`,
        region: 'GB',
        retired: true,
        certificateIds: [`${serial}-${org.orgId}`],
      }).expect(201);
    await go('nuclear', 'GO-NUC');
    const claim = (
      await post('/claims', {
        type: 'renewable_share',
        periodFrom: `${Y - 1}-01-01`,
        periodTo: `${Y}-01-01`,
        certificationBodyId: bodyId,
      }).expect(201)
    ).body;
    // 6,000 kWh consumed; the 1,000 kWh nuclear GO is zero-rated but not renewable: 0 %.
    expect(claim.figures).toMatchObject({ instrumentsKwh: 0, renewableSharePct: 0 });
    expect(claim.figures.excludedInstruments[0].reason).toBe(
      'nuclear is not a renewable technology (zero-rated is not renewable)',
    );
    await go('wind', 'GO-WIND');
    const again = (
      await t.http
        .get(api(`/claims/${claim.id}`))
        .set(org.auth)
        .expect(200)
    ).body;
    // The wind GO counts: 1,000 / 6,000 = 16.6667 %.
    expect(again.figures).toMatchObject({ instrumentsKwh: 1000, renewableSharePct: 16.6667 });
  });
});
