import { EmailTokenClaims, emailTokenStamp, readEmailToken, signEmailToken } from './email-token';

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
});
