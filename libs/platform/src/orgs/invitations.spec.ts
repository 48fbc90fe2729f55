import { BadInputError } from '../errors/problems';
import {
  INVITATION_DAYS,
  invitationExpiresAt,
  invitationMail,
  invitationRefusal,
  invitationStatus,
} from './invitations';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-05-10T12:00:00Z');
const open = {
  email: 'ada@example.com',
  acceptedAt: null,
  revokedAt: null,
  expiresAt: at('2026-05-20T00:00:00Z'),
};

describe('invitation rules', () => {
  it('can be accepted for 14 days', () => {
    expect(INVITATION_DAYS).toBe(14);
    expect(invitationExpiresAt(NOW.getTime())).toEqual(at('2026-05-24T12:00:00Z'));
  });

  it('says what happened to an invitation: accepted, then revoked, before expired', () => {
    const past = at('2026-05-01T00:00:00Z');
    expect(invitationStatus(open, NOW)).toBe('pending');
    expect(invitationStatus({ ...open, expiresAt: past }, NOW)).toBe('expired');
    expect(invitationStatus({ ...open, revokedAt: past, expiresAt: past }, NOW)).toBe('revoked');
    expect(invitationStatus({ ...open, acceptedAt: past, revokedAt: past, expiresAt: past }, NOW)).toBe(
      'accepted',
    );
    expect(invitationStatus({ ...open, expiresAt: NOW }, NOW)).toBe('pending'); // expires after this moment
  });

  it('accepts an open invitation for its address, in any case', () => {
    expect(invitationRefusal(open, 'ada@example.com', 'token', NOW)).toBeNull();
    expect(
      invitationRefusal({ ...open, email: 'Ada@Example.com' }, 'ADA@example.COM', 'token', NOW),
    ).toBeNull();
    expect(invitationRefusal({ ...open, expiresAt: NOW }, 'ada@example.com', 'token', NOW)).toBeNull();
  });

  it('refuses an unknown, used, revoked, expired or undated invitation alike, naming the token field', () => {
    const past = at('2026-05-10T11:59:59Z');
    for (const invitation of [
      null,
      { ...open, acceptedAt: past },
      { ...open, revokedAt: past },
      { ...open, expiresAt: past },
      { ...open, expiresAt: null }, // a certification body's invitation from before tokens
    ]) {
      const refusal = invitationRefusal(invitation, 'ada@example.com', 'invitationToken', NOW);
      expect(refusal).toBeInstanceOf(BadInputError);
      expect(refusal?.message).toBe('The invitation is invalid, used or expired; ask for a new one.');
      expect(refusal?.fields).toEqual([{ field: 'invitationToken', message: 'invalid or expired' }]);
    }
  });

  it('refuses an invitation sent to another address, saying which', () => {
    const refusal = invitationRefusal(open, 'eve@example.com', 'token', NOW);
    expect(refusal?.message).toBe(
      'The invitation was sent to ada@example.com; log in with that address to accept it.',
    );
    expect(refusal?.fields).toEqual([{ field: 'token', message: 'addressed to another e-mail' }]);
  });

  it('e-mails the token both for accepting and for signing up', () => {
    const mail = invitationMail('ada@example.com', 'Lovelace Bakery', 'tok123', 'https://halve.test');
    expect(mail.to).toBe('ada@example.com');
    expect(mail.subject).toBe('You are invited to Lovelace Bakery on Halve');
    expect(mail.text).toContain('https://halve.test/invitations/accept?token=tok123 (valid 14 days)');
    expect(mail.text).toContain('https://halve.test/signup?invitation=tok123');
  });
});
