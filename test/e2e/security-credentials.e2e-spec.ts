import { randomInt, randomUUID } from 'node:crypto';
import { Db, LOCKOUT_MAX_MS, LOCKOUT_THRESHOLD, VERIFY_RATE_LIMIT_PER_MINUTE } from '@halve/platform';
import { CERTIFICATE_NUMBER, CERTIFICATE_RANDOM_BITS, certificateNumber } from '@halve/certification';
import { Body, SignedUp, TestApp, serverMode, signup, startApp, uniqueEmail } from '../support/harness';

/**
 * Issue 15, item 2 (credentials): refresh tokens checked by their secret, the password policy, lockout per
 * account across addresses, whose X-Forwarded-For is believed, /verify throttled, certificate numbers.
 */
describe(`security: credentials (${serverMode().database}, ${serverMode().queue})`, () => {
  // X-Forwarded-For is believed from loopback only here, to play clients at many addresses.
  let t: TestApp;
  let owner: SignedUp;
  let address = 0;
  const nextAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    t = await startApp({ env: { HALVE_TRUSTED_PROXIES: 'loopback' } });
    owner = await signup(t, 'creds');
  });
  afterAll(() => t?.close());

  const refresh = (refreshToken: string) => t.http.post('/api/v1/auth/refresh').send({ refreshToken });
  const me = (accessToken: string) =>
    t.http.get('/api/v1/me').set({ Authorization: `Bearer ${accessToken}` });
  const login = (email: string, password: string, from = nextAddress()) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
  const system = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    t.app.get(Db).system((em) => em.query(sql, params));

  describe('refresh tokens', () => {
    it('a known session id with a wrong secret is refused and changes nothing; only a spent secret ends the session', async () => {
      const session = (await login(owner.email, owner.password).expect(200)).body as Body;
      const sid = String(session.refreshToken).split('.')[0];
      for (const forged of [`${sid}.anything`, `${sid}.${'A'.repeat(43)}`, `${sid}.`]) {
        const res = await refresh(forged).expect(401);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('unauthorized');
      }
      // Logging out with a forged token of one's own session is refused too.
      await t.http
        .post('/api/v1/auth/logout')
        .set({ Authorization: `Bearer ${session.accessToken}` })
        .send({ refreshToken: `${sid}.forged` })
        .expect(401);
      // The session is intact: its access token works and its real refresh token rotates.
      await me(session.accessToken).expect(200);
      const rotated = (await refresh(session.refreshToken).expect(200)).body as Body;
      await me(rotated.accessToken).expect(200);
      // A wrong secret again: still nothing happens.
      await refresh(`${sid}.anything`).expect(401);
      await me(rotated.accessToken).expect(200);
      // The spent (rotated-away) secret is reuse: the session ends, so the newest token no longer works.
      const reuse = await refresh(session.refreshToken).expect(401);
      expect(reuse.body.detail).toMatch(/already used/);
      await refresh(rotated.refreshToken).expect(401);
      await me(rotated.accessToken).expect(401);
    });
  });

  describe('password policy on sign-up', () => {
    const attempt = (
      password: string,
      email = uniqueEmail('pw'),
      organizationName = 'Quillfeather Analytics',
    ) =>
      t.http
        .post('/api/v1/auth/signup')
        .send({ email, password, name: 'P', organizationName, country: 'GB', timezone: 'Europe/London' });

    it.each([
      ['too short', 'Zq8!wr', /at least 10 characters/],
      ['in the common list', 'basketball', /most common passwords/],
      ['common with digits appended', 'sunshine2024!', /most common passwords/],
      ['repeated characters', 'aaaaaaaaaa', /common|trivial/],
      ['a run of digits', '1234567890', /common|trivial/],
      ['a run of letters', 'ghijklmnopqr', /trivial pattern/],
    ])(
      'refuses a password %s with 400 problem+json naming the field password',
      async (_rule, password, why) => {
        const res = await attempt(password).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('bad_input');
        const fields = (res.body.errors as { field: string; message: string }[]).filter(
          (e) => e.field === 'password',
        );
        expect(fields.length).toBeGreaterThan(0);
        expect(fields.map((f) => f.message).join(' ')).toMatch(why);
      },
    );

    it('refuses a password containing the e-mail, its local part or the organisation name', async () => {
      const email = uniqueEmail('marguerite');
      const local = email.split('@')[0];
      for (const password of [email, `${local.toUpperCase()}!x`, `My ${email} password`]) {
        const res = await attempt(password, email).expect(400);
        expect(res.body.errors).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ field: 'password', message: expect.stringMatching(/e-mail/) }),
          ]),
        );
      }
      const org = await attempt('quillfeather-analytics 77', uniqueEmail('o')).expect(400);
      expect(org.body.errors).toEqual([
        expect.objectContaining({ field: 'password', message: expect.stringMatching(/organisation/) }),
      ]);
      // A good password passes for the same address and organisation.
      await attempt('tangerine lighthouse orbit', email).expect(201);
    });
  });

  describe('lockout per account', () => {
    it(`locks an account after ${LOCKOUT_THRESHOLD} failures from different addresses, refuses even the right password, and grows the lock within a bound`, async () => {
      const victim = await signup(t, 'victim');
      const fail = async () => {
        for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
          await login(victim.email, 'wrong password, try again').expect(401);
      };
      await fail();
      // Locked now, whatever the address, and even with the right password.
      for (const password of [victim.password, 'wrong password, try again']) {
        const res = await login(victim.email, password).expect(429);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('account_locked');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(50);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      }
      // Another account is not affected.
      await login(owner.email, owner.password).expect(200);
      // The lock runs out (moved into the past instead of waiting a minute); the next lock lasts twice as long.
      const expire = () =>
        system(`UPDATE login_lockouts SET locked_until = now() - interval '1 second' WHERE email = $1`, [
          victim.email,
        ]);
      await expire();
      await fail();
      const second = await login(victim.email, victim.password).expect(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(110);
      expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(120);
      // However many locks came before, one lasts at most LOCKOUT_MAX_MS: nobody locks a user out for long cheaply.
      await expire();
      await system('UPDATE login_lockouts SET lockouts = 40 WHERE email = $1', [victim.email]);
      await fail();
      const bounded = await login(victim.email, victim.password).expect(429);
      expect(Number(bounded.headers['retry-after'])).toBeGreaterThan(LOCKOUT_MAX_MS / 1000 - 10);
      expect(Number(bounded.headers['retry-after'])).toBeLessThanOrEqual(LOCKOUT_MAX_MS / 1000);
      // Once the lock is over the right password logs in, and that forgets the failures.
      await expire();
      await login(victim.email, victim.password).expect(200);
      expect(
        await system<unknown[]>('SELECT 1 FROM login_lockouts WHERE email = $1', [victim.email]),
      ).toEqual([]);
    });

    it('an unknown address locks the same way (a lock does not reveal whether an account exists)', async () => {
      const email = uniqueEmail('nobody');
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await login(email, 'wrong password, try again').expect(401);
      const res = await login(email, 'wrong password, try again').expect(429);
      expect(res.body.code).toBe('account_locked');
    });
  });

  describe('/verify', () => {
    it('answers a valid old-format (6-character) certificate number, and numbers of the new format are 80-bit', async () => {
      const bodyId = randomUUID();
      // A number of the form issued before (6 characters, 30 bits), random so reruns on one database do not collide.
      const old = `HLV-2025-${Array.from({ length: 6 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[randomInt(32)]).join('')}`;
      await system(
        `INSERT INTO certification_bodies (id, name, claim_types) VALUES ($1, $2, ARRAY['renewable_share'])`,
        [bodyId, `Body ${bodyId}`],
      );
      await system(
        `INSERT INTO certificate_registry (number, body_id, body_name, claim_type, statement, period_from, period_to, assurance_level, issued_at, valid_until, evidence_sha256)
         VALUES ($1, $2, 'Old Body', 'renewable_share', 'An old certificate', '2024-01-01', '2024-12-31', 'limited', '2025-02-01T00:00:00Z', '2999-12-31', $3)`,
        [old, bodyId, 'a'.repeat(64)],
      );
      const res = await t.http.get(`/api/v1/verify/${old}`).set('X-Forwarded-For', nextAddress()).expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({ number: old, status: 'valid', statement: 'An old certificate' }),
      );

      expect(CERTIFICATE_RANDOM_BITS).toBeGreaterThanOrEqual(80);
      const issued = new Set<string>();
      for (let i = 0; i < 2000; i++) issued.add(certificateNumber(new Date('2026-06-01T00:00:00Z')));
      expect(issued.size).toBe(2000);
      for (const n of issued) expect(n).toMatch(/^HLV-2026-[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
      // Every position takes many values (not a counter or a constant).
      const perPosition = Array.from(
        { length: 16 },
        (_, p) => new Set([...issued].map((n) => n.slice(9).replace(/-/g, '')[p])).size,
      );
      expect(Math.min(...perPosition)).toBe(32);
      // A new-format number that was never issued is simply not found.
      const unknown = certificateNumber(new Date());
      expect(unknown).toMatch(CERTIFICATE_NUMBER);
      await t.http.get(`/api/v1/verify/${unknown}`).set('X-Forwarded-For', nextAddress()).expect(404);
    });

    it(`throttles guessing per address: ${VERIFY_RATE_LIMIT_PER_MINUTE} a minute, then 429`, async () => {
      const guesser = nextAddress();
      const statuses: number[] = [];
      for (let i = 0; i <= VERIFY_RATE_LIMIT_PER_MINUTE; i++) {
        const res = await t.http
          .get(`/api/v1/verify/${certificateNumber(new Date())}`)
          .set('X-Forwarded-For', guesser);
        statuses.push(res.status);
      }
      expect(statuses.slice(0, VERIFY_RATE_LIMIT_PER_MINUTE).every((s) => s === 404)).toBe(true);
      const limited = await t.http
        .get('/api/v1/verify/HLV-2026-ZZZZZZ')
        .set('X-Forwarded-For', guesser)
        .expect(429);
      expect(statuses[VERIFY_RATE_LIMIT_PER_MINUTE]).toBe(429);
      expect(limited.body.code).toBe('rate_limited');
      // Another address is not affected; nor are other public routes.
      await t.http.get('/api/v1/verify/HLV-2026-ZZZZZZ').set('X-Forwarded-For', nextAddress()).expect(404);
      await t.http.get('/api/v1/health').set('X-Forwarded-For', guesser).expect(200);
    });
  });
});

describe(`security: whose X-Forwarded-For is believed (${serverMode().database})`, () => {
  const attempts = async (t: TestApp, addresses: string[]) => {
    const statuses: number[] = [];
    for (const from of addresses) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', from)
        .send({ email: uniqueEmail('x'), password: 'not the password' });
      statuses.push(res.status);
    }
    return statuses;
  };

  it('without HALVE_TRUSTED_PROXIES a spoofed X-Forwarded-For does not reset the per-address login bucket', async () => {
    const t = await startApp({ env: { HALVE_AUTH_RATE_LIMIT: '3' } });
    try {
      expect(
        await attempts(t, ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5']),
      ).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('with the proxy trusted, each forwarded client address has its own bucket', async () => {
    const t = await startApp({
      env: { HALVE_AUTH_RATE_LIMIT: '3', HALVE_TRUSTED_PROXIES: '127.0.0.1/8, ::1' },
    });
    try {
      expect(
        await attempts(t, ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5']),
      ).toEqual([401, 401, 401, 401, 401]);
      expect(await attempts(t, ['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.9'])).toEqual([
        401, 401, 401, 429,
      ]);
    } finally {
      await t.close();
    }
  });
});
