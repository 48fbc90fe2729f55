import { randomInt, randomUUID } from 'node:crypto';
import {
  ACCOUNT_LOCK_MS,
  ACCOUNT_LOCKOUT_THRESHOLD,
  AuthService,
  Db,
  LOCKOUT_MAX_MS,
  LOCKOUT_THRESHOLD,
  VERIFY_RATE_LIMIT_PER_MINUTE,
  pairKey,
} from '@halve/platform';
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
  const setCookies = (res: { headers: Record<string, unknown> }) =>
    ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  /** `name=value` of the Set-Cookie for `name`, for a Cookie header. */
  const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
    setCookies(res)
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];
  /** A Set-Cookie line's attributes, lower-cased names (flags true). */
  const attributes = (line: string) =>
    Object.fromEntries(
      line
        .split(';')
        .slice(1)
        .map((part) => {
          const [k, ...v] = part.trim().split('=');
          return [k.toLowerCase(), v.length ? v.join('=') : true];
        }),
    );
  const CSRF = { 'X-Halve-CSRF': '1' };

  describe('the portal refresh cookie (HttpOnly, Secure, SameSite=Strict, auth path) and its CSRF header', () => {
    it('a browser log-in gets the refresh token only in the cookie; an API client gets it in the body (and the cookie)', async () => {
      const browser = await login(owner.email, owner.password).set(CSRF).expect(200);
      expect(browser.body.refreshToken).toBeUndefined();
      expect(browser.body.accessToken).toEqual(expect.any(String));
      const line = setCookies(browser).find((c) => c.startsWith('halve_refresh='))!;
      // 30 days (HALVE_REFRESH_TOKEN_DAYS default) = 2 592 000 s; host-only (no Domain) by default.
      expect(attributes(line)).toEqual({
        'max-age': '2592000',
        path: '/api/v1/auth',
        expires: expect.any(String),
        httponly: true,
        secure: true,
        samesite: 'Strict',
      });
      const api = await login(owner.email, owner.password).expect(200);
      expect(api.body.refreshToken).toMatch(/^[0-9a-f-]{36}\./);
      expect(cookieOf(api, 'halve_refresh')).toBe(
        `halve_refresh=${encodeURIComponent(api.body.refreshToken)}`,
      );
      // Sign-up (the portal's) likewise.
      const signedUp = await t.http
        .post('/api/v1/auth/signup')
        .set(CSRF)
        .send({
          email: uniqueEmail('cookie-signup'),
          password: 'tangerine lighthouse orbit',
          name: 'Cookie',
          organizationName: 'Cookie Co',
          country: 'GB',
          timezone: 'Europe/London',
        })
        .expect(201);
      expect(signedUp.body.refreshToken).toBeUndefined();
      expect(cookieOf(signedUp, 'halve_refresh')).toMatch(/^halve_refresh=[0-9a-f-]{36}\./);
    });

    it('refresh with the cookie needs X-Halve-CSRF (403 without, nothing rotates); rotates the cookie; a spent cookie ends the session and is cleared', async () => {
      const first = await login(owner.email, owner.password).set(CSRF).expect(200);
      const cookie = cookieOf(first, 'halve_refresh')!;
      // What a cross-site form post would send: the cookie, no custom header.
      const forged = await t.http.post('/api/v1/auth/refresh').set('Cookie', cookie).send({}).expect(403);
      expect(forged.body.code).toBe('csrf_header_missing');
      expect(forged.body.detail).toMatch(/X-Halve-CSRF: 1/);
      // Nothing rotated: the same cookie, with the header, refreshes.
      const rotated = await t.http
        .post('/api/v1/auth/refresh')
        .set('Cookie', cookie)
        .set(CSRF)
        .send({})
        .expect(200);
      expect(rotated.body.refreshToken).toBeUndefined();
      await me(rotated.body.accessToken).expect(200);
      const next = cookieOf(rotated, 'halve_refresh')!;
      expect(next).not.toBe(cookie);
      // The rotated-away cookie again: reuse, the session ends, and the answer clears the cookie.
      const reuse = await t.http
        .post('/api/v1/auth/refresh')
        .set('Cookie', cookie)
        .set(CSRF)
        .send({})
        .expect(401);
      expect(reuse.body.detail).toMatch(/already used/);
      const cleared = setCookies(reuse).find((c) => c.startsWith('halve_refresh='))!;
      expect(cleared).toMatch(/^halve_refresh=;/);
      expect(new Date(String(attributes(cleared).expires)).getTime()).toBeLessThan(Date.now());
      await t.http.post('/api/v1/auth/refresh').set('Cookie', next).set(CSRF).send({}).expect(401);
      // Neither a body token nor a cookie: 401 naming both.
      const none = await t.http.post('/api/v1/auth/refresh').set(CSRF).send({}).expect(401);
      expect(none.body.detail).toMatch(/refreshToken.*halve_refresh/);
    });

    it('log-out with the cookie ends its session and clears the cookie; without the header it is refused', async () => {
      const session = await login(owner.email, owner.password).set(CSRF).expect(200);
      const cookie = cookieOf(session, 'halve_refresh')!;
      const bearer = { Authorization: `Bearer ${session.body.accessToken}` };
      const refused = await t.http
        .post('/api/v1/auth/logout')
        .set(bearer)
        .set('Cookie', cookie)
        .send({})
        .expect(403);
      expect(refused.body.code).toBe('csrf_header_missing');
      const out = await t.http
        .post('/api/v1/auth/logout')
        .set(bearer)
        .set('Cookie', cookie)
        .set(CSRF)
        .send({})
        .expect(204);
      expect(setCookies(out).find((c) => c.startsWith('halve_refresh='))).toMatch(
        /^halve_refresh=;.*Path=\/api\/v1\/auth/,
      );
      await t.http.post('/api/v1/auth/refresh').set('Cookie', cookie).set(CSRF).send({}).expect(401);
      await me(session.body.accessToken).expect(401);
    });

    it('auth routes take JSON only: a cross-site form (urlencoded, multipart, text/plain) cannot log a browser in or use its cookie (415)', async () => {
      const form = await t.http
        .post('/api/v1/auth/login')
        .type('form')
        .send({ email: owner.email, password: owner.password })
        .expect(415);
      expect(form.body.code).toBe('json_body_required');
      expect(form.body.detail).toMatch(/not application\/x-www-form-urlencoded/);
      expect(setCookies(form)).toEqual([]);
      const cookie = cookieOf(
        await login(owner.email, owner.password).set(CSRF).expect(200),
        'halve_refresh',
      )!;
      for (const type of ['text/plain', 'multipart/form-data; boundary=x'])
        await t.http
          .post('/api/v1/auth/refresh')
          .set('Cookie', cookie)
          .set(CSRF)
          .set('Content-Type', type)
          .send('')
          .expect(415);
      // The cookie is untouched by the refused requests: it still refreshes.
      await t.http.post('/api/v1/auth/refresh').set('Cookie', cookie).set(CSRF).send({}).expect(200);
    });

    it('answers carry a CSP without inline scripts or styles, and the 429s a standard Retry-After', async () => {
      const res = await t.http.get('/api/v1/health').expect(200);
      const csp = String(res.headers['content-security-policy']);
      const directives = Object.fromEntries(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values];
        }),
      );
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['script-src-attr']).toEqual(["'none'"]);
      expect(directives['style-src']).toEqual(["'self'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      // The Swagger UI page alone may use its two inline <style> blocks; its scripts stay 'self'.
      const docs = String((await t.http.get('/api/docs').expect(200)).headers['content-security-policy']);
      expect(docs).toMatch(/script-src 'self';/);
      expect(docs).toMatch(/style-src 'self' 'unsafe-inline'/);
      expect(docs).not.toMatch(/script-src[^;]*unsafe-inline/);
    });
  });

  it('spent refresh secrets older than the refresh-token lifetime are pruned; newer ones are kept', async () => {
    const session = (await login(owner.email, owner.password).expect(200)).body as Body;
    const sid = String(session.refreshToken).split('.')[0];
    await refresh(session.refreshToken).expect(200);
    const days = t.config.refreshTokenTtlDays;
    await system(
      `INSERT INTO spent_refresh_tokens (token_hash, session_id, spent_at) VALUES ($1, $2, now() - make_interval(days => $3))`,
      [`old-${randomUUID()}`, sid, days + 1],
    );
    const count = async () =>
      (
        await system<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM spent_refresh_tokens WHERE session_id = $1',
          [sid],
        )
      )[0].n;
    expect(await count()).toBe(2);
    expect(await t.app.get(AuthService).pruneSpentRefreshTokens()).toBeGreaterThanOrEqual(1);
    // The rotated-away secret of today stays (it still detects reuse); the old one is gone.
    expect(await count()).toBe(1);
    const reuse = await refresh(session.refreshToken).expect(401);
    expect(reuse.body.detail).toMatch(/already used/);
  });

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

  describe('lockout per (account, address) and per account, without a denial of service', () => {
    it(`${LOCKOUT_THRESHOLD} failures from one address lock that address out of the account (growing, bounded); the real user elsewhere still logs in`, async () => {
      const victim = await signup(t, 'victim');
      const attacker = nextAddress();
      const fail = async () => {
        for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
          await login(victim.email, 'wrong password, try again', attacker).expect(401);
      };
      await fail();
      // The attacker's address is locked, even with the right password.
      for (const password of [victim.password, 'wrong password, try again']) {
        const res = await login(victim.email, password, attacker).expect(429);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('account_locked');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(50);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      }
      // The real user, at another address, is not locked out (before: 429 for everyone).
      await login(victim.email, victim.password).expect(200);
      const pair = pairKey(victim.email, attacker);
      // The lock runs out (moved into the past instead of waiting a minute); the next lock lasts twice as long.
      const expire = () =>
        system(`UPDATE login_lockouts SET locked_until = now() - interval '1 second' WHERE email = $1`, [
          pair,
        ]);
      await expire();
      await fail();
      const second = await login(victim.email, victim.password, attacker).expect(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(110);
      expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(120);
      // However many locks came before, one lasts at most LOCKOUT_MAX_MS.
      await expire();
      await system('UPDATE login_lockouts SET lockouts = 40 WHERE email = $1', [pair]);
      await fail();
      const bounded = await login(victim.email, victim.password, attacker).expect(429);
      expect(Number(bounded.headers['retry-after'])).toBeGreaterThan(LOCKOUT_MAX_MS / 1000 - 10);
      expect(Number(bounded.headers['retry-after'])).toBeLessThanOrEqual(LOCKOUT_MAX_MS / 1000);
      // Once the lock is over the right password logs in from that address too, and that forgets its failures.
      await expire();
      await login(victim.email, victim.password, attacker).expect(200);
      expect(await system<unknown[]>('SELECT 1 FROM login_lockouts WHERE email = $1', [pair])).toEqual([]);
    });

    it(`${ACCOUNT_LOCKOUT_THRESHOLD} failures spread over addresses lock the account for ${ACCOUNT_LOCK_MS / 1000} s, except for a browser holding the account's device cookie`, async () => {
      const victim = await signup(t, 'spread');
      // The victim's browser logged in before: it holds a device cookie (HttpOnly, SameSite=Strict, auth path).
      const earlier = await login(victim.email, victim.password).expect(200);
      const device = cookieOf(earlier, 'halve_device');
      expect(device).toBeDefined();
      expect(attributes(setCookies(earlier).find((c) => c.startsWith('halve_device='))!)).toEqual(
        expect.objectContaining({ httponly: true, secure: true, samesite: 'Strict', path: '/api/v1/auth' }),
      );
      // A distributed guess: one failure from each of ACCOUNT_LOCKOUT_THRESHOLD addresses (no pair reaches its threshold).
      for (let i = 0; i < ACCOUNT_LOCKOUT_THRESHOLD; i++)
        await login(victim.email, 'wrong password, try again').expect(401);
      // The account is locked briefly for browsers without its device cookie, whatever the address or password.
      const locked = await login(victim.email, victim.password).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(ACCOUNT_LOCK_MS / 1000 - 10);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(ACCOUNT_LOCK_MS / 1000);
      // Another account's device cookie does not help (the cookie is bound to the account by an HMAC)...
      const other = cookieOf(await login(owner.email, owner.password).expect(200), 'halve_device');
      await login(victim.email, victim.password).set('Cookie', other!).expect(429);
      await login(victim.email, victim.password).set('Cookie', `${device!}x`).expect(429);
      // ...but the victim's own browser still logs in, from a new address too.
      await login(victim.email, victim.password).set('Cookie', device!).expect(200);
      // And that browser's wrong guesses are limited by its own (account, address) counter.
      const from = nextAddress();
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
        await login(victim.email, 'wrong password, try again', from).set('Cookie', device!).expect(401);
      await login(victim.email, victim.password, from).set('Cookie', device!).expect(429);
    });

    it('an unknown address locks the same way (a lock does not reveal whether an account exists)', async () => {
      const email = uniqueEmail('nobody');
      const from = nextAddress();
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
        await login(email, 'wrong password, try again', from).expect(401);
      const res = await login(email, 'wrong password, try again', from).expect(429);
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
      // The standard header (not @nestjs/throttler's `Retry-After-verify`): whole seconds within the minute.
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers['retry-after-verify']).toBeUndefined();
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
      const limited = await t.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('x'), password: 'not the password' })
        .expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers['retry-after-auth']).toBeUndefined();
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
