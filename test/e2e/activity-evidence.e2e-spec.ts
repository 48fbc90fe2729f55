import { createHash, randomUUID } from 'node:crypto';
import { Db } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail } from '../support/harness';
import { acceptMailedInvitation, verifyEmail } from '../support/mail';

/**
 * Invoices and receipts behind footprint data (issue 18 item 1): attached to an activity (type judged by
 * the bytes, SHA-256 kept, size under HALVE_EVIDENCE_LIMIT), listed with it, downloaded by the
 * organisation, refused for another organisation's activity, and visible to the certifier of a claim
 * submitted for a period the activity overlaps (and not for a claim of another period).
 */
const ADMIN_EMAIL = uniqueEmail('evidence-admin');
const ADMIN_PASSWORD = 'admin password 123';
const LIMIT = 32 * 1024;
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n% fuel receipt 42\n'),
  Buffer.alloc(200, 0x20),
  Buffer.from('%%EOF\n'),
]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
type Parser = Parameters<ReturnType<TestApp['http']['get']>['parse']>[0];
/** Collects a binary response body. */
const binary: Parser = (res, cb) => {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

describe(`activity evidence (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let o: SignedUp;
  let other: SignedUp;
  let certifier: SignedUp;
  let bodyId: string;
  let activityId: string;
  const api = (org: SignedUp, path: string) => `/api/v1/orgs/${org.orgId}/activities${path}`;

  beforeAll(async () => {
    t = await startApp({
      env: {
        HALVE_ADMIN_EMAIL: ADMIN_EMAIL,
        HALVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        HALVE_EVIDENCE_LIMIT: String(LIMIT),
      },
    });
    o = await signup(t, 'evidence-org');
    other = await signup(t, 'evidence-other');
    certifier = await signup(t, 'evidence-certifier');
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    const admin = { Authorization: `Bearer ${login.body.accessToken}` };
    bodyId = (
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(admin)
        .send({ name: `Receipts Assurance ${Date.now()}`, claimTypes: ['emission_reduction'] })
        .expect(201)
    ).body.id;
    await t.http
      .post(`/api/v1/admin/certification-bodies/${bodyId}/members`)
      .set(admin)
      .send({ email: certifier.email, role: 'certifier' })
      .expect(201);
    await verifyEmail(t, certifier.email);
    await acceptMailedInvitation(t, certifier);
    activityId = (
      await t.http
        .post(api(o, ''))
        .set(o.auth)
        .send({
          activity: 'diesel',
          quantity: '60',
          unit: 'litre',
          periodFrom: '2024-07-01',
          periodTo: '2024-07-02',
          dataQuality: 1,
        })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t?.close());

  it('attaches a PDF receipt: type by content, SHA-256 kept, listed with the activity, downloaded as uploaded', async () => {
    const res = await t.http
      .post(api(o, `/${activityId}/evidence`))
      .set(o.auth)
      .attach('file', PDF, { filename: 'receipt 42.pdf', contentType: 'application/octet-stream' })
      .expect(201);
    expect(res.body).toMatchObject({
      activityId,
      filename: 'receipt 42.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha(PDF),
    });
    const priced = (await t.http.get(api(o, '/priced')).set(o.auth).expect(200)).body as {
      id: string;
      evidence: { id: string; sha256: string }[];
    }[];
    expect(priced.find((a) => a.id === activityId)?.evidence).toEqual([
      expect.objectContaining({ id: res.body.id, sha256: sha(PDF) }),
    ]);
    const file = await t.http
      .get(api(o, `/${activityId}/evidence/${res.body.id}`))
      .set(o.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(sha(file.body as Buffer)).toBe(sha(PDF));
    const events = (await t.http.get(`/api/v1/orgs/${o.orgId}/audit-events?limit=50`).set(o.auth).expect(200))
      .body as { action: string; entityId: string; summary: { sha256?: string } }[];
    expect(
      events.find((e) => e.action === 'activity.evidence_added' && e.entityId === activityId)?.summary.sha256,
    ).toBe(sha(PDF));
  });

  it('refuses a file that is not PDF, PNG or JPEG by its bytes (whatever its name), and one over the limit', async () => {
    const wrong = await t.http
      .post(api(o, `/${activityId}/evidence`))
      .set(o.auth)
      .attach('file', Buffer.from('date,litres\n2024-07-01,60\n'), 'receipt.pdf')
      .expect(415);
    expect(wrong.body.detail).toMatch(
      /not PDF, PNG or JPEG \(judged by its bytes, not its name "receipt.pdf"\)/,
    );
    expect(wrong.body.errors).toEqual([{ field: 'file', message: 'must be PDF, PNG or JPEG' }]);
    await t.http
      .post(api(o, `/${activityId}/evidence`))
      .set(o.auth)
      .attach('file', Buffer.concat([PNG, Buffer.alloc(LIMIT)]), 'big.png')
      .expect(413);
    const missing = await t.http
      .post(api(o, `/${activityId}/evidence`))
      .set(o.auth)
      .expect(400);
    expect(missing.body.errors).toEqual([{ field: 'file', message: 'required' }]);
  });

  it("refuses another organisation's activity and evidence ids (404), upload and download alike", async () => {
    const mine = (
      await t.http
        .get(api(o, `/${activityId}/evidence`))
        .set(o.auth)
        .expect(200)
    ).body as {
      id: string;
    }[];
    await t.http
      .get(api(other, `/${activityId}/evidence`))
      .set(other.auth)
      .expect(404);
    await t.http
      .post(api(other, `/${activityId}/evidence`))
      .set(other.auth)
      .attach('file', PNG, 'x.png')
      .expect(404);
    await t.http
      .get(api(other, `/${activityId}/evidence/${mine[0].id}`))
      .set(other.auth)
      .expect(404);
    // o's own token on the other organisation's path: not a member, answered as not found
    await t.http.get(`/api/v1/orgs/${other.orgId}/activities/${activityId}/evidence`).set(o.auth).expect(404);
  });

  it('shows the receipts to the certifier of a claim submitted for a period the activity overlaps, and only then', async () => {
    // A submitted claim is written directly (its submission rules are certification's e2e): one for 2024
    // (covers the July receipt) and one for 2023 (does not).
    const db = t.app.get(Db);
    const claim = async (from: string, to: string) => {
      const id = randomUUID();
      await db.tenant(
        (em) =>
          em.query(
            `INSERT INTO claims (tenant_id, id, type, status, period_from, period_to, certification_body_id, submitted_at)
             VALUES ($1, $2, 'emission_reduction', 'submitted', $3, $4, $5, now())`,
            [o.orgId, id, from, to, bodyId],
          ),
        o.orgId,
      );
      return id;
    };
    const covering = await claim('2024-01-01', '2025-01-01');
    const earlier = await claim('2023-01-01', '2024-01-01');
    const url = (claimId: string, path = '') =>
      `/api/v1/certification-bodies/${bodyId}/claims/${claimId}/activity-evidence${path}`;
    const seen = (await t.http.get(url(covering)).set(certifier.auth).expect(200)).body as {
      id: string;
      sha256: string;
      activityId: string;
    }[];
    expect(seen).toEqual([expect.objectContaining({ activityId, sha256: sha(PDF) })]);
    const file = await t.http
      .get(url(covering, `/${seen[0].id}`))
      .set(certifier.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(sha(file.body as Buffer)).toBe(sha(PDF));
    expect((await t.http.get(url(earlier)).set(certifier.auth).expect(200)).body).toEqual([]);
    await t.http
      .get(url(earlier, `/${seen[0].id}`))
      .set(certifier.auth)
      .expect(404);
    // not a certifier of the body: answered as not found
    await t.http.get(url(covering)).set(other.auth).expect(404);
  });

  it('removes a receipt (audited); the list no longer has it', async () => {
    const [first] = (
      await t.http
        .get(api(o, `/${activityId}/evidence`))
        .set(o.auth)
        .expect(200)
    ).body as {
      id: string;
    }[];
    await t.http
      .delete(api(o, `/${activityId}/evidence/${first.id}`))
      .set(o.auth)
      .expect(204);
    expect(
      (
        await t.http
          .get(api(o, `/${activityId}/evidence`))
          .set(o.auth)
          .expect(200)
      ).body,
    ).toEqual([]);
    const events = (await t.http.get(`/api/v1/orgs/${o.orgId}/audit-events?limit=50`).set(o.auth).expect(200))
      .body as { action: string; entityId: string }[];
    expect(events.some((e) => e.action === 'activity.evidence_removed' && e.entityId === activityId)).toBe(
      true,
    );
  });
});
