import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import { AuditService, Db, LogMailer, MAILER } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail, waitFor } from '../support/harness';
import { DORM_SITE, dormFiles } from '../support/dorm';
import { acceptMailedInvitation, verifyEmail } from '../support/mail';
import { claimRequests } from '../support/claims';

/**
 * Certification end to end: two organisations, two certification bodies with their certifiers, claims
 * walked through every status, evidence locked by hash, certificates verified publicly.
 */
const ADMIN_EMAIL = uniqueEmail('cert-admin');
const ADMIN_PASSWORD = 'admin password 123';
const EVIDENCE_LIMIT = 64 * 1024;
const D = (v: string | number) => new Decimal(v);

// Periods relative to today so that "valid" stays valid and "expired" stays expired whenever this runs.
const Y = new Date().getUTCFullYear();
const yearOf = (y: number) => ({ periodFrom: `${y}-01-01`, periodTo: `${y + 1}-01-01` });

const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`certification (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let orgA: SignedUp; // renewable share with PV, export and a REGO
  let orgB: SignedUp; // emission reductions against a base year
  let certA: SignedUp; // certifier of body A
  let certB: SignedUp; // certifier of body B
  let bodyA: string;
  let bodyB: string;
  let bodyAName: string;
  let claims: ReturnType<typeof claimRequests>;

  const orgApi = (o: SignedUp, path: string) => `/api/v1/orgs/${o.orgId}${path}`;
  const bodyApi = (bodyId: string, path: string) => `/api/v1/certification-bodies/${bodyId}${path}`;
  const mailer = () => t.app.get<LogMailer>(MAILER);

  beforeAll(async () => {
    t = await startApp({
      env: {
        HALVE_ADMIN_EMAIL: ADMIN_EMAIL,
        HALVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        HALVE_EVIDENCE_LIMIT: String(EVIDENCE_LIMIT),
        // Analyses run only when asked (the verified-savings organisation asks once, after its weather).
        HALVE_AUTO_ANALYSE: 'off',
      },
    });
    claims = claimRequests(t);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    admin = { Authorization: `Bearer ${login.body.accessToken}` };
    bodyAName = `GreenMark Assurance ${Date.now()}`;
    bodyA = (
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(admin)
        .send({
          name: bodyAName,
          claimTypes: ['renewable_share', 'emission_reduction', 'verified_savings', 'carbon_neutral'],
        })
        .expect(201)
    ).body.id;
    bodyB = (
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(admin)
        .send({ name: `Nordic Verify ${Date.now()}`, claimTypes: ['renewable_share', 'emission_reduction'] })
        .expect(201)
    ).body.id;
    orgA = await signup(t, 'cert-org-a');
    orgB = await signup(t, 'cert-org-b');
    certA = await signup(t, 'certifier-a');
    certB = await signup(t, 'certifier-b');
    await t.http
      .post(`/api/v1/admin/certification-bodies/${bodyA}/members`)
      .set(admin)
      .send({ email: certA.email, role: 'lead_certifier' })
      .expect(201);
    await t.http
      .post(`/api/v1/admin/certification-bodies/${bodyB}/members`)
      .set(admin)
      .send({ email: certB.email, role: 'certifier' })
      .expect(201);
    // Organisation A's owner is also a certifier of body A: a conflict of interest for A's claims.
    await t.http
      .post(`/api/v1/admin/certification-bodies/${bodyA}/members`)
      .set(admin)
      .send({ email: orgA.email, role: 'certifier' })
      .expect(201);
    // Each certifier verifies their address and accepts the e-mailed invitation (issue 15).
    for (const who of [certA, certB, orgA]) {
      await verifyEmail(t, who.email);
      await acceptMailedInvitation(t, who);
    }

    // Organisation A: one site with grid import, PV and export meters, plus a retired REGO.
    const site = await t.http
      .post(orgApi(orgA, '/sites'))
      .set(orgA.auth)
      .send({ name: 'Workshop', country: 'GB', timezone: 'Europe/London', gridRegion: 'GB' })
      .expect(201);
    const meter = async (name: string, kind: string) =>
      (
        await t.http
          .post(orgApi(orgA, '/meters'))
          .set(orgA.auth)
          .send({ siteId: site.body.id, name, kind, unit: 'kWh', intervalMinutes: 60 })
          .expect(201)
      ).body.id as string;
    const hours = [`${Y - 1}-06-01T10:00:00Z`, `${Y - 1}-06-01T11:00:00Z`, `${Y - 1}-06-01T12:00:00Z`];
    const push = async (id: string, values: number[]) =>
      t.http
        .post(orgApi(orgA, `/meters/${id}/readings`))
        .set(orgA.auth)
        .send({ readings: hours.map((ts, i) => ({ ts, value: values[i] })) })
        .expect((r) => expect([200, 201]).toContain(r.status));
    await push(await meter('Grid import', 'electricity_import'), [50, 30, 0]);
    await push(await meter('Rooftop PV', 'pv_generation'), [0, 20, 70]);
    await push(await meter('Export', 'electricity_export'), [0, 0, 20]);
    await t.http
      .post(orgApi(orgA, '/instruments'))
      .set(orgA.auth)
      .send({
        type: 'REGO',
        volumeMwh: '0.05',
        technology: 'wind',
        vintageFrom: `${Y - 1}-01-01`,
        vintageTo: `${Y}-01-01`,
        region: 'GB',
        retired: true,
        certificateIds: [`REGO-${orgA.orgId}`],
      })
      .expect(201);

    // Organisation B: a base year four years back, electricity and gas every year since.
    await t.http
      .patch(`/api/v1/orgs/${orgB.orgId}`)
      .set(orgB.auth)
      .send({ baseYear: Y - 4 })
      .expect(200);
    const usage: [number, string, string][] = [
      [Y - 4, '10000', '6000'],
      [Y - 3, '9000', '5500'],
      [Y - 2, '9500', '5800'],
      [Y - 1, '8000', '4000'],
    ];
    for (const [y, elec, gas] of usage) {
      await t.http
        .post(orgApi(orgB, '/activities'))
        .set(orgB.auth)
        .send({
          activity: 'electricity',
          quantity: elec,
          unit: 'kWh',
          periodFrom: `${y}-01-01`,
          periodTo: `${y + 1}-01-01`,
          dataQuality: 1,
        })
        .expect(201);
      await t.http
        .post(orgApi(orgB, '/activities'))
        .set(orgB.auth)
        .send({
          activity: 'natural_gas',
          quantity: gas,
          unit: 'kWh',
          basis: 'gross',
          periodFrom: `${y}-01-01`,
          periodTo: `${y + 1}-01-01`,
          dataQuality: 1,
        })
        .expect(201);
    }
  });
  afterAll(() => t?.close());

  describe('a renewable-share claim through every review state', () => {
    let claimId: string;
    let firstSha: string;
    let secondSha: string;
    let certificateNumber: string;

    it('drafts the claim; its figures are the carbon module’s numbers for the same period', async () => {
      const res = await claims.draft(
        orgA,
        { type: 'renewable_share', ...yearOf(Y - 1), certificationBodyId: bodyA },
        201,
      );
      claimId = res.body.id;
      expect(res.body).toMatchObject({
        type: 'renewable_share',
        status: 'draft',
        periodFrom: `${Y - 1}-01-01`,
        periodTo: `${Y}-01-01`,
        certificationBodyId: bodyA,
      });
      expect(res.body.evidenceSha256).toBeUndefined();
      const inv = (
        await t.http
          .get(orgApi(orgA, `/inventory?from=${Y - 1}-01-01&to=${Y}-01-01`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      // the carbon module: 80 kWh bought, 90 kWh generated, 20 exported → 70 self-consumed; the REGO covers 50 kWh
      expect(inv.purchasedElectricityKwh).toBe(80);
      const selfConsumed = inv.onSiteGeneration.reduce(
        (s: Decimal, g: { selfConsumedKwh: number }) => s.plus(g.selfConsumedKwh),
        D(0),
      );
      const instruments = inv.instruments
        .filter((i: { accepted: boolean }) => i.accepted)
        .reduce((s: Decimal, i: { allocatedKwh: number }) => s.plus(i.allocatedKwh), D(0));
      expect(selfConsumed.toNumber()).toBe(70);
      expect(instruments.toNumber()).toBe(50);
      const claim = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(claim.figures).toMatchObject({
        purchasedElectricityKwh: inv.purchasedElectricityKwh,
        onSiteSelfConsumedKwh: selfConsumed.toNumber(),
        instrumentsKwh: instruments.toNumber(),
        totalElectricityKwh: D(inv.purchasedElectricityKwh).plus(selfConsumed).toNumber(),
        renewableSharePct: selfConsumed
          .plus(instruments)
          .div(D(inv.purchasedElectricityKwh).plus(selfConsumed))
          .times(100)
          .toNumber(),
        scope2LocationKgCo2e: inv.scope2LocationKgCo2e,
        scope2MarketKgCo2e: inv.scope2MarketKgCo2e,
      });
      expect(claim.figures.renewableSharePct).toBe(80); // (70 + 50) / 150
      // counted certificates need their document: named before submission
      expect(claim.missing).toEqual([expect.objectContaining({ field: 'evidence.certificate' })]);
    });

    it('refuses to submit without the required evidence, naming what is missing', async () => {
      const res = await claims.orgMove(orgA, claimId, { to: 'submitted' }, 422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          field: 'evidence.certificate',
          message: expect.stringContaining('"certificate" is required'),
        }),
      ]);
      expect(res.body.detail).toContain('certificate');
      expect(
        (
          await t.http
            .get(orgApi(orgA, `/claims/${claimId}`))
            .set(orgA.auth)
            .expect(200)
        ).body.status,
      ).toBe('draft');
    });

    it('limits uploads by content type (not by name) and by size', async () => {
      const exe = Buffer.concat([
        Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]),
        Buffer.alloc(200, 0),
      ]);
      const bad = await claims.upload(orgA, claimId, 'certificate', exe, 'rego.pdf', 415);
      expect(bad.body.detail).toMatch(/PDF, PNG, JPEG, CSV or XLSX/);
      const big = Buffer.concat([pdf('big'), Buffer.alloc(EVIDENCE_LIMIT + 1024, 0x20)]);
      await claims.upload(orgA, claimId, 'certificate', big, 'big.pdf', 413);
      await claims.upload(orgA, claimId, 'receipt', pdf('x'), 'x.pdf', 400);
      await t.http
        .post(orgApi(orgA, `/claims/${claimId}/evidence`))
        .set(orgA.auth)
        .field('kind', 'certificate')
        .expect(400);
      // a PDF named .txt is a PDF; a CSV export is accepted as CSV
      const named = await t.http
        .post(orgApi(orgA, `/claims/${claimId}/evidence`))
        .set(orgA.auth)
        .field('kind', 'certificate')
        .field('description', 'REGO statement')
        .attach('file', pdf('REGO'), 'rego-statement.txt')
        .expect(201);
      expect(named.body).toMatchObject({
        kind: 'certificate',
        contentType: 'application/pdf',
        sha256: sha(pdf('REGO')),
        description: 'REGO statement',
      });
      const csv = await claims.upload(
        orgA,
        claimId,
        'meter_export',
        Buffer.from('ts,kWh\n2025-06-01T10:00Z,50\n'),
        'export.csv',
        201,
      );
      expect(csv.body.contentType).toBe('text/csv');
      const list = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}/evidence`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(list.map((e: { kind: string }) => e.kind).sort()).toEqual(['certificate', 'meter_export']);
    });

    it('submits: the evidence snapshot is locked and hashed, and the body’s certifiers are told', async () => {
      const res = await claims.orgMove(orgA, claimId, { to: 'submitted' }, 200);
      expect(res.body.status).toBe('submitted');
      expect(res.body.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
      firstSha = res.body.evidenceSha256;
      const note = (await t.http.get('/api/v1/me/notifications').set(certA.auth).expect(200)).body;
      expect(note).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'claim_submitted', claimId })]),
      );
      expect(
        mailer().sent.some(
          (m) => m.to === certA.email.toLowerCase() && m.subject.startsWith('Claim submitted'),
        ),
      ).toBe(true);
      // the snapshot names the inventory, factor versions, meter data hashes and documents
      const detail = (
        await t.http
          .get(bodyApi(bodyA, `/claims/${claimId}`))
          .set(certA.auth)
          .expect(200)
      ).body;
      expect(detail.snapshot.inventory.factorLibraryVersion).toMatch(/^[0-9a-f]{16,}/);
      expect(detail.snapshot.inventory.factorsUsed.length).toBeGreaterThan(0);
      expect(detail.snapshot.meterData).toHaveLength(3);
      expect(
        detail.snapshot.meterData.every(
          (m: { sha256: string; hours: number }) => /^[0-9a-f]{64}$/.test(m.sha256) && m.hours === 3,
        ),
      ).toBe(true);
      expect(detail.snapshot.documents.map((d: { sha256: string }) => d.sha256)).toContain(sha(pdf('REGO')));
      expect(detail.snapshot.instruments[0].certificateIds).toEqual([`REGO-${orgA.orgId}`]);
      expect(detail.organizationName).toBe('cert-org-a Ltd');
    });

    it('refuses any change of evidence after submission, and the hash still matches', async () => {
      const list = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}/evidence`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      const add = await claims.upload(orgA, claimId, 'bill', pdf('late bill'), 'bill.pdf', 409);
      expect(add.body.detail).toMatch(/locked/);
      await t.http
        .delete(orgApi(orgA, `/claims/${claimId}/evidence/${list[0].id}`))
        .set(orgA.auth)
        .expect(409);
      await t.http
        .patch(orgApi(orgA, `/claims/${claimId}`))
        .set(orgA.auth)
        .send({ statement: 'We are 100 % green' })
        .expect(409);
      // even the database refuses, for the app role and for the owner
      await expect(
        t.app
          .get(Db)
          .tenant((em) => em.query('DELETE FROM claim_evidence WHERE claim_id = $1', [claimId]), orgA.orgId),
      ).rejects.toThrow(/locked/);
      await expect(
        t.app
          .get(Db)
          .system((em) =>
            em.query(`UPDATE claim_evidence SET description = 'x' WHERE claim_id = $1`, [claimId]),
          ),
      ).rejects.toThrow(/immutable/);
      const claim = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(claim.evidenceSha256).toBe(firstSha);
      const check = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}/verification`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(check).toMatchObject({
        ok: true,
        snapshotIntact: true,
        storedSha256: firstSha,
        recomputedSha256: firstSha,
      });
      expect(check.documents.every((d: { ok: boolean }) => d.ok)).toBe(true);
    });

    it('hides the claim from the other body, other organisations and non-members (404)', async () => {
      await t.http
        .get(bodyApi(bodyB, `/claims/${claimId}`))
        .set(certB.auth)
        .expect(404);
      await claims.certifierMove(bodyB, certB, claimId, { to: 'in_review' }, 404);
      expect(
        (await t.http.get(bodyApi(bodyB, '/claims')).set(certB.auth).expect(200)).body.map(
          (c: { id: string }) => c.id,
        ),
      ).not.toContain(claimId);
      // certifier B is not a member of body A
      await t.http
        .get(bodyApi(bodyA, `/claims/${claimId}`))
        .set(certB.auth)
        .expect(404);
      await t.http.get(bodyApi(bodyA, '/claims')).set(orgB.auth).expect(404);
      await t.http
        .get(orgApi(orgA, `/claims/${claimId}`))
        .set(orgB.auth)
        .expect(404);
      await t.http
        .get(orgApi(orgB, `/claims/${claimId}`))
        .set(orgB.auth)
        .expect(404);
      // RLS: the body scope sees the claim; the other body's scope sees no claim, evidence or transition
      const seen = await t.app
        .get(Db)
        .body(bodyB, async (em) => [
          (await em.query('SELECT count(*)::int AS n FROM claims'))[0].n,
          (await em.query('SELECT count(*)::int AS n FROM claim_evidence'))[0].n,
          (await em.query('SELECT count(*)::int AS n FROM claim_transitions'))[0].n,
          (await em.query('SELECT count(*)::int AS n FROM organizations'))[0].n,
        ]);
      expect(seen).toEqual([0, 0, 0, 0]);
      const own = await t.app
        .get(Db)
        .body(bodyA, async (em) =>
          (await em.query('SELECT id FROM claims')).map((r: { id: string }) => r.id),
        );
      expect(own).toEqual([claimId]);
    });

    it('does not let a tenant user decide, nor a certifier review their own organisation’s claim', async () => {
      const approve = await claims.orgMove(orgA, claimId, { to: 'approved', assuranceLevel: 'limited' }, 400);
      expect(approve.body.errors[0].field).toBe('assuranceLevel');
      const byOrg = await claims.orgMove(orgA, claimId, { to: 'approved' }, 403);
      expect(byOrg.body.detail).toMatch(/Only a certifier/);
      const conflicted = await claims.certifierMove(bodyA, orgA, claimId, { to: 'in_review' }, 403);
      expect(conflicted.body.detail).toMatch(/member of the organisation/);
      const submitByCertifier = await claims.certifierMove(bodyA, certA, claimId, { to: 'submitted' }, 403);
      expect(submitByCertifier.body.detail).toMatch(/Only the organisation/);
    });

    it('refuses illegal transitions with 409 and a clear message', async () => {
      const res = await claims.certifierMove(
        bodyA,
        certA,
        claimId,
        { to: 'approved', assuranceLevel: 'limited' },
        409,
      );
      expect(res.body.detail).toBe(
        'A submitted claim cannot move to approved; from submitted a certifier can move it to in_review.',
      );
      const again = await claims.orgMove(orgA, claimId, { to: 'submitted' }, 409);
      expect(again.body.detail).toMatch(/A submitted claim cannot move to submitted/);
    });

    it('in review → changes requested (with findings) → resubmitted with a new snapshot', async () => {
      const review = await claims.certifierMove(bodyA, certA, claimId, { to: 'in_review' }, 200);
      expect(review.body.status).toBe('in_review');
      expect(review.body.checklist.map((i: { key: string }) => i.key)).toEqual([
        'boundary_complete',
        'scope2_dual',
        'instrument_quality',
        'materiality_threshold',
      ]);
      await claims.certifierMove(bodyA, certA, claimId, { to: 'changes_requested' }, 400);
      const findings = [
        {
          severity: 'minor',
          item: 'instrument_quality',
          text: 'Attach the REGO redemption statement from the Ofgem register.',
        },
      ];
      const changes = await claims.certifierMove(
        bodyA,
        certA,
        claimId,
        { to: 'changes_requested', findings },
        200,
      );
      expect(changes.body.status).toBe('changes_requested');
      // the organisation sees the findings and is told, in the portal and by e-mail
      const claim = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(claim.status).toBe('changes_requested');
      expect(claim.reviews.at(-1)).toMatchObject({ decision: 'changes_requested', findings });
      const notes = (await t.http.get('/api/v1/me/notifications?unread=true').set(orgA.auth).expect(200))
        .body;
      const note = notes.find((n: { kind: string }) => n.kind === 'claim_changes_requested');
      expect(note).toMatchObject({ claimId, organizationId: orgA.orgId });
      expect(
        mailer().sent.some(
          (m) => m.to === orgA.email.toLowerCase() && m.subject.includes('Changes requested'),
        ),
      ).toBe(true);
      await t.http.post(`/api/v1/me/notifications/${note.id}/read`).set(orgA.auth).expect(204);
      await t.http.post(`/api/v1/me/notifications/${note.id}/read`).set(orgB.auth).expect(404);

      // evidence may be added again; removal of submitted documents stays refused
      await claims.upload(orgA, claimId, 'certificate', pdf('REGO redemption'), 'redemption.pdf', 201);
      await t.http
        .patch(orgApi(orgA, `/claims/${claimId}`))
        .set(orgA.auth)
        .send({ statement: 'Workshop electricity: 80 % renewable.' })
        .expect(200);
      const resubmitted = await claims.orgMove(
        orgA,
        claimId,
        { to: 'submitted', reason: 'Redemption statement attached.' },
        200,
      );
      expect(resubmitted.body).toMatchObject({
        status: 'submitted',
        submissionCount: 2,
        statement: 'Workshop electricity: 80 % renewable.',
      });
      secondSha = resubmitted.body.evidenceSha256;
      expect(secondSha).toMatch(/^[0-9a-f]{64}$/);
      expect(secondSha).not.toBe(firstSha);
    });

    it('approves with an assurance level and issues a certificate; the decision is notified', async () => {
      await claims.certifierMove(bodyA, certA, claimId, { to: 'in_review' }, 200);
      const noLevel = await claims.certifierMove(bodyA, certA, claimId, { to: 'approved' }, 400);
      expect(noLevel.body.errors[0].field).toBe('assuranceLevel');
      await claims.certifierMove(
        bodyA,
        certA,
        claimId,
        { to: 'approved', assuranceLevel: 'limited', checklist: { no_such_item: true } },
        400,
      );
      const approved = await claims.certifierMove(
        bodyA,
        certA,
        claimId,
        {
          to: 'approved',
          assuranceLevel: 'limited',
          checklist: {
            boundary_complete: true,
            scope2_dual: true,
            instrument_quality: true,
            materiality_threshold: true,
          },
        },
        200,
      );
      expect(approved.body.status).toBe('approved');
      certificateNumber = approved.body.certificate.number;
      expect(certificateNumber).toMatch(new RegExp(`^HLV-${Y}-[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$`));
      const claim = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(claim).toMatchObject({
        status: 'approved',
        evidenceSha256: secondSha,
        assuranceLevel: 'limited',
        certificate: { number: certificateNumber, status: 'valid', validUntil: `${Y}-12-31` },
      });
      expect(
        mailer().sent.some((m) => m.to === orgA.email.toLowerCase() && m.subject.includes('was approved')),
      ).toBe(true);
      const pdfRes = await t.http
        .get(orgApi(orgA, `/claims/${claimId}/certificate.pdf`))
        .set(orgA.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdfRes.headers['content-type']).toBe('application/pdf');
      expect((pdfRes.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      // after a decision nothing moves
      const withdraw = await claims.orgMove(orgA, claimId, { to: 'withdrawn' }, 409);
      expect(withdraw.body.detail).toMatch(/final status/);
    });

    it('verifies publicly: valid, with only the certificate’s facts; unknown numbers are 404', async () => {
      const res = await t.http.get(`/api/v1/verify/${certificateNumber}`).expect(200);
      expect(res.body).toMatchObject({
        status: 'valid',
        statement: 'Workshop electricity: 80 % renewable.',
        periodFrom: `${Y - 1}-01-01`,
        periodTo: `${Y}-01-01`,
        certificationBody: bodyAName,
        validUntil: `${Y}-12-31`,
        evidenceSha256: secondSha,
        issuedAt: expect.any(String),
      });
      expect(Object.keys(res.body).sort()).toEqual([
        'assuranceLevel',
        'certificationBody',
        'claimType',
        'evidenceSha256',
        'issuedAt',
        'number',
        'periodFrom',
        'periodTo',
        'statement',
        'status',
        'validUntil',
      ]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(orgA.orgId);
      expect(text).not.toContain(claimId);
      expect(text).not.toContain('cert-org-a');
      await t.http.get(`/api/v1/verify/HLV-${Y}-ZZZZZZ`).expect(404);
      await t.http.get('/api/v1/verify/not-a-number').expect(404);
    });

    it('revokes with a reason: only the issuing body can, and verification shows it at once', async () => {
      await t.http
        .post(bodyApi(bodyB, `/certificates/${certificateNumber}/revoke`))
        .set(certB.auth)
        .send({ reason: 'not ours' })
        .expect(404);
      await t.http
        .post(bodyApi(bodyA, `/certificates/${certificateNumber}/revoke`))
        .set(certA.auth)
        .send({})
        .expect(400);
      const revoked = await t.http
        .post(bodyApi(bodyA, `/certificates/${certificateNumber}/revoke`))
        .set(certA.auth)
        .send({ reason: 'The REGO was also claimed by the supplier.' })
        .expect(200);
      expect(revoked.body.status).toBe('revoked');
      const res = await t.http.get(`/api/v1/verify/${certificateNumber}`).expect(200);
      expect(res.body).toMatchObject({
        status: 'revoked',
        revocationReason: 'The REGO was also claimed by the supplier.',
        evidenceSha256: secondSha,
      });
      await t.http
        .post(bodyApi(bodyA, `/certificates/${certificateNumber}/revoke`))
        .set(certA.auth)
        .send({ reason: 'again' })
        .expect(409);
      expect(
        (
          await t.http
            .get(orgApi(orgA, `/claims/${claimId}`))
            .set(orgA.auth)
            .expect(200)
        ).body.certificate.status,
      ).toBe('revoked');
    });

    it('keeps the whole story in the audit trail and the transition log: who, when, why', async () => {
      const transitions = (
        await t.http
          .get(orgApi(orgA, `/claims/${claimId}/transitions`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(transitions.map((x: { from: string; to: string }) => `${x.from}>${x.to}`)).toEqual([
        'draft>submitted',
        'submitted>in_review',
        'in_review>changes_requested',
        'changes_requested>submitted',
        'submitted>in_review',
        'in_review>approved',
        'approved>approved',
      ]);
      expect(transitions[2]).toMatchObject({
        actorUserId: certA.userId,
        actorKind: 'certifier',
        findings: [expect.objectContaining({ severity: 'minor' })],
      });
      expect(transitions[3]).toMatchObject({
        actorUserId: orgA.userId,
        actorKind: 'organization',
        reason: 'Redemption statement attached.',
        evidenceSha256: secondSha,
      });
      const events = (await t.http.get(orgApi(orgA, '/audit-events')).set(orgA.auth).expect(200)).body;
      const list = (Array.isArray(events) ? events : events.items) as {
        action: string;
        actorUserId: string;
        summary: Record<string, unknown>;
      }[];
      const actions = list.map((e) => e.action);
      for (const a of [
        'claim.created',
        'claim.submitted',
        'claim.in_review',
        'claim.changes_requested',
        'claim.resubmitted',
        'claim.approved',
        'certificate.revoked',
      ])
        expect(actions).toContain(a);
      expect(list.find((e) => e.action === 'claim.approved')).toMatchObject({
        actorUserId: certA.userId,
        summary: expect.objectContaining({ assuranceLevel: 'limited', certificateNumber }),
      });
      expect((await t.app.get(AuditService).verify(orgA.orgId)).ok).toBe(true);
    });
  });

  describe('emission reductions: figures, rejection, withdrawal and expiry', () => {
    it('matches the carbon module’s inventories of the period and of the base year', async () => {
      const res = await claims.draft(
        orgB,
        { type: 'emission_reduction', ...yearOf(Y - 1), certificationBodyId: bodyB },
        201,
      );
      const current = (
        await t.http
          .get(orgApi(orgB, `/inventory?from=${Y - 1}-01-01&to=${Y}-01-01`))
          .set(orgB.auth)
          .expect(200)
      ).body;
      const base = (
        await t.http
          .get(orgApi(orgB, `/inventory?from=${Y - 4}-01-01&to=${Y - 3}-01-01`))
          .set(orgB.auth)
          .expect(200)
      ).body;
      const total = (inv: { scope1KgCo2e: number; scope2MarketKgCo2e: number }) =>
        D(inv.scope1KgCo2e).plus(inv.scope2MarketKgCo2e);
      expect(res.body.figures).toMatchObject({
        scopes: [1, 2],
        scope2Method: 'market',
        baseYear: Y - 4,
        basePeriod: { from: `${Y - 4}-01-01`, to: `${Y - 3}-01-01` },
        current: {
          scope1KgCo2e: current.scope1KgCo2e,
          scope2KgCo2e: current.scope2MarketKgCo2e,
          totalKgCo2e: total(current).toNumber(),
        },
        base: {
          scope1KgCo2e: base.scope1KgCo2e,
          scope2KgCo2e: base.scope2MarketKgCo2e,
          totalKgCo2e: total(base).toNumber(),
        },
        reductionKgCo2e: total(base).minus(total(current)).toNumber(),
        reductionPct: total(base)
          .minus(total(current))
          .div(total(base))
          .times(100)
          .toDecimalPlaces(4, Decimal.ROUND_HALF_UP)
          .toNumber(),
        scope2LocationKgCo2e: current.scope2LocationKgCo2e,
      });
      expect(res.body.figures.reductionPct).toBeGreaterThan(0);
      expect(res.body.missing).toEqual([]);
      // with Scope 3 (T&D losses of the electricity) and the location-based figure
      const withS3 = await claims.draft(
        orgB,
        {
          type: 'emission_reduction',
          ...yearOf(Y - 1),
          certificationBodyId: bodyB,
          scopes: [1, 2, 3],
          scope2Method: 'location',
        },
        201,
      );
      expect(withS3.body.figures.current.totalKgCo2e).toBe(
        D(current.scope1KgCo2e).plus(current.scope2LocationKgCo2e).plus(current.scope3KgCo2e).toNumber(),
      );

      // no documents needed: submitted, reviewed and approved by body B with reasonable assurance
      await claims.submitAndReview(orgB, res.body.id, bodyB, certB);
      const ok = await claims.certifierMove(
        bodyB,
        certB,
        res.body.id,
        { to: 'approved', assuranceLevel: 'reasonable' },
        200,
      );
      expect(ok.body.certificate.status).toBe('valid');
      // body A's certifier cannot see body B's claims
      await t.http
        .get(bodyApi(bodyA, `/claims/${res.body.id}`))
        .set(certA.auth)
        .expect(404);
      expect(
        (await t.http.get(bodyApi(bodyA, '/claims')).set(certA.auth).expect(200)).body.map(
          (c: { id: string }) => c.id,
        ),
      ).not.toContain(res.body.id);
    });

    it('rejects with a statement, and lets the organisation withdraw before a decision', async () => {
      const c = (
        await claims.draft(
          orgB,
          { type: 'emission_reduction', ...yearOf(Y - 2), certificationBodyId: bodyB },
          201,
        )
      ).body;
      await claims.submitAndReview(orgB, c.id, bodyB, certB);
      await claims.certifierMove(bodyB, certB, c.id, { to: 'rejected' }, 400);
      const rejected = await claims.certifierMove(
        bodyB,
        certB,
        c.id,
        {
          to: 'rejected',
          statement: 'The gas volumes are estimated, not billed.',
          findings: [{ severity: 'major', text: 'No gas bills.' }],
        },
        200,
      );
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        decisionStatement: 'The gas volumes are estimated, not billed.',
      });
      expect(rejected.body.certificate).toBeUndefined();
      expect(
        (await t.http.get('/api/v1/me/notifications').set(orgB.auth).expect(200)).body.some(
          (n: { kind: string; claimId: string }) => n.kind === 'claim_decided' && n.claimId === c.id,
        ),
      ).toBe(true);

      const w = (
        await claims.draft(
          orgB,
          { type: 'emission_reduction', ...yearOf(Y - 2), certificationBodyId: bodyB },
          201,
        )
      ).body;
      await claims.orgMove(orgB, w.id, { to: 'submitted' }, 200);
      const withdrawn = await claims.orgMove(orgB, w.id, { to: 'withdrawn', reason: 'Wrong period.' }, 200);
      expect(withdrawn.body.status).toBe('withdrawn');
      await claims.certifierMove(bodyB, certB, w.id, { to: 'in_review' }, 409);
      // a draft never submitted is invisible to the body
      const draft = (
        await claims.draft(
          orgB,
          { type: 'emission_reduction', ...yearOf(Y - 2), certificationBodyId: bodyB },
          201,
        )
      ).body;
      await t.http
        .get(bodyApi(bodyB, `/claims/${draft.id}`))
        .set(certB.auth)
        .expect(404);
    });

    it('shows a certificate whose validity has passed as expired', async () => {
      const c = (
        await claims.draft(
          orgB,
          { type: 'emission_reduction', ...yearOf(Y - 3), certificationBodyId: bodyB },
          201,
        )
      ).body;
      await claims.submitAndReview(orgB, c.id, bodyB, certB);
      const ok = (
        await claims.certifierMove(bodyB, certB, c.id, { to: 'approved', assuranceLevel: 'limited' }, 200)
      ).body;
      const v = (await t.http.get(`/api/v1/verify/${ok.certificate.number}`).expect(200)).body;
      expect(v).toMatchObject({
        status: 'expired',
        validUntil: `${Y - 2}-12-31`,
        periodFrom: `${Y - 3}-01-01`,
        evidenceSha256: ok.evidenceSha256,
      });
    });
  });

  describe('verified savings from measures verified in the recommendations module', () => {
    // A New York dormitory (BDG1 UnivDorm_Prince, 2015, with temperature) whose second half uses 10 % less:
    // a measure implemented on 1 July is measured and verified through the recommendations API.
    const implementedOn = '2015-07-01';
    let orgC: SignedUp;
    let recId: string;
    let mv: {
      baselineFrom: string;
      baselineTo: string;
      reportingFrom: string;
      reportingTo: string;
      baselineCvRmse: number;
      baselineNmbe: number;
      fractionalSavingsUncertainty: number;
      meetsGuideline14: boolean;
      verifiedSavingKwh: number;
      counterfactualSeries: { ts: string; counterfactualKwh: number; actualKwh: number }[];
    };
    let factor: number;

    beforeAll(async () => {
      orgC = await signup(t, 'cert-org-c', { country: 'US', timezone: 'America/New_York' });
      const api = (path: string) => orgApi(orgC, path);
      const site = (await t.http.post(api('/sites')).set(orgC.auth).send(DORM_SITE).expect(201)).body
        .id as string;
      const meterId = (
        await t.http
          .post(api('/meters'))
          .set(orgC.auth)
          .send({
            siteId: site,
            name: 'Dorm electricity',
            kind: 'electricity_import',
            unit: 'kWh',
            intervalMinutes: 60,
          })
          .expect(201)
      ).body.id as string;
      const { energyCsv, weatherCsv } = dormFiles(implementedOn);
      const upload = async (path: string, name: string, content: string) => {
        const res = await t.http
          .post(api(path))
          .set(orgC.auth)
          .attach('file', Buffer.from(content), name)
          .expect(202);
        const report = await waitFor(t, api(`/imports/${res.body.importId}`), orgC.auth, 120_000);
        expect(report.status).toBe('succeeded');
      };
      await upload(`/meters/${meterId}/imports`, 'dorm.csv', energyCsv);
      await upload(`/sites/${site}/weather`, 'dorm-weather.csv', weatherCsv);
      const analysis = await t.http
        .post(api(`/sites/${site}/analyses`))
        .set(orgC.auth)
        .expect(202);
      expect((await waitFor(t, api(`/jobs/${analysis.body.jobId}`), orgC.auth, 120_000)).status).toBe(
        'succeeded',
      );
      const recs = (
        await t.http
          .get(api(`/recommendations?siteId=${site}`))
          .set(orgC.auth)
          .expect(200)
      ).body as {
        id: string;
        type: string;
      }[];
      const saving = recs.filter((r) => !['peak_demand', 'tariff', 'load_shifting'].includes(r.type));
      expect(saving.map((r) => r.type)).not.toEqual([]);
      recId = saving[0].id;
      for (const body of [{ to: 'accepted' }, { to: 'implemented', implementedOn }])
        await t.http
          .post(api(`/recommendations/${recId}/transitions`))
          .set(orgC.auth)
          .send(body)
          .expect(200);
      const first = await t.http.get(api(`/recommendations/${recId}/verification`)).set(orgC.auth);
      if (first.status === 202)
        expect((await waitFor(t, api(`/jobs/${first.body.jobId}`), orgC.auth, 120_000)).status).toBe(
          'succeeded',
        );
      else expect(first.status).toBe(200);
      mv = (
        await t.http
          .get(api(`/recommendations/${recId}/verification`))
          .set(orgC.auth)
          .expect(200)
      ).body;
      expect(mv.meetsGuideline14).toBe(true);
      const verified = await t.http
        .post(api(`/recommendations/${recId}/transitions`))
        .set(orgC.auth)
        .send({ to: 'verified' })
        .expect(200);
      expect(verified.body.status).toBe('verified');
      factor = (
        await t.http
          .get(api(`/recommendations/${recId}`))
          .set(orgC.auth)
          .expect(200)
      ).body.basis.emissionFactor.kgCo2ePerKwh;
    }, 300_000);

    it('takes the figures from the M&V report (entered savings are ignored) and locks the report at submission', async () => {
      const res = await claims.draft(
        orgC,
        {
          type: 'verified_savings',
          periodFrom: '2015-01-01',
          periodTo: '2016-01-01',
          certificationBodyId: bodyA,
          savings: [{ measure: 'typed in by hand', savedKwh: '999999' }],
        },
        201,
      );
      const claimId = res.body.id as string;
      // The reporting period (1 July to the end of the data) lies inside the claim: the whole report counts.
      expect(res.body.figures).toMatchObject({
        source: 'recommendations_mv',
        mvReportCount: 1,
        ignoredEnteredSavings: 1,
      });
      expect(res.body.figures.totalSavedKwh).toBeCloseTo(mv.verifiedSavingKwh, 3);
      expect(res.body.figures.totalSavedKgCo2e).toBeCloseTo(mv.verifiedSavingKwh * factor, 2);
      expect(res.body.figures.savings).toEqual([
        expect.objectContaining({
          recommendationId: recId,
          allocation: 'whole_report',
          kgCo2ePerKwh: factor,
          reportingFrom: mv.reportingFrom,
          reportingTo: mv.reportingTo,
          baselineCvRmse: mv.baselineCvRmse,
          baselineNmbe: mv.baselineNmbe,
          fractionalSavingsUncertainty: mv.fractionalSavingsUncertainty,
          meetsGuideline14: true,
        }),
      ]);
      expect(res.body.missing).toEqual([]);

      // No document is needed: the system's own M&V report is the evidence.
      const submitted = await claims.orgMove(orgC, claimId, { to: 'submitted' }, 200);
      expect(submitted.body.figures.totalSavedKwh).toBeCloseTo(mv.verifiedSavingKwh, 3);
      const detail = (
        await t.http
          .get(bodyApi(bodyA, `/claims/${claimId}`))
          .set(certA.auth)
          .expect(200)
      ).body;
      expect(detail.snapshot.mvReports).toEqual([
        expect.objectContaining({
          recommendationId: recId,
          baselineFrom: mv.baselineFrom,
          baselineTo: mv.baselineTo,
          reportingFrom: mv.reportingFrom,
          reportingTo: mv.reportingTo,
          baselineCvRmse: mv.baselineCvRmse,
          baselineNmbe: mv.baselineNmbe,
          fractionalSavingsUncertainty: mv.fractionalSavingsUncertainty,
          meetsGuideline14: true,
          verifiedSavingKwh: mv.verifiedSavingKwh,
        }),
      ]);
      expect(detail.snapshot.figures.totalSavedKwh).toBeCloseTo(mv.verifiedSavingKwh, 3);
      expect(detail.checklist.find((i: { key: string }) => i.key === 'mv_evidence').auto).toBe('pass');
      const check = (
        await t.http
          .get(orgApi(orgC, `/claims/${claimId}/verification`))
          .set(orgC.auth)
          .expect(200)
      ).body;
      expect(check.ok).toBe(true);
    });

    it('counts only the reporting days inside a shorter period (pro rata by the daily M&V series)', async () => {
      const res = await claims.draft(
        orgC,
        {
          type: 'verified_savings',
          periodFrom: '2015-10-01',
          periodTo: '2016-01-01',
          certificationBodyId: bodyA,
        },
        201,
      );
      const from = Date.parse('2015-10-01T04:00:00Z'); // midnight in New York (EDT)
      const expected = mv.counterfactualSeries
        .filter((d) => Date.parse(d.ts) >= from)
        .reduce((s, d) => s + d.counterfactualKwh - d.actualKwh, 0);
      expect(res.body.figures.savings[0]).toMatchObject({
        allocation: 'daily_series',
        overlapFrom: '2015-10-01T04:00:00.000Z',
      });
      expect(res.body.figures.totalSavedKwh).toBeCloseTo(expected, 2);
      expect(res.body.figures.totalSavedKwh).toBeLessThan(mv.verifiedSavingKwh);
      // A period before the measure has no M&V report and nothing entered: it says what is missing.
      const before = await claims.draft(
        orgC,
        {
          type: 'verified_savings',
          periodFrom: '2015-01-01',
          periodTo: '2015-07-01',
          certificationBodyId: bodyA,
        },
        201,
      );
      expect(before.body.figures.source).toBe('user_entered');
      expect(before.body.missing.map((m: { field: string }) => m.field)).toEqual(['savings']);
    });
  });

  describe('bad input', () => {
    it('refuses a body that does not accept the type, an unknown body, an empty period and fields of another type', async () => {
      const wrongBody = await claims.draft(
        orgA,
        { type: 'carbon_neutral', ...yearOf(Y - 1), certificationBodyId: bodyB },
        422,
      );
      expect(wrongBody.body.errors[0].field).toBe('certificationBodyId');
      await claims.draft(
        orgA,
        {
          type: 'renewable_share',
          ...yearOf(Y - 1),
          certificationBodyId: '00000000-0000-4000-8000-000000000000',
        },
        400,
      );
      await claims.draft(
        orgA,
        {
          type: 'renewable_share',
          periodFrom: `${Y}-01-01`,
          periodTo: `${Y - 1}-01-01`,
          certificationBodyId: bodyA,
        },
        400,
      );
      const wrongField = await claims.draft(
        orgA,
        { type: 'renewable_share', ...yearOf(Y - 1), certificationBodyId: bodyA, offsets: [] },
        400,
      );
      expect(wrongField.body.errors[0]).toMatchObject({ field: 'offsets' });
      await claims.draft(orgA, { type: 'green_vibes', ...yearOf(Y - 1), certificationBodyId: bodyA }, 400);
      await claims.draft(
        orgA,
        { type: 'emission_reduction', ...yearOf(Y - 1), certificationBodyId: bodyA, scopes: [1, 3] },
        400,
      );
    });

    it('names every missing piece of a carbon-neutral claim, then accepts it complete; offset serials cannot be claimed twice', async () => {
      // ISO 14068-1 inputs: the Scope 3 categories the inventory does not quantify screened at 0 (a
      // category the inventory quantifies, such as 3 for T&D losses, takes the inventory's figure), and
      // a plan whose trajectory (50 % by Y+6 from Y−4: 15 % in Y−1) B's reduction meets.
      const scope3Screening = Array.from({ length: 15 }, (_, i) => ({
        category: i + 1,
        kgCo2e: '0',
        basis: 'not relevant to this organisation',
      }));
      const managementPlan = {
        targets: [{ targetYear: Y + 6, reductionPct: '50' }],
        measures: [{ description: 'Boiler replacement', completeBy: `${Y - 2}-10-31` }],
      };
      const credit = (tonnes: string, retiredOn: string, beneficiary: string) => ({
        registry: 'verra',
        projectId: 'VCS 1234',
        projectName: 'Cookstoves',
        projectType: 'cookstoves',
        creditType: 'avoidance',
        standard: 'VCS v4.5, VMR0006',
        vintage: Y - 2,
        serialFrom: `VCU-${orgB.orgId}-1`,
        serialTo: `VCU-${orgB.orgId}-${tonnes}`,
        tonnesCo2e: tonnes,
        retiredOn,
        beneficiary,
      });
      const offsets = [credit('1', `${Y + 1}-06-01`, 'cert-org-b Ltd')];
      const c = (
        await claims.draft(
          orgB,
          { type: 'carbon_neutral', ...yearOf(Y - 1), certificationBodyId: bodyA, offsets },
          201,
        )
      ).body;
      const res = await claims.orgMove(orgB, c.id, { to: 'submitted' }, 422);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'scope3Screening',
          'managementPlan',
          'evidence.management_plan',
          'evidence.retirement_receipt',
          'offsets[0].retiredOn',
          'offsets',
        ]),
      );
      expect(res.body.errors.every((e: { rule?: string }) => e.rule?.startsWith('iso14068.'))).toBe(true);
      expect(res.body.detail).toMatch(/outside .* \(within 12 months of the period end\)/);
      expect(res.body.detail).toMatch(/cover 0 kg CO2e of the/);

      const residualT = D(c.figures.residualKgCo2e).div(1000).ceil().toString();
      const good = [credit(residualT, `${Y}-03-31`, 'cert-org-b Ltd')];
      await t.http
        .patch(orgApi(orgB, `/claims/${c.id}`))
        .set(orgB.auth)
        .send({ scope3Screening, managementPlan })
        .expect(200);
      await t.http
        .patch(orgApi(orgB, `/claims/${c.id}`))
        .set(orgB.auth)
        .send({ offsets: good })
        .expect(200);
      await claims.upload(orgB, c.id, 'management_plan', pdf('plan'), 'plan.pdf', 201);
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(64, 1),
      ]);
      await claims.upload(orgB, c.id, 'retirement_receipt', png, 'receipt.png', 201);
      const submitted = await claims.orgMove(orgB, c.id, { to: 'submitted' }, 200);
      expect(submitted.body.figures).toMatchObject({
        residualCovered: true,
        retirementDeadline: `${Y + 1}-01-01`,
      });

      // organisation A (with a base year of its own, so that only the serials stand in the way) claims the same serial
      await t.http
        .post(orgApi(orgA, '/activities'))
        .set(orgA.auth)
        .send({
          activity: 'electricity',
          quantity: '5000',
          unit: 'kWh',
          periodFrom: `${Y - 4}-01-01`,
          periodTo: `${Y - 3}-01-01`,
          dataQuality: 1,
        })
        .expect(201);
      const dup = (
        await claims.draft(
          orgA,
          {
            type: 'carbon_neutral',
            ...yearOf(Y - 1),
            certificationBodyId: bodyA,
            baseYear: Y - 4,
            scope3Screening,
            managementPlan,
            // The same credits, now said to be retired for A: the serial registry stands in the way.
            offsets: good.map((o) => ({ ...o, beneficiary: 'cert-org-a Ltd' })),
          },
          201,
        )
      ).body;
      expect(dup.missing.filter((m: { field: string }) => !m.field.startsWith('evidence.'))).toEqual([]);
      await claims.upload(orgA, dup.id, 'management_plan', pdf('plan A'), 'plan.pdf', 201);
      await claims.upload(orgA, dup.id, 'retirement_receipt', png, 'receipt.png', 201);
      await claims.upload(orgA, dup.id, 'certificate', pdf('rego'), 'rego.pdf', 201);
      const refused = await claims.orgMove(orgA, dup.id, { to: 'submitted' }, 409);
      expect(refused.body.detail).toBe(
        `Offset credits already claimed by another claim: ${Array.from(
          { length: Number(residualT) },
          (_, i) => `verra VCU-${orgB.orgId}-${i + 1}`,
        ).join(', ')}.`,
      );
      expect(
        (
          await t.http
            .get(orgApi(orgA, `/claims/${dup.id}`))
            .set(orgA.auth)
            .expect(200)
        ).body.status,
      ).toBe('draft');
      // withdrawing B's claim frees the serial
      await claims.orgMove(orgB, c.id, { to: 'withdrawn' }, 200);
      expect((await claims.orgMove(orgA, dup.id, { to: 'submitted' }, 200)).body.status).toBe('submitted');
    });

    it('answers 404 for an unknown claim or a malformed id', async () => {
      await t.http
        .get(orgApi(orgA, '/claims/00000000-0000-4000-8000-000000000000'))
        .set(orgA.auth)
        .expect(404);
      await t.http.get(orgApi(orgA, '/claims/nope')).set(orgA.auth).expect(404);
      await t.http.get(bodyApi(bodyA, '/claims/nope')).set(certA.auth).expect(404);
    });
  });

  describe('tampering outside the application is detected', () => {
    it('an altered evidence snapshot fails verification (and can no longer be certified)', async () => {
      const c = (
        await claims.draft(
          orgA,
          { type: 'renewable_share', ...yearOf(Y - 1), certificationBodyId: bodyA },
          201,
        )
      ).body;
      await claims.upload(orgA, c.id, 'certificate', pdf('REGO 2'), 'rego.pdf', 201);
      const s = (await claims.orgMove(orgA, c.id, { to: 'submitted' }, 200)).body;
      expect(
        (
          await t.http
            .get(orgApi(orgA, `/claims/${c.id}/verification`))
            .set(orgA.auth)
            .expect(200)
        ).body.ok,
      ).toBe(true);
      // as the table owner, behind the application's back: inflate the share in the stored snapshot
      await t.app
        .get(Db)
        .system((em) =>
          em.query(
            `UPDATE claims SET snapshot = jsonb_set(snapshot, '{figures,renewableSharePct}', '100') WHERE id = $1`,
            [c.id],
          ),
        );
      const check = (
        await t.http
          .get(orgApi(orgA, `/claims/${c.id}/verification`))
          .set(orgA.auth)
          .expect(200)
      ).body;
      expect(check).toMatchObject({ ok: false, snapshotIntact: false, storedSha256: s.evidenceSha256 });
      expect(check.recomputedSha256).not.toBe(s.evidenceSha256);
      expect(check.problems[0]).toMatch(/altered after submission/);
      const body = (
        await t.http
          .get(bodyApi(bodyA, `/claims/${c.id}/verification`))
          .set(certA.auth)
          .expect(200)
      ).body;
      expect(body.snapshotIntact).toBe(false);
      await claims.certifierMove(bodyA, certA, c.id, { to: 'in_review' }, 200);
      const refused = await claims.certifierMove(
        bodyA,
        certA,
        c.id,
        { to: 'approved', assuranceLevel: 'limited', checklist: { instrument_quality: true } },
        409,
      );
      expect(refused.body.detail).toMatch(/altered/);
    });

    it('an edited audit row breaks the organisation’s chain', async () => {
      expect(
        (
          await t.http
            .get(
              orgApi(
                orgB,
                `/claims/${(await t.http.get(orgApi(orgB, '/claims')).set(orgB.auth)).body[0].id}/verification`,
              ),
            )
            .set(orgB.auth)
            .expect(200)
        ).body.auditChain.ok,
      ).toBe(true);
      await t.app
        .get(Db)
        .system((em) =>
          em.query(
            `UPDATE audit_events SET summary = jsonb_set(summary, '{assuranceLevel}', '"reasonable"') WHERE tenant_id = $1 AND action = 'claim.approved'`,
            [orgB.orgId],
          ),
        );
      const claims = (await t.http.get(orgApi(orgB, '/claims')).set(orgB.auth).expect(200)).body;
      const check = (
        await t.http
          .get(orgApi(orgB, `/claims/${claims[0].id}/verification`))
          .set(orgB.auth)
          .expect(200)
      ).body;
      expect(check.auditChain.ok).toBe(false);
      expect(check.ok).toBe(false);
      expect((await t.app.get(AuditService).verify(orgB.orgId)).brokenAt?.reason).toBe(
        'content does not match its hash',
      );
    });
  });
});
