import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from './harness';
import { apiJson } from './harness';

/** The token of the latest `path` link (e.g. `/verify-email`) the server's development mailer sent to `email` (its outbox file). */
export function mailedToken(server: Server, email: string, path: string): string {
  const lines = readFileSync(join(server.dataDir, 'mail', 'outbox.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const pattern = new RegExp(`${path.replace(/[/]/g, '\\/')}\\?token=([A-Za-z0-9_.-]+)`);
  const found = lines
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((m) => m.to.toLowerCase() === email.toLowerCase())
    .map((m) => pattern.exec(m.text)?.[1])
    .filter((token): token is string => !!token);
  if (!found.length) throw new Error(`no e-mail to ${email} with a ${path} link in the outbox`);
  return found[found.length - 1];
}

/** Confirms `email` with the verification token e-mailed to it, then accepts the invitation `token` as `accessToken`. */
export async function verifyAndAccept(
  server: Server,
  email: string,
  accessToken: string,
  token: string,
): Promise<void> {
  await apiJson(server, 'POST', '/api/v1/auth/verify-email', null, {
    token: mailedToken(server, email, '/verify-email'),
  });
  await apiJson(server, 'POST', '/api/v1/invitations/accept', accessToken, { token });
}
