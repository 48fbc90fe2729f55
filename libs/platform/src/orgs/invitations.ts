import { InvitationEntity } from '../entities/platform.entities';
import { BadInputError } from '../errors/problems';
import type { MailMessage } from '../notifications/mailer';

/*
 * The rules of invitations, as pure functions: an organisation's (OrgsService creates them, AuthService
 * accepts them) and a certification body's (accepted by AuthService).
 */

/** How long an organisation's invitation can be accepted. */
export const INVITATION_DAYS = 14;

export function invitationExpiresAt(nowMs: number): Date {
  return new Date(nowMs + INVITATION_DAYS * 86400_000);
}

export type InvitationStatus = 'accepted' | 'revoked' | 'expired' | 'pending';

/** Accepted and revoked win over expired: the status says what happened to it, if anything did. */
export function invitationStatus(
  i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationStatus {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt < now ? 'expired' : 'pending';
}

/** What the API shows of an organisation's invitation (never its token hash). */
export function invitationView(i: InvitationEntity, now: Date) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: invitationStatus(i, now),
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
  };
}

/**
 * 400 when an invitation (looked up by its token; null: no such token) cannot be accepted by the holder of
 * `email` — unknown, accepted, revoked, without an expiry (a body's invitation from before tokens) or expired;
 * or sent to another address (compared case-insensitively) — and null when it can. `field` names the token
 * in the request refused.
 */
export function invitationRefusal(
  invitation: {
    email: string;
    acceptedAt: Date | null;
    revokedAt?: Date | null;
    expiresAt: Date | null;
  } | null,
  email: string,
  field: string,
  now: Date,
): BadInputError | null {
  if (
    !invitation ||
    invitation.acceptedAt ||
    invitation.revokedAt ||
    !invitation.expiresAt ||
    invitation.expiresAt < now
  ) {
    return new BadInputError('The invitation is invalid, used or expired; ask for a new one.', [
      { field, message: 'invalid or expired' },
    ]);
  }
  if (invitation.email.toLowerCase() !== email.toLowerCase()) {
    return new BadInputError(
      `The invitation was sent to ${invitation.email}; log in with that address to accept it.`,
      [{ field, message: 'addressed to another e-mail' }],
    );
  }
  return null;
}

/** The e-mail carrying an organisation's invitation token (accept when logged in, or sign up with it). */
export function invitationMail(
  email: string,
  organizationName: string,
  token: string,
  publicUrl: string,
): MailMessage {
  return {
    to: email,
    subject: `You are invited to ${organizationName} on Halve`,
    text: `Accept at ${publicUrl}/invitations/accept?token=${token} (valid ${INVITATION_DAYS} days), logged in with ${email} and with the address confirmed; new to Halve? Sign up at ${publicUrl}/signup?invitation=${token} first.`,
  };
}
