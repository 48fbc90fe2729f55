import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from './crypto';

/** What an e-mailed token lets its holder do. */
export type EmailTokenPurpose = 'verify_email' | 'password_reset';

export interface EmailTokenClaims {
  /** purpose */
  p: EmailTokenPurpose;
  /** user id */
  u: string;
  /** the address it was sent to (lower case) */
  e: string;
  /** expiry, seconds since the epoch */
  x: number;
  /** state stamp: the token is spent once the state it was issued for changes (single use) */
  s: string;
}

export const EMAIL_TOKEN_TTL_SECONDS: Record<EmailTokenPurpose, number> = {
  verify_email: 48 * 3600,
  password_reset: 3600,
};

/** A key of its own for e-mailed tokens, derived from the JWT secret (an access token is never one of these). */
function key(secret: string): Buffer {
  return createHmac('sha256', secret).update('halve/email-token/v1').digest();
}

/**
 * `<payload>.<HMAC-SHA256>`, both base64url. Stateless but single use: the stamp `s` is derived from the
 * state the token changes (verification: not yet verified; reset: the current password hash), so once it has
 * been used the stamp no longer matches.
 */
export function signEmailToken(secret: string, claims: EmailTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', key(secret)).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

/** The claims of a token signed with `secret` for `purpose`, or why it is refused. */
export function readEmailToken(
  secret: string,
  token: string,
  purpose: EmailTokenPurpose,
  now = Date.now(),
): { ok: true; claims: EmailTokenClaims } | { ok: false; reason: 'invalid' | 'expired' } {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = createHmac('sha256', key(secret)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  let claims: EmailTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as EmailTokenClaims;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (
    claims.p !== purpose ||
    typeof claims.u !== 'string' ||
    typeof claims.e !== 'string' ||
    typeof claims.x !== 'number'
  ) {
    return { ok: false, reason: 'invalid' };
  }
  if (claims.x * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The single-use stamp of a user's state: spent when the password hash (reset) or verification (verify) changes. */
export function emailTokenStamp(
  purpose: EmailTokenPurpose,
  user: { passwordHash: string; emailVerifiedAt: Date | null },
): string {
  return purpose === 'password_reset'
    ? sha256(`reset:${user.passwordHash}`).slice(0, 22)
    : user.emailVerifiedAt
      ? 'verified'
      : 'unverified';
}

/** The claims of a new token for `purpose` sent to `user`'s address at `nowMs`. */
export function emailTokenClaimsFor(
  purpose: EmailTokenPurpose,
  user: { id: string; email: string; passwordHash: string; emailVerifiedAt: Date | null },
  nowMs: number,
): EmailTokenClaims {
  return {
    p: purpose,
    u: user.id,
    e: user.email.toLowerCase(),
    x: Math.floor(nowMs / 1000) + EMAIL_TOKEN_TTL_SECONDS[purpose],
    s: emailTokenStamp(purpose, user),
  };
}

/**
 * Whether a genuine token's claims still fit the user it names (null: gone): the same address, and the state it
 * was issued for (the stamp) unchanged, i.e. not yet used.
 */
export function emailTokenFits(
  claims: EmailTokenClaims,
  user: { email: string; passwordHash: string; emailVerifiedAt: Date | null } | null,
): boolean {
  return !!user && user.email.toLowerCase() === claims.e && emailTokenStamp(claims.p, user) === claims.s;
}
