import {
  EmailTokenClaims,
  emailTokenClaimsFor,
  emailTokenFits,
  emailTokenStamp,
  readEmailToken,
  signEmailToken,
} from './email-token';

const SECRET = 'unit-secret-that-is-long-enough-0123456789';
const claims = (over: Partial<EmailTokenClaims> = {}): EmailTokenClaims => ({
  p: 'verify_email',
  u: '7d3c7d8e-9f7e-4d43-9a53-0d6f1f1f6b2a',
  e: 'ada@example.com',
  x: Math.floor(Date.now() / 1000) + 60,
  s: 'unverified',
  ...over,
});

describe('e-mailed tokens', () => {
  it('reads back what it signed, for its purpose only', () => {
    const token = signEmailToken(SECRET, claims());
    expect(readEmailToken(SECRET, token, 'verify_email')).toEqual({
      ok: true,
      claims: claims({ x: expect.any(Number) }),
    });
    expect(readEmailToken(SECRET, token, 'password_reset')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses another key, an edited payload, a truncated MAC and garbage', () => {
    const token = signEmailToken(SECRET, claims());
    const [payload, mac] = token.split('.');
    const edited = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('ada@', 'eve@')).toString(
      'base64url',
    );
    expect(readEmailToken(`${SECRET}x`, token, 'verify_email').ok).toBe(false);
    expect(readEmailToken(SECRET, `${edited}.${mac}`, 'verify_email').ok).toBe(false);
    expect(readEmailToken(SECRET, `${payload}.${mac.slice(0, -4)}`, 'verify_email').ok).toBe(false);
    expect(readEmailToken(SECRET, `${token}.extra`, 'verify_email').ok).toBe(false);
    expect(readEmailToken(SECRET, 'not a token', 'verify_email').ok).toBe(false);
  });

  it('refuses an expired token as expired', () => {
    const token = signEmailToken(SECRET, claims({ x: 1000 }));
    expect(readEmailToken(SECRET, token, 'verify_email')).toEqual({ ok: false, reason: 'expired' });
  });

  it('stamps change with the state a token spends: the password hash (reset) and verification (verify)', () => {
    const before = { passwordHash: '$argon2id$a', emailVerifiedAt: null };
    expect(emailTokenStamp('password_reset', before)).not.toBe(
      emailTokenStamp('password_reset', { ...before, passwordHash: '$argon2id$b' }),
    );
    expect(emailTokenStamp('verify_email', before)).not.toBe(
      emailTokenStamp('verify_email', { ...before, emailVerifiedAt: new Date() }),
    );
    expect(emailTokenStamp('password_reset', before)).not.toContain('argon2');
  });

  it('issues a token for the address lower-cased, valid 48 hours (verify) or 1 hour (reset) from now', () => {
    const user = {
      id: '7d3c7d8e-9f7e-4d43-9a53-0d6f1f1f6b2a',
      email: 'Ada@Example.com',
      passwordHash: '$argon2id$a',
      emailVerifiedAt: null,
    };
    // 1,000,000,000.999 s since the epoch: the expiry counts from the whole second
    const now = 1_000_000_000_999;
    expect(emailTokenClaimsFor('verify_email', user, now)).toEqual({
      p: 'verify_email',
      u: user.id,
      e: 'ada@example.com',
      x: 1_000_000_000 + 48 * 3600,
      s: 'unverified',
    });
    expect(emailTokenClaimsFor('password_reset', user, now)).toEqual({
      p: 'password_reset',
      u: user.id,
      e: 'ada@example.com',
      x: 1_000_000_000 + 3600,
      s: emailTokenStamp('password_reset', user),
    });
  });

  it('fits the user it names only while the address and the state it was issued for are unchanged', () => {
    const user = { email: 'Ada@Example.com', passwordHash: '$argon2id$a', emailVerifiedAt: null };
    const reset = { ...claims({ p: 'password_reset' }), s: emailTokenStamp('password_reset', user) };
    expect(emailTokenFits(reset, user)).toBe(true);
    expect(emailTokenFits(reset, null)).toBe(false); // the user is gone
    expect(emailTokenFits(reset, { ...user, email: 'eve@example.com' })).toBe(false);
    expect(emailTokenFits(reset, { ...user, passwordHash: '$argon2id$b' })).toBe(false); // used
    const verify = claims();
    expect(emailTokenFits(verify, user)).toBe(true);
    expect(emailTokenFits(verify, { ...user, emailVerifiedAt: new Date() })).toBe(false); // used
  });
});
