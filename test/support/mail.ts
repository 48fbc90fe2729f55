import { LogMailer, MAILER, MailMessage } from '@halve/platform';
import type { TestApp } from './harness';

/** The messages the development mailer sent to `email` (in-process: the mailer's memory), oldest first. */
export function mailsTo(t: TestApp, email: string): MailMessage[] {
  return t.app.get<LogMailer>(MAILER).sent.filter((m) => m.to.toLowerCase() === email.toLowerCase());
}

/** The token of the latest link to `path` (e.g. `/verify-email`) e-mailed to `email`. */
export function mailedToken(t: TestApp, email: string, path: string): string {
  const pattern = new RegExp(`${path.replace(/[/]/g, '\\/')}\\?token=([A-Za-z0-9_.-]+)`);
  const found = mailsTo(t, email)
    .map((m) => pattern.exec(m.text)?.[1])
    .filter((token): token is string => !!token);
  if (!found.length) throw new Error(`no e-mail to ${email} with a ${path} link`);
  return found[found.length - 1];
}

/** Confirms `email` with the verification token e-mailed at sign-up, as its owner would. */
export async function verifyEmail(t: TestApp, email: string): Promise<void> {
  await t.http
    .post('/api/v1/auth/verify-email')
    .send({ token: mailedToken(t, email, '/verify-email') })
    .expect(200);
}

/** Accepts the latest invitation e-mailed to `who` (an organisation's or a certification body's). */
export async function acceptMailedInvitation(
  t: TestApp,
  who: { email: string; auth: Record<string, string> },
): Promise<void> {
  const token = mailedToken(t, who.email, '/invitations/accept');
  await t.http.post('/api/v1/invitations/accept').set(who.auth).send({ token }).expect(200);
}
