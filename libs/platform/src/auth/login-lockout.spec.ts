import {
  ACCOUNT_POLICY,
  PAIR_POLICY,
  lockAfterFailure,
  lockDurationMs,
  lockScope,
  lockoutCutoffs,
  pairKey,
  secondsLocked,
} from './login-lockout';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

describe('login lockout rules', () => {
  it('doubles the pair lock from one minute and stops at fifteen', () => {
    // 1, 2, 4, 8 minutes; the fifth would be 16 and is cut to 15; later ones stay at 15
    expect([0, 1, 2, 3, 4, 5, 30].map(lockDurationMs)).toEqual([
      1 * MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      8 * MINUTE,
      15 * MINUTE,
      15 * MINUTE,
      15 * MINUTE,
    ]);
  });

  it('counts failures in the 15 minutes before now and forgets locks after a day', () => {
    expect(lockoutCutoffs(at('2026-03-10T12:00:00Z'))).toEqual({
      windowStart: at('2026-03-10T11:45:00Z'),
      decay: at('2026-03-09T12:00:00Z'),
    });
  });

  it('answers the seconds left of a running lock, rounded up, and 0 for none or an ended one', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(secondsLocked(null, now)).toBe(0);
    expect(secondsLocked(at('2026-03-10T11:59:59Z'), now)).toBe(0);
    expect(secondsLocked(now, now)).toBe(0); // ends at this very moment
    expect(secondsLocked(at('2026-03-10T12:00:00.001Z'), now)).toBe(1);
    expect(secondsLocked(at('2026-03-10T12:01:00Z'), now)).toBe(60);
    expect(secondsLocked(at('2026-03-10T12:01:00.001Z'), now)).toBe(61);
  });

  it('locks a pair at its tenth failure, for longer after earlier locks', () => {
    expect(lockAfterFailure(undefined, PAIR_POLICY)).toBe(0);
    expect(lockAfterFailure({ failures: 9, lockouts: 0 }, PAIR_POLICY)).toBe(0);
    expect(lockAfterFailure({ failures: 10, lockouts: 0 }, PAIR_POLICY)).toBe(1 * MINUTE);
    expect(lockAfterFailure({ failures: 10, lockouts: 2 }, PAIR_POLICY)).toBe(4 * MINUTE);
    expect(lockAfterFailure({ failures: 10, lockouts: 7 }, PAIR_POLICY)).toBe(15 * MINUTE);
  });

  it('locks an account at its fiftieth failure for one minute, however often it was locked before', () => {
    expect(lockAfterFailure({ failures: 49, lockouts: 0 }, ACCOUNT_POLICY)).toBe(0);
    expect(lockAfterFailure({ failures: 50, lockouts: 0 }, ACCOUNT_POLICY)).toBe(MINUTE);
    expect(lockAfterFailure({ failures: 50, lockouts: 6 }, ACCOUNT_POLICY)).toBe(MINUTE);
  });

  it('reports the account lock when the failure locked the account, the address lock otherwise', () => {
    expect(lockScope(60)).toBe('account');
    expect(lockScope(0)).toBe('address');
  });

  it('keys a pair by the e-mail and the address on separate lines', () => {
    expect(pairKey('ada@example.com', '203.0.113.7')).toBe('ada@example.com\n203.0.113.7');
  });
});
