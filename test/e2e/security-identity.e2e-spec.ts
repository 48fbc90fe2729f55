import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, LogMailer, signEmailToken } from '@halve/platform';
import { Body, SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail } from '../support/harness';
import { mailedToken, mailsTo, verifyEmail } from '../support/mail';

/**
 * Issue 15, verified identities: an address is proved by a token e-mailed to it before the account holds
 * anything it did not create itself; invitations (organisations, certification bodies) are accepted only
 * with their e-mailed token by a verified account of that address; password reset by e-mailed token ends
 * the sessions; sign-up and reset answer the same whether or not the address has an account.
 */
const ADMIN_EMAIL = uniqueEmail('identity-admin');
const ADMIN_PASSWORD = 'Platform-admin-Kq81-plover';
const PASSWORD = 'Granite-plover-Tq71-saltmarsh';
const NEW_PASSWORD = 'Heron-basalt-Wx42-estuary';

describe(`security: verified identities (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let business: SignedUp;
  let claimBodyId: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const signupAs = (email: string, extra: Record<string, unknown> = {}) =>
    t.http.post('/api/v1/auth/signup').send({
      email,
      password: PASSWORD,
      name: 'Some One',
      organizationName: 'Someone Trading Ltd',
      country: 'GB',
      timezone: 'Europe/London',
      ...extra,
    });
  const newBody = async (name: string) =>
    (
      await t.http
        .post('/api/v1/admin/certification-bodies')
        .set(admin)
        .send({ name: `${name} ${Date.now()}`, claimTypes: ['renewable_share', 'emission_reduction'] })
        .expect(201)
    ).body.id as string;
  const addCertifier = (bodyId: string, email: string) =>
    t.http
      .post(`/api/v1/admin/certification-bodies/${bodyId}/members`)
      .set(admin)
      .send({ email, role: 'lead_certifier' });
  const bodyOf = async (auth: Record<string, string>) =>
    (await t.http.get('/api/v1/me').set(auth).expect(200)).body as Body;
  const userRow = async (email: string) =>
    (
      await t.app
        .get(Db)
        .system((em) =>
          em.query('SELECT id, email_verified_at FROM users WHERE lower(email) = $1', [email.toLowerCase()]),
        )
    )[0] as { id: string; email_verified_at: Date | null } | undefined;

  beforeAll(async () => {
    t = await startApp({ env: { HALVE_ADMIN_EMAIL: ADMIN_EMAIL, HALVE_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    admin = bearer(login.body.accessToken);
    business = await signup(t, 'identity-business');
    claimBodyId = await newBody('Takeover Target Certification');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('certifier takeover (the HIGH finding)', () => {
    it('invited first: a stranger signing up with the address holds nothing; the owner of the mailbox takes the account back and joins', async () => {
      const address = uniqueEmail('lead.certifier');
      const invited = await addCertifier(claimBodyId, address).expect(201);
      expect(invited.body).toMatchObject({ status: 'invited', email: address });
      expect(invited.body.token).toBeUndefined();

      // The stranger signs up with the address and is at once… nothing but the owner of their own organisation.
      const stranger = await signupAs(address).expect(201);
      const sAuth = bearer(stranger.body.accessToken);
      expect(stranger.body.user.emailVerified).toBe(false);
      const me = await bodyOf(sAuth);
      expect(me.certificationBodies).toEqual([]);
      expect(me.organizations).toEqual([
        expect.objectContaining({ id: stranger.body.organization.id, role: 'owner' }),
      ]);
      await t.http.get(`/api/v1/certification-bodies/${claimBodyId}/claims`).set(sAuth).expect(404);
      // Their own organisation works (API clients keep working before verification).
      await t.http
        .post(`/api/v1/orgs/${stranger.body.organization.id}/sites`)
        .set(sAuth)
        .send({ name: 'Depot', country: 'GB', timezone: 'UTC' })
        .expect(201);

      // Even holding the invitation token (leaked), an unverified account cannot accept it.
      const invitationToken = mailedToken(t, address, '/invitations/accept');
      const refused = await t.http
        .post('/api/v1/invitations/accept')
        .set(sAuth)
        .send({ token: invitationToken })
        .expect(403);
      expect(refused.body.code).toBe('email_unverified');
      expect((await bodyOf(sAuth)).certificationBodies).toEqual([]);

      // The mailbox's owner resets the password (proving the address); the stranger's sessions end.
      await t.http.post('/api/v1/auth/password-reset').send({ email: address }).expect(202);
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: mailedToken(t, address, '/reset-password'), password: NEW_PASSWORD })
        .expect(204);
      await t.http.get('/api/v1/me').set(sAuth).expect(401);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: stranger.body.refreshToken })
        .expect(401);
      const owner = bearer(
        (await t.http.post('/api/v1/auth/login').send({ email: address, password: NEW_PASSWORD }).expect(200))
          .body.accessToken,
      );
      await t.http.post('/api/v1/invitations/accept').set(owner).send({ token: invitationToken }).expect(200);
      expect((await bodyOf(owner)).certificationBodies).toEqual([
        expect.objectContaining({ id: claimBodyId, role: 'lead_certifier' }),
      ]);
      await t.http.get(`/api/v1/certification-bodies/${claimBodyId}/claims`).set(owner).expect(200);
      // The token is spent.
      await t.http.post('/api/v1/invitations/accept').set(owner).send({ token: invitationToken }).expect(400);
    });

    it('signed up first: an unverified account at the address is invited, not made a member, and cannot accept', async () => {
      const bodyId = await newBody('Second Target Certification');
      const address = uniqueEmail('lead.certifier.first');
      const stranger = await signupAs(address).expect(201);
      const sAuth = bearer(stranger.body.accessToken);
      const added = await addCertifier(bodyId, address).expect(201);
      expect(added.body.status).toBe('invited');
      expect((await bodyOf(sAuth)).certificationBodies).toEqual([]);
      await t.http.get(`/api/v1/certification-bodies/${bodyId}/claims`).set(sAuth).expect(404);
      const rows = await t.app
        .get(Db)
        .system((em) => em.query('SELECT 1 FROM certification_body_members WHERE body_id = $1', [bodyId]));
      expect(rows).toHaveLength(0);
      const token = mailedToken(t, address, '/invitations/accept');
      expect(
        (await t.http.post('/api/v1/invitations/accept').set(sAuth).send({ token }).expect(403)).body.code,
      ).toBe('email_unverified');
      // A guessed token is no token.
      await t.http
        .post('/api/v1/invitations/accept')
        .set(sAuth)
        .send({ token: `${token.slice(0, -2)}xx` })
        .expect(400);
    });
  });

  describe('invitations: only through the e-mailed token, by a verified account of that address', () => {
    it('a certification-body invitation: refused for another verified address, accepted by the verified address', async () => {
      const bodyId = await newBody('Invited Body');
      const certifier = await signup(t, 'real-certifier');
      const other = await signup(t, 'other-verified');
      await verifyEmail(t, other.email);
      await addCertifier(bodyId, certifier.email).expect(201);
      const token = mailedToken(t, certifier.email, '/invitations/accept');
      // Another (verified) address with the token: refused, names the address it was sent to.
      const wrong = await t.http
        .post('/api/v1/invitations/accept')
        .set(other.auth)
        .send({ token })
        .expect(400);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'token' })]);
      // The address itself, before verification: refused; after: accepted.
      await t.http.post('/api/v1/invitations/accept').set(certifier.auth).send({ token }).expect(403);
      await verifyEmail(t, certifier.email);
      const ok = await t.http
        .post('/api/v1/invitations/accept')
        .set(certifier.auth)
        .send({ token })
        .expect(200);
      expect(ok.body).toEqual({ kind: 'certification_body', bodyId, role: 'lead_certifier' });
      await t.http.get(`/api/v1/certification-bodies/${bodyId}/claims`).set(certifier.auth).expect(200);
      // Adding them again: already a member.
      expect((await addCertifier(bodyId, certifier.email).expect(409)).body.code).toBe('already_member');
    });

    it('an organisation invitation: a sign-up with its token holds no role until the address is verified and the token presented', async () => {
      const email = uniqueEmail('invitee');
      const inv = await t.http
        .post(`/api/v1/orgs/${business.orgId}/invitations`)
        .set(business.auth)
        .send({ email, role: 'admin' })
        .expect(201);
      const joined = await t.http
        .post('/api/v1/auth/signup')
        .send({ email, password: PASSWORD, name: 'Ivy Invitee', invitationToken: inv.body.token })
        .expect(201);
      expect(joined.body.organization).toBeNull();
      expect(joined.body.role).toBeNull();
      expect(joined.body.invitation).toEqual({
        status: 'awaiting_verification',
        organizationId: business.orgId,
        role: 'admin',
      });
      const auth = bearer(joined.body.accessToken);
      await t.http.get(`/api/v1/orgs/${business.orgId}`).set(auth).expect(404);
      expect((await t.http.get('/api/v1/orgs').set(auth).expect(200)).body).toEqual([]);
      expect(
        (
          await t.http
            .post('/api/v1/invitations/accept')
            .set(auth)
            .send({ token: inv.body.token })
            .expect(403)
        ).body.code,
      ).toBe('email_unverified');
      await verifyEmail(t, email);
      await t.http.post('/api/v1/invitations/accept').set(auth).send({ token: inv.body.token }).expect(200);
      expect((await t.http.get(`/api/v1/orgs/${business.orgId}`).set(auth).expect(200)).body.role).toBe(
        'admin',
      );
    });

    it('a sign-up with an invitation token for another address is refused and creates nothing', async () => {
      const inv = await t.http
        .post(`/api/v1/orgs/${business.orgId}/invitations`)
        .set(business.auth)
        .send({ email: uniqueEmail('intended'), role: 'viewer' })
        .expect(201);
      const intruder = uniqueEmail('intruder');
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({ email: intruder, password: PASSWORD, name: 'x', invitationToken: inv.body.token })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'invitationToken' })]);
      expect(await userRow(intruder)).toBeUndefined();
    });
  });

  describe('e-mail verification tokens', () => {
    it('verify once; a second use, a tampered, an expired or a wrong-purpose token is refused', async () => {
      const who = await signup(t, 'verify-once');
      const token = mailedToken(t, who.email, '/verify-email');
      expect((await bodyOf(who.auth)).emailVerified).toBe(false);
      const [payload, mac] = token.split('.');
      const tampered = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace(who.userId, business.userId)).toString('base64url')}.${mac}`;
      await t.http.post('/api/v1/auth/verify-email').send({ token: tampered }).expect(400);
      const row = await userRow(who.email);
      const expired = signEmailToken(t.config.jwtSecret, {
        p: 'verify_email',
        u: who.userId,
        e: who.email.toLowerCase(),
        x: Math.floor(Date.now() / 1000) - 1,
        s: 'unverified',
      });
      const gone = await t.http.post('/api/v1/auth/verify-email').send({ token: expired }).expect(400);
      expect(gone.body.errors[0].message).toMatch(/expired/);
      expect(row?.email_verified_at).toBeNull();
      await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(200);
      expect((await bodyOf(who.auth)).emailVerified).toBe(true);
      await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(400);
      // A verification token is not a reset token.
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD })
        .expect(400);
    });
  });

  describe('password reset', () => {
    it('answers the same for an unknown address and sends nothing', async () => {
      const unknown = uniqueEmail('nobody');
      const known = await signup(t, 'reset-known');
      const a = await t.http.post('/api/v1/auth/password-reset').send({ email: unknown }).expect(202);
      const b = await t.http.post('/api/v1/auth/password-reset').send({ email: known.email }).expect(202);
      expect(a.body).toEqual(b.body);
      expect(mailsTo(t, unknown)).toEqual([]);
      expect(mailsTo(t, known.email).some((m) => m.text.includes('/reset-password?token='))).toBe(true);
    });

    it('sets the password once with the token, ends every session, and refuses the token again and when expired', async () => {
      const who = await signup(t, 'reset-me');
      const second = await t.http
        .post('/api/v1/auth/login')
        .send({ email: who.email, password: who.password })
        .expect(200);
      await t.http.post('/api/v1/auth/password-reset').send({ email: who.email }).expect(202);
      const token = mailedToken(t, who.email, '/reset-password');
      const expired = signEmailToken(t.config.jwtSecret, {
        p: 'password_reset',
        u: who.userId,
        e: who.email.toLowerCase(),
        x: Math.floor(Date.now() / 1000) - 1,
        s: JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).s,
      });
      expect(
        (
          await t.http
            .post('/api/v1/auth/password-reset/confirm')
            .send({ token: expired, password: NEW_PASSWORD })
            .expect(400)
        ).body.errors[0].message,
      ).toMatch(/expired/);
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD })
        .expect(204);
      // Every session ended: both access tokens and both refresh tokens.
      await t.http.get('/api/v1/me').set(who.auth).expect(401);
      await t.http.get('/api/v1/me').set(bearer(second.body.accessToken)).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: who.refreshToken }).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
      await t.http.post('/api/v1/auth/login').send({ email: who.email, password: who.password }).expect(401);
      const again = await t.http
        .post('/api/v1/auth/login')
        .send({ email: who.email, password: NEW_PASSWORD })
        .expect(200);
      // The token proved the address; used once, it is spent.
      expect((await bodyOf(bearer(again.body.accessToken))).emailVerified).toBe(true);
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, password: 'Another-Zq93-kestrel-fen' })
        .expect(400);
      await t.http.post('/api/v1/auth/login').send({ email: who.email, password: NEW_PASSWORD }).expect(200);
    });
  });

  describe('the development mailer', () => {
    it('appends each message to <data dir>/mail/outbox.jsonl, which another process (the browser journeys) reads', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'halve-outbox-'));
      try {
        const mailer = new LogMailer({ ...t.config, dataDir });
        await mailer.send({
          to: 'ada@example.com',
          subject: 'one',
          text: 'https://x/verify-email?token=abc.def',
        });
        await mailer.send({ to: 'bob@example.com', subject: 'two', text: 'second' });
        const lines = readFileSync(join(dataDir, 'mail', 'outbox.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines).toEqual([
          expect.objectContaining({
            to: 'ada@example.com',
            subject: 'one',
            text: 'https://x/verify-email?token=abc.def',
          }),
          expect.objectContaining({ to: 'bob@example.com', subject: 'two' }),
        ]);
        expect(new LogMailer({ ...t.config, dataDir: 'memory://' }).outboxFile).toBeNull();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('no enumeration on sign-up', () => {
    const shape = (value: unknown): unknown =>
      value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, v]) => [k, shape(v)]),
          )
        : typeof value;

    it('an address with an account gets the same answer as a new one, and its tokens behave the same on first use; the account is untouched and its owner told', async () => {
      const existing = await signup(t, 'enum-existing');
      const freshEmail = uniqueEmail('enum-fresh');
      const verificationMails = (email: string) =>
        mailsTo(t, email).filter((m) => m.text.includes('/verify-email?token=')).length;
      const mailsBefore = verificationMails(existing.email);
      const fresh = await signupAs(freshEmail).expect(201);
      const taken = await signupAs(existing.email).expect(201);
      expect(shape(taken.body)).toEqual(shape(fresh.body));
      expect(taken.body.user).toEqual({
        id: expect.any(String),
        email: existing.email.toLowerCase(),
        name: 'Some One',
        isPlatformAdmin: false,
        emailVerified: false,
      });
      expect(taken.body.user.id).not.toBe(existing.userId);
      // First use of each answer's tokens: the same statuses and the same kind of content (before, the taken
      // address's tokens answered 401 at once).
      for (const [answer, address] of [
        [fresh.body, freshEmail],
        [taken.body, existing.email],
      ] as [Body, string][]) {
        const auth = bearer(answer.accessToken);
        const me = (await t.http.get('/api/v1/me').set(auth).expect(200)).body as Body;
        expect(me).toEqual(
          expect.objectContaining({
            id: answer.user.id,
            email: address.toLowerCase(),
            emailVerified: false,
            organizations: [{ id: answer.organization.id, name: 'Someone Trading Ltd', role: 'owner' }],
            certificationBodies: [],
          }),
        );
        const members = await t.http
          .get(`/api/v1/orgs/${answer.organization.id}/members`)
          .set(auth)
          .expect(200);
        expect(members.body).toEqual([
          expect.objectContaining({ userId: answer.user.id, email: address.toLowerCase(), role: 'owner' }),
        ]);
        const resend = await t.http.post('/api/v1/auth/verify-email/resend').set(auth).expect(202);
        expect(resend.body).toEqual({ status: 'sent' });
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: answer.refreshToken }).expect(200);
      }
      // The address still names the one real account, whose password still works and whose owner is told;
      // no verification link went to the owner for the other sign-up (nor for its resend).
      expect((await userRow(existing.email))?.id).toBe(existing.userId);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: existing.email, password: existing.password })
        .expect(200);
      expect(mailsTo(t, existing.email).filter((m) => m.subject.includes('tried to sign up'))).toHaveLength(
        1,
      );
      expect(verificationMails(existing.email)).toBe(mailsBefore);
      // The documented residual: logging in again with the sign-up's password tells the two apart.
      await t.http.post('/api/v1/auth/login').send({ email: freshEmail, password: PASSWORD }).expect(200);
      await t.http.post('/api/v1/auth/login').send({ email: existing.email, password: PASSWORD }).expect(401);
      // A bad invitation token is refused the same way whether or not the address has an account.
      const bad = { password: PASSWORD, name: 'x', invitationToken: 'not-a-token' };
      const r1 = await t.http
        .post('/api/v1/auth/signup')
        .send({ email: existing.email, ...bad })
        .expect(400);
      const r2 = await t.http
        .post('/api/v1/auth/signup')
        .send({ email: uniqueEmail('enum-new'), ...bad })
        .expect(400);
      expect(r1.body.detail).toBe(r2.body.detail);
    });
  });
});
