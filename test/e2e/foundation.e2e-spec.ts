import { Injectable, Module } from '@nestjs/common';
import { Db, JobContext, JobProcessor, JobsService, RequestContext } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail, waitFor } from '../support/harness';
import { acceptMailedInvitation, mailsTo, verifyEmail } from '../support/mail';
import { listRoutes } from '../support/routes';

@Injectable()
@JobProcessor('test-echo', { retry: 'none' })
class EchoJob {
  async handle(ctx: JobContext<{ value: string }>) {
    await ctx.progress(50);
    return { echo: ctx.payload.value, tenant: RequestContext.tenantId(), attempt: ctx.attempt };
  }
}

@Injectable()
@JobProcessor('test-fail', { retry: 'standard' })
class FailJob {
  async handle(ctx: JobContext) {
    throw new Error(`boom on attempt ${ctx.attempt}`);
  }
}

@Module({ providers: [EchoJob, FailJob] })
class TestJobsModule {}

const ADMIN_EMAIL = uniqueEmail('platform-admin');
const ADMIN_PASSWORD = 'admin password 123';

describe(`foundation (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;

  beforeAll(async () => {
    t = await startApp({
      extra: [TestJobsModule],
      env: { HALVE_ADMIN_EMAIL: ADMIN_EMAIL, HALVE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    a = await signup(t, 'alpha');
    b = await signup(t, 'bravo');
  });
  afterAll(() => t?.close());

  const countUsers = async () =>
    Number((await t.app.get(Db).system((em) => em.query('SELECT count(*)::int AS n FROM users')))[0].n);

  describe('authentication', () => {
    it('logs in, refreshes with rotation, and logs out', async () => {
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: a.email.toUpperCase(), password: a.password })
        .expect(200);
      expect(login.body).toEqual(
        expect.objectContaining({
          accessToken: expect.any(String),
          refreshToken: expect.any(String),
          tokenType: 'Bearer',
        }),
      );
      const refreshed = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
      // The old refresh token is spent: presenting it again ends the session.
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      await t.http
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${refreshed.body.accessToken}` })
        .expect(401);

      const again = await t.http
        .post('/api/v1/auth/login')
        .send({ email: a.email, password: a.password })
        .expect(200);
      const auth = { Authorization: `Bearer ${again.body.accessToken}` };
      const me = await t.http.get('/api/v1/me').set(auth).expect(200);
      expect(me.body.organizations).toEqual([expect.objectContaining({ id: a.orgId, role: 'owner' })]);
      await t.http.post('/api/v1/auth/logout').set(auth).send({}).expect(204);
      await t.http.get('/api/v1/me').set(auth).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: again.body.refreshToken }).expect(401);
    });

    it('refuses bad credentials with 401 and writes nothing', async () => {
      const before = await countUsers();
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: a.email, password: 'wrong password!' })
        .expect(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'whatever123' })
        .expect(401);
      await t.http.get('/api/v1/orgs').set({ Authorization: 'Bearer not-a-token' }).expect(401);
      await t.http.get('/api/v1/orgs').expect(401);
      expect(await countUsers()).toBe(before);
    });

    it('creates no second account with the same e-mail, without saying so (issue 15: no enumeration)', async () => {
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({
          email: a.email,
          password: 'another password',
          name: 'x',
          organizationName: 'x',
          country: 'GB',
          timezone: 'Europe/London',
        })
        .expect(201);
      // The address still names one account (a's); the answer's tokens belong to an unclaimed account that holds
      // only the organisation it created (see security-identity), not a's; the address's owner is told by e-mail.
      const holders = await t.app
        .get(Db)
        .system((em) => em.query('SELECT id FROM users WHERE lower(email) = $1', [a.email.toLowerCase()]));
      expect(holders).toEqual([{ id: a.userId }]);
      const orgs = await t.http
        .get('/api/v1/orgs')
        .set({ Authorization: `Bearer ${res.body.accessToken}` })
        .expect(200);
      expect(orgs.body.map((o: { id: string }) => o.id)).toEqual([res.body.organization.id]);
      expect(mailsTo(t, a.email).some((m) => m.subject.includes('tried to sign up'))).toBe(true);
    });

    it('stores passwords as Argon2id hashes only', async () => {
      const rows = await t.app
        .get(Db)
        .system((em) => em.query('SELECT password_hash FROM users WHERE id = $1', [a.userId]));
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(rows[0].password_hash).not.toContain(a.password);
    });
  });

  describe('bad input', () => {
    it('answers 400 problem+json naming unknown fields and wrong types, writing nothing', async () => {
      const before = await countUsers();
      const unknown = await t.http
        .post('/api/v1/auth/signup')
        .send({
          email: uniqueEmail('x'),
          password: 'long enough pw',
          name: 'X',
          organizationName: 'X',
          country: 'GB',
          timezone: 'Europe/London',
          isAdmin: true,
        })
        .expect(400);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unknown.body).toEqual(
        expect.objectContaining({
          status: 400,
          errors: [{ field: 'isAdmin', message: 'unknown field "isAdmin"' }],
        }),
      );
      const types = await t.http
        .post('/api/v1/auth/signup')
        .send({
          email: 'not-an-email',
          password: 12345,
          name: 'X',
          organizationName: 'X',
          country: 'Narnia',
          timezone: 'Mars/Base',
        })
        .expect(400);
      const fields = types.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'country', 'timezone']));
      expect(await countUsers()).toBe(before);
    });

    it('answers 400 for malformed JSON and 413 for an oversized body', async () => {
      const malformed = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": "a@b.c",')
        .expect(400);
      expect(malformed.body).toEqual(
        expect.objectContaining({
          code: 'malformed_json',
          errors: [expect.objectContaining({ field: 'body' })],
        }),
      );
      const huge = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(t.config.bodyLimitBytes + 10) }))
        .expect(413);
      expect(huge.body.code).toBe('payload_too_large');
    });

    it('treats a malformed id in the path as not found', async () => {
      await t.http.get('/api/v1/orgs/not-a-uuid').set(a.auth).expect(404);
    });
  });

  describe('tenancy', () => {
    it("answers 404 on every organisation route for another tenant's organisation", async () => {
      const routes = listRoutes(t.app).filter((r) => r.path.includes(':orgId'));
      expect(routes.length).toBeGreaterThan(10);
      for (const route of routes) {
        const path = route.path
          .replace(':orgId', a.orgId)
          .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.http[route.method.toLowerCase() as 'get'](path).set(b.auth).send({});
        expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 404,
        });
      }
    });

    it("cannot read, list, change or delete another tenant's objects", async () => {
      const key = await t.http
        .post(`/api/v1/orgs/${a.orgId}/api-keys`)
        .set(a.auth)
        .send({ name: 'gw', scopes: ['readings:read'] })
        .expect(201);
      const inv = await t.http
        .post(`/api/v1/orgs/${a.orgId}/invitations`)
        .set(a.auth)
        .send({ email: uniqueEmail('inv'), role: 'member' })
        .expect(201);
      // B addresses A's objects through B's own organisation: they do not exist there.
      await t.http.delete(`/api/v1/orgs/${b.orgId}/api-keys/${key.body.id}`).set(b.auth).expect(404);
      await t.http.delete(`/api/v1/orgs/${b.orgId}/invitations/${inv.body.id}`).set(b.auth).expect(404);
      await t.http
        .patch(`/api/v1/orgs/${b.orgId}/members/${a.userId}`)
        .set(b.auth)
        .send({ role: 'viewer' })
        .expect(404);
      await t.http.delete(`/api/v1/orgs/${b.orgId}/members/${a.userId}`).set(b.auth).expect(404);
      const keys = await t.http.get(`/api/v1/orgs/${b.orgId}/api-keys`).set(b.auth).expect(200);
      expect(keys.body.map((k: { id: string }) => k.id)).not.toContain(key.body.id);
      const members = await t.http.get(`/api/v1/orgs/${b.orgId}/members`).set(b.auth).expect(200);
      expect(members.body.map((m: { userId: string }) => m.userId)).toEqual([b.userId]);
      // A's key is untouched.
      const aKeys = await t.http.get(`/api/v1/orgs/${a.orgId}/api-keys`).set(a.auth).expect(200);
      expect(aKeys.body.find((k: { id: string }) => k.id === key.body.id).revokedAt).toBeNull();
    });

    it("row-level security: a raw query without a tenant filter in a request's transaction sees only that tenant", async () => {
      await t.http
        .post(`/api/v1/orgs/${b.orgId}/api-keys`)
        .set(b.auth)
        .send({ name: 'b-gw', scopes: ['readings:write'] })
        .expect(201);
      await t.http
        .post(`/api/v1/orgs/${a.orgId}/api-keys`)
        .set(a.auth)
        .send({ name: 'a-gw', scopes: ['readings:write'] })
        .expect(201);
      const db = t.app.get(Db);
      const asA = await RequestContext.run({ requestId: 'rls-test', tenantId: a.orgId }, () =>
        db.tenant((em) => em.query('SELECT DISTINCT tenant_id FROM api_keys')),
      );
      expect(asA).toEqual([{ tenant_id: a.orgId }]);
      const auditAsA = await RequestContext.run({ requestId: 'rls-test', tenantId: a.orgId }, () =>
        db.tenant((em) => em.query('SELECT DISTINCT tenant_id FROM audit_events')),
      );
      expect(auditAsA).toEqual([{ tenant_id: a.orgId }]);
      const orgsAsA = await RequestContext.run({ requestId: 'rls-test', tenantId: a.orgId }, () =>
        db.tenant((em) => em.query('SELECT id FROM organizations')),
      );
      expect(orgsAsA).toEqual([{ id: a.orgId }]);
      // Writing a row for another tenant is refused by the policy's WITH CHECK.
      await expect(
        RequestContext.run({ requestId: 'rls-test', tenantId: a.orgId }, () =>
          db.tenant((em) =>
            em.query(`INSERT INTO jobs (tenant_id, id, type, status) VALUES ($1, 'x', 'y', 'queued')`, [
              b.orgId,
            ]),
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      // The owner role (migrations, auth look-ups) sees both tenants.
      const all = await db.system((em) =>
        em.query('SELECT DISTINCT tenant_id FROM api_keys WHERE tenant_id = ANY($1)', [[a.orgId, b.orgId]]),
      );
      expect(all).toHaveLength(2);
    });
  });

  describe('invitations and roles', () => {
    it('invites a viewer who cannot write; a role change and a removal apply at once', async () => {
      const email = uniqueEmail('viewer');
      const inv = await t.http
        .post(`/api/v1/orgs/${a.orgId}/invitations`)
        .set(a.auth)
        .send({ email, role: 'viewer' })
        .expect(201);
      expect(inv.body).toEqual(
        expect.objectContaining({ email, role: 'viewer', status: 'pending', token: expect.any(String) }),
      );
      const joined = await t.http
        .post('/api/v1/auth/signup')
        .send({ email, password: 'viewer password', name: 'Vera Viewer', invitationToken: inv.body.token })
        .expect(201);
      // The invitation waits until the new account proves the address (issue 15); then it is accepted.
      expect(joined.body.organization).toBeNull();
      expect(joined.body.invitation).toEqual({
        status: 'awaiting_verification',
        organizationId: a.orgId,
        role: 'viewer',
      });
      const v = { Authorization: `Bearer ${joined.body.accessToken}` };
      await verifyEmail(t, email);
      await t.http.post('/api/v1/invitations/accept').set(v).send({ token: inv.body.token }).expect(200);
      const orgs = await t.http.get('/api/v1/orgs').set(v).expect(200);
      expect(orgs.body).toEqual([expect.objectContaining({ id: a.orgId, role: 'viewer' })]);
      await t.http.get(`/api/v1/orgs/${a.orgId}`).set(v).expect(200);
      const denied = await t.http
        .patch(`/api/v1/orgs/${a.orgId}`)
        .set(v)
        .send({ name: 'hijacked' })
        .expect(403);
      expect(denied.body.detail).toMatch(/viewer/);
      await t.http
        .post(`/api/v1/orgs/${a.orgId}/api-keys`)
        .set(v)
        .send({ name: 'k', scopes: ['readings:read'] })
        .expect(403);
      // The same token, a new role: effective at once.
      await t.http
        .patch(`/api/v1/orgs/${a.orgId}/members/${joined.body.user.id}`)
        .set(a.auth)
        .send({ role: 'admin' })
        .expect(200);
      await t.http.patch(`/api/v1/orgs/${a.orgId}`).set(v).send({ sector: 'Bakery' }).expect(200);
      // Removed: the organisation no longer exists for them.
      await t.http.delete(`/api/v1/orgs/${a.orgId}/members/${joined.body.user.id}`).set(a.auth).expect(204);
      await t.http.get(`/api/v1/orgs/${a.orgId}`).set(v).expect(404);
      // The invitation cannot be used twice.
      await t.http.post('/api/v1/invitations/accept').set(v).send({ token: inv.body.token }).expect(400);
    });

    it('lets an existing user of another organisation accept an invitation (a consultant with several organisations)', async () => {
      const inv = await t.http
        .post(`/api/v1/orgs/${a.orgId}/invitations`)
        .set(a.auth)
        .send({ email: b.email, role: 'energy_manager' })
        .expect(201);
      await verifyEmail(t, b.email);
      await t.http.post('/api/v1/invitations/accept').set(b.auth).send({ token: inv.body.token }).expect(200);
      const orgs = await t.http.get('/api/v1/orgs').set(b.auth).expect(200);
      expect(orgs.body.map((o: { id: string; role: string }) => [o.id, o.role]).sort()).toEqual(
        [
          [a.orgId, 'energy_manager'],
          [b.orgId, 'owner'],
        ].sort(),
      );
      await t.http.delete(`/api/v1/orgs/${a.orgId}/members/${b.userId}`).set(a.auth).expect(204);
    });

    it('keeps the last owner', async () => {
      const res = await t.http
        .patch(`/api/v1/orgs/${a.orgId}/members/${a.userId}`)
        .set(a.auth)
        .send({ role: 'admin' })
        .expect(409);
      expect(res.body.code).toBe('last_owner');
    });
  });

  describe('API keys', () => {
    it('work only for their own organisation and scope, and stop when revoked', async () => {
      const db = t.app.get(Db);
      const jobs = t.app.get(JobsService);
      const job = await RequestContext.run({ requestId: 'k', tenantId: a.orgId }, () =>
        jobs.enqueue('test-echo', { value: 'hi' }, { jobId: 'test-echo-key' }),
      );
      const created = await t.http
        .post(`/api/v1/orgs/${a.orgId}/api-keys`)
        .set(a.auth)
        .send({ name: 'reader', scopes: ['readings:read'] })
        .expect(201);
      expect(created.body.key).toMatch(/^hlv_[A-Za-z0-9]{12}_/);
      const stored = await db.system((em) =>
        em.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]),
      );
      expect(stored[0].key_hash).not.toContain(created.body.key);
      const key = { 'X-Api-Key': created.body.key };
      const got = await t.http.get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`).set(key).expect(200);
      expect(got.body.id).toBe(job.id);
      // Not its organisation: 404. A route outside its scope: 403 or 401.
      await t.http.get(`/api/v1/orgs/${b.orgId}/jobs/${job.id}`).set(key).expect(404);
      await t.http.get(`/api/v1/orgs/${a.orgId}/api-keys`).set(key).expect(401);
      const writer = await t.http
        .post(`/api/v1/orgs/${a.orgId}/api-keys`)
        .set(a.auth)
        .send({ name: 'writer', scopes: ['readings:write'] })
        .expect(201);
      await t.http
        .get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`)
        .set({ 'X-Api-Key': writer.body.key })
        .expect(403);
      // Listing never shows the key again.
      const list = await t.http.get(`/api/v1/orgs/${a.orgId}/api-keys`).set(a.auth).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);
      await t.http.delete(`/api/v1/orgs/${a.orgId}/api-keys/${created.body.id}`).set(a.auth).expect(204);
      await t.http.get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`).set(key).expect(401);
      await t.http
        .get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`)
        .set({ 'X-Api-Key': 'hlv_AAAAAAAAAAAA_' + 'x'.repeat(40) })
        .expect(401);
    });
  });

  describe('jobs', () => {
    it('runs a job through the interface and shows its status through the API', async () => {
      const jobs = t.app.get(JobsService);
      const job = await RequestContext.run({ requestId: 'j', tenantId: b.orgId }, () =>
        jobs.enqueue('test-echo', { value: 'hello' }, { jobId: 'test-echo-1' }),
      );
      expect(job.status === 'queued' || job.status === 'running' || job.status === 'succeeded').toBe(true);
      const done = await waitFor(t, `/api/v1/orgs/${b.orgId}/jobs/${job.id}`, b.auth);
      expect(done).toEqual(
        expect.objectContaining({
          id: 'test-echo-1',
          type: 'test-echo',
          status: 'succeeded',
          progress: 100,
          result: { echo: 'hello', tenant: b.orgId, attempt: 1 },
        }),
      );
      // The same id again is the same job, not a second run.
      const dup = await RequestContext.run({ requestId: 'j', tenantId: b.orgId }, () =>
        jobs.enqueue('test-echo', { value: 'other' }, { jobId: 'test-echo-1' }),
      );
      expect(dup.status).toBe('succeeded');
      expect(dup.result).toEqual({ echo: 'hello', tenant: b.orgId, attempt: 1 });
      // Another tenant cannot see it.
      await t.http.get(`/api/v1/orgs/${a.orgId}/jobs/${job.id}`).set(a.auth).expect(404);
    });

    it('retries a job that throws, then marks it failed with its error', async () => {
      const jobs = t.app.get(JobsService);
      const job = await RequestContext.run({ requestId: 'j', tenantId: b.orgId }, () =>
        jobs.enqueue('test-fail', {}, { jobId: 'test-fail-1' }),
      );
      const done = await waitFor(t, `/api/v1/orgs/${b.orgId}/jobs/${job.id}`, b.auth);
      expect(done).toEqual(
        expect.objectContaining({ status: 'failed', attempts: 3, error: 'boom on attempt 3' }),
      );
    });
  });

  describe('audit trail', () => {
    it('records auth and membership changes in a hash chain that verifies, and detects an edited row', async () => {
      const events = await t.http.get(`/api/v1/orgs/${a.orgId}/audit-events`).set(a.auth).expect(200);
      const actions = events.body.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'organization.created',
          'membership.created',
          'invitation.created',
          'invitation.accepted',
          'membership.role_changed',
          'membership.removed',
          'api_key.created',
          'api_key.revoked',
        ]),
      );
      const ok = await t.http
        .get(`/api/v1/orgs/${a.orgId}/audit-events/verification`)
        .set(a.auth)
        .expect(200);
      expect(ok.body).toEqual(expect.objectContaining({ ok: true }));
      expect(ok.body.count).toBe(events.body.length);
      // The application role cannot alter the trail ...
      const db = t.app.get(Db);
      await expect(
        RequestContext.run({ requestId: 'x', tenantId: a.orgId }, () =>
          db.tenant((em) => em.query(`UPDATE audit_events SET action = 'x'`)),
        ),
      ).rejects.toThrow(/permission denied/);
      // ... and an edit made outside the application (as the table owner) is detected.
      await db.system((em) =>
        em.query(
          `UPDATE audit_events SET summary = '{"after":{"role":"owner"}}' WHERE tenant_id = $1 AND action = 'membership.role_changed'`,
          [a.orgId],
        ),
      );
      const broken = await t.http
        .get(`/api/v1/orgs/${a.orgId}/audit-events/verification`)
        .set(a.auth)
        .expect(200);
      expect(broken.body.ok).toBe(false);
      expect(broken.body.brokenAt.reason).toMatch(/hash/);
    });
  });

  describe('platform', () => {
    it('reports health of the database and the queue', async () => {
      const res = await t.http.get('/api/v1/health').expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          status: 'ok',
          database: expect.objectContaining({ status: 'up', driver: serverMode().database }),
          queue: expect.objectContaining({ status: 'up', mode: serverMode().queue }),
        }),
      );
    });

    it('serves the OpenAPI document and sets security headers and a request id', async () => {
      const doc = await t.http.get('/api/docs/openapi.json').expect(200);
      expect(doc.body.paths['/api/v1/auth/signup']).toBeDefined();
      expect(doc.body.paths['/api/v1/orgs/{orgId}/api-keys']).toBeDefined();
      const res = await t.http.get('/api/v1/health').set('X-Request-Id', 'trace-123');
      expect(res.headers['x-request-id']).toBe('trace-123');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('creates the platform administrator from the environment; only they reach admin routes', async () => {
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(200);
      const admin = { Authorization: `Bearer ${login.body.accessToken}` };
      const body = await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(admin)
        .send({ name: 'Green Cert', claimTypes: ['renewable_share'] })
        .expect(201);
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(a.auth)
        .send({ name: 'Fake', claimTypes: ['renewable_share'] })
        .expect(403);
      const member = await t.http
        .post(`/api/v1/admin/certification-bodies/${body.body.id}/members`)
        .set(admin)
        .send({ email: a.email, role: 'certifier' })
        .expect(201);
      // Always an invitation, e-mailed; accepted by the verified account of the address (issue 15).
      expect(member.body.status).toBe('invited');
      await verifyEmail(t, a.email);
      await acceptMailedInvitation(t, a);
      const me = await t.http.get('/api/v1/me').set(a.auth).expect(200);
      expect(me.body.certificationBodies).toEqual([
        expect.objectContaining({ id: body.body.id, role: 'certifier' }),
      ]);
      const invited = await t.http
        .post(`/api/v1/admin/certification-bodies/${body.body.id}/members`)
        .set(admin)
        .send({ email: uniqueEmail('cert'), role: 'lead_certifier' })
        .expect(201);
      expect(invited.body.status).toBe('invited');
    });
  });
});
