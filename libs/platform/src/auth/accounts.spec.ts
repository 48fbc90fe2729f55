import { UserEntity } from '../entities/platform.entities';
import { BadInputError } from '../errors/problems';
import {
  addressOf,
  isUnclaimed,
  normalizeEmail,
  publicUser,
  resetPasswordError,
  signupFieldsError,
  storedEmail,
} from './accounts';

const ID = '0b7e4f5a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

describe('accounts', () => {
  it('stores a taken address as an unclaimed one that shows the address typed', () => {
    expect(storedEmail('ada@example.com', ID, false)).toBe('ada@example.com');
    const unclaimed = storedEmail('ada@example.com', ID, true);
    expect(unclaimed).toBe(`ada@example.com#unclaimed-${ID}`);
    expect(isUnclaimed({ email: unclaimed })).toBe(true);
    expect(isUnclaimed({ email: 'ada@example.com' })).toBe(false);
    expect(addressOf({ email: unclaimed })).toBe('ada@example.com');
    expect(addressOf({ email: 'ada@example.com' })).toBe('ada@example.com');
  });

  it('does not take a mark that is not at the end, or not a uuid, for an unclaimed account', () => {
    expect(isUnclaimed({ email: `ada#unclaimed-${ID}@example.com` })).toBe(false);
    expect(isUnclaimed({ email: 'ada@example.com#unclaimed-xyz' })).toBe(false);
  });

  it('compares addresses trimmed and lower-cased', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('shows a user without the password hash and with the address typed', () => {
    const user: UserEntity = {
      id: ID,
      email: `ada@example.com#unclaimed-${ID}`,
      name: 'Ada',
      passwordHash: '$argon2id$…',
      isPlatformAdmin: false,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      emailVerifiedAt: null,
    };
    expect(publicUser(user)).toEqual({
      id: ID,
      email: 'ada@example.com',
      name: 'Ada',
      isPlatformAdmin: false,
      emailVerified: false,
    });
    expect(publicUser({ ...user, emailVerifiedAt: new Date() }).emailVerified).toBe(true);
  });

  it('asks a sign-up without an invitation for the organisation fields it left out', () => {
    const error = signupFieldsError({ organizationName: 'Lovelace Bakery' });
    expect(error).toBeInstanceOf(BadInputError);
    expect(error?.message).toBe('Sign-up needs country, timezone (or an invitationToken).');
    expect(error?.fields).toEqual([
      { field: 'country', message: 'is required' },
      { field: 'timezone', message: 'is required' },
    ]);
    expect(
      signupFieldsError({ organizationName: 'Lovelace Bakery', country: 'GB', timezone: 'Europe/London' }),
    ).toBeNull();
    expect(signupFieldsError({ invitationToken: 'tok' })).toBeNull();
  });

  it('lists what a reset password breaks, and accepts a good one', () => {
    const error = resetPasswordError('ada-lovelace-1815', 'ada-lovelace@example.com');
    expect(error?.message).toBe(
      'The password must not contain your e-mail address or its part before the @.',
    );
    expect(error?.fields).toEqual([
      { field: 'password', message: 'must not contain your e-mail address or its part before the @' },
    ]);
    expect(resetPasswordError('correct horse battery staple', 'ada@example.com')).toBeNull();
  });
});
