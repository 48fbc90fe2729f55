import type { MailMessage } from '../notifications/mailer';

/*
 * The e-mails of sign-up, verification and password reset: their text only (AuthService sends them). The
 * token lifetimes they state are EMAIL_TOKEN_TTL_SECONDS (email-token.ts).
 */

/** To the owner of an address someone tried to sign up with again (no account is changed). */
export function addressTakenMail(email: string, publicUrl: string): MailMessage {
  return {
    to: email,
    subject: 'Someone tried to sign up to Halve with your address',
    text:
      `Someone (perhaps you) tried to create a Halve account with ${email}, which already has one. Your account was not changed. ` +
      `If it was you, log in, or set a new password at ${publicUrl}/reset-password. If not, you can ignore this message.`,
  };
}

export function verificationMail(email: string, token: string, publicUrl: string): MailMessage {
  return {
    to: email,
    subject: 'Confirm your e-mail address for Halve',
    text: `Confirm that ${email} is yours: ${publicUrl}/verify-email?token=${token} (valid 48 hours). Until then you can use the organisation you created, but not join others.`,
  };
}

export function passwordResetMail(email: string, token: string, publicUrl: string): MailMessage {
  return {
    to: email,
    subject: 'Set a new Halve password',
    text: `Set a new password at ${publicUrl}/reset-password?token=${token} (valid 1 hour, once). If you did not ask for this, ignore this message.`,
  };
}
