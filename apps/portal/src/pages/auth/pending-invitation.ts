/** Where a sign-up by invitation keeps its token until the address is verified (the /verify-email page offers it). */
export const PENDING_INVITATION_KEY = 'halve.pendingInvitation';

export function invitationInNext(next: string | null): string | null {
  if (!next?.startsWith('/invitations/accept?')) return null;
  return new URLSearchParams(next.slice(next.indexOf('?') + 1)).get('token');
}
