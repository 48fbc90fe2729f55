import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import type { Db } from '../database/tenant-db';
import { UserEntity } from '../entities/platform.entities';
import { AppError } from '../errors/problems';
import type { Mailer } from '../notifications/mailer';
import type { InvitationsRepository } from '../orgs/invitations.repository';
import type { OrgsRepository } from '../orgs/orgs.repository';
import { AuthService } from './auth.service';
import { hashPassword } from './crypto';
import { ACCOUNT_POLICY, LockoutPolicy, PAIR_POLICY, pairKey } from './login-lockout';
import type { LoginLockoutsRepository } from './login-lockouts.repository';
import { deviceToken } from './session-cookie';
import type { SessionTokens, TokenPair } from './session-tokens.service';
import type { SessionsRepository } from './sessions.repository';
import type { UsersRepository } from './users.repository';

/*
 * AuthService.login with its repositories replaced in memory: which lock counters it reads and counts, what it
 * audits, and what it answers, without a database.
 */

const EMAIL = 'ada@example.com';
const ADDRESS = '203.0.113.7';
const PAIR = pairKey(EMAIL, ADDRESS);
const PASSWORD = 'correct horse battery staple';
const config = { jwtSecret: 'unit-secret-0123456789abcdef' } as AppConfig;
const passwordHash = hashPassword(PASSWORD);

async function setup(opts: { locked?: Record<string, number>; locksOnFailure?: Record<string, number> }) {
  const user: UserEntity = {
    id: '0b7e4f5a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
    email: EMAIL,
    name: 'Ada',
    passwordHash: await passwordHash,
    isPlatformAdmin: false,
    createdAt: new Date(),
    emailVerifiedAt: new Date(),
  };
  const calls: string[] = [];
  const lockouts = {
    lockedForSeconds: async (_em: EntityManager, key: string) => (
      calls.push(`read ${key}`),
      opts.locked?.[key] ?? 0
    ),
    recordFailure: async (_em: EntityManager, key: string, policy: LockoutPolicy) => {
      calls.push(
        `count ${key} ${policy === PAIR_POLICY ? 'pair' : policy === ACCOUNT_POLICY ? 'account' : '?'}`,
      );
      return opts.locksOnFailure?.[key] ?? 0;
    },
    clear: async (_em: EntityManager, key: string) => void calls.push(`clear ${key}`),
  } as unknown as LoginLockoutsRepository;
  const users = {
    byEmail: async (_em: EntityManager, email: string) => (
      calls.push(`user ${email}`),
      email === EMAIL ? user : null
    ),
  } as unknown as UsersRepository;
  const pair: TokenPair = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 };
  const tokens = { issueIn: async () => (calls.push('issue'), pair) } as unknown as SessionTokens;
  const audited: { action: string; summary?: Record<string, unknown> }[] = [];
  const audit = {
    record: async (_em: EntityManager, _t: null, e: { action: string; summary?: Record<string, unknown> }) =>
      void audited.push({ action: e.action, summary: e.summary }),
  } as unknown as AuditService;
  const db = { system: (fn: (em: EntityManager) => unknown) => fn({} as EntityManager) } as unknown as Db;
  const auth = new AuthService(
    db,
    audit,
    config,
    {} as Mailer,
    users,
    {} as SessionsRepository,
    tokens,
    lockouts,
    {} as OrgsRepository,
    {} as InvitationsRepository,
  );
  return { auth, calls, audited, pair };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ status: e.status, code: e.code, extra: e.extra }),
  );

describe('AuthService.login', () => {
  it('logs in with the right password: forgets the pair counter, audits, issues tokens', async () => {
    const { auth, calls, audited, pair } = await setup({});
    await expect(auth.login(' Ada@Example.com ', PASSWORD, { address: ADDRESS })).resolves.toBe(pair);
    expect(calls).toEqual([`read ${PAIR}`, `read ${EMAIL}`, `user ${EMAIL}`, `clear ${PAIR}`, 'issue']);
    expect(audited.map((a) => a.action)).toEqual(['auth.logged_in']);
  });

  it('refuses a locked pair with 429 and its seconds, before looking the user up', async () => {
    const { auth, calls, audited } = await setup({ locked: { [PAIR]: 30, [EMAIL]: 20 } });
    expect(await refusal(auth.login(EMAIL, PASSWORD, { address: ADDRESS }))).toEqual({
      status: 429,
      code: 'account_locked',
      extra: { retryAfterSeconds: 30 }, // the longer of the two locks
    });
    expect(calls).toEqual([`read ${PAIR}`, `read ${EMAIL}`]);
    expect(audited).toEqual([]);
  });

  it("exempts a browser with the account's device cookie from the account lock", async () => {
    const { auth, calls } = await setup({ locked: { [EMAIL]: 60 } });
    const deviceCookie = deviceToken(config, EMAIL);
    await expect(auth.login(EMAIL, PASSWORD, { address: ADDRESS, deviceCookie })).resolves.toBeTruthy();
    expect(calls.slice(0, 2)).toEqual([`read ${PAIR}`, `user ${EMAIL}`]); // the account counter is not read
    expect(await refusal(auth.login(EMAIL, PASSWORD, { address: ADDRESS }))).toMatchObject({ status: 429 });
  });

  it('counts a wrong password against the pair and the account, audits it and answers 401', async () => {
    const { auth, calls, audited } = await setup({});
    expect(await refusal(auth.login(EMAIL, 'wrong password', { address: ADDRESS }))).toMatchObject({
      status: 401,
    });
    expect(calls.slice(3)).toEqual([`count ${PAIR} pair`, `count ${EMAIL} account`]);
    expect(audited).toEqual([{ action: 'auth.login_failed', summary: { email: EMAIL } }]);
  });

  it('counts an unknown address the same way, and audits the lock a failure starts', async () => {
    const other = 'eve@example.com';
    const { auth, audited } = await setup({ locksOnFailure: { [pairKey(other, ADDRESS)]: 60 } });
    expect(await refusal(auth.login(other, PASSWORD, { address: ADDRESS }))).toMatchObject({ status: 401 });
    expect(audited).toEqual([
      { action: 'auth.login_failed', summary: { email: other } },
      { action: 'auth.login_locked', summary: { email: other, seconds: 60, scope: 'address' } },
    ]);
  });
});
