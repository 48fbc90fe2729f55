import {
  parseRefreshToken,
  refreshTokenOf,
  sessionExpiresAt,
  sessionLive,
  spentPruneCutoff,
  spentPruneDue,
} from './session-rules';

const SESSION = '7d3c7d8e-9f7e-4d43-9a53-0d6f1f1f6b2a';
const at = (iso: string) => new Date(iso);

describe('session and refresh-token rules', () => {
  it('reads back the session and secret of a refresh token it formatted', () => {
    expect(refreshTokenOf(SESSION, 's3cr3t')).toBe(`${SESSION}.s3cr3t`);
    expect(parseRefreshToken(`${SESSION}.s3cr3t`)).toEqual({ sessionId: SESSION, secret: 's3cr3t' });
  });

  it('refuses a refresh token without a uuid session or without a secret', () => {
    expect(parseRefreshToken('not-a-uuid.s3cr3t')).toBeNull();
    expect(parseRefreshToken(`${SESSION}.`)).toBeNull();
    expect(parseRefreshToken(SESSION)).toBeNull();
    expect(parseRefreshToken('')).toBeNull();
  });

  it('ends a session the refresh-token lifetime after it began', () => {
    expect(sessionExpiresAt(at('2026-01-01T09:30:00Z').getTime(), 30)).toEqual(at('2026-01-31T09:30:00Z'));
    expect(sessionExpiresAt(at('2026-02-28T00:00:00Z').getTime(), 1)).toEqual(at('2026-03-01T00:00:00Z'));
  });

  it('prunes spent secrets older than the lifetime, at most hourly', () => {
    expect(spentPruneCutoff(at('2026-01-31T09:30:00Z').getTime(), 30)).toEqual(at('2026-01-01T09:30:00Z'));
    expect(spentPruneDue(0, Date.parse('2026-01-01T00:00:00Z'))).toBe(true); // not yet in this process
    const pruned = Date.parse('2026-01-01T10:00:00Z');
    expect(spentPruneDue(pruned, Date.parse('2026-01-01T10:59:59.999Z'))).toBe(false);
    expect(spentPruneDue(pruned, Date.parse('2026-01-01T11:00:00Z'))).toBe(true);
  });

  it('lets a refresh token rotate only a session that exists, was not revoked and has not expired', () => {
    const now = at('2026-01-10T12:00:00Z');
    const session = { revokedAt: null, expiresAt: at('2026-01-20T00:00:00Z') };
    expect(sessionLive(null, now)).toBe(false);
    expect(sessionLive(session, now)).toBe(true);
    expect(sessionLive({ ...session, revokedAt: at('2026-01-09T00:00:00Z') }, now)).toBe(false);
    expect(sessionLive({ ...session, expiresAt: at('2026-01-10T11:59:59Z') }, now)).toBe(false);
    expect(sessionLive({ ...session, expiresAt: now }, now)).toBe(true); // expires after this moment
  });
});
