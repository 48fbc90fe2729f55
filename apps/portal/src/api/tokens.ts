// Tokens: the access token lives only in memory. The refresh token never reaches script: the API sets
// it as an HttpOnly, SameSite=Strict cookie on /api/v1/auth and leaves it out of the JSON when the
// request carries the anti-CSRF header (CSRF_HEADER, sent on every portal request). A reload or a new
// tab restores the session by refreshing with the cookie. The API rotates refresh tokens and ends the
// session when an old one is presented again, so refreshing is single-flight within a tab and
// serialised across tabs (Web Locks): the browser sends the newest cookie when each request leaves.
//
// localStorage holds only a flag (SIGNED_IN_KEY, no secret) saying a cookie session may exist, so an
// anonymous visitor's page load does not ask the API for a refresh it cannot have.

const SIGNED_IN_KEY = 'halve.signedIn';
/** The header that marks a request as the portal's own script (a cross-site form cannot send it). */
export const CSRF_HEADER = 'X-Halve-CSRF';

export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
}

let accessToken: string | null = null;
let accessExpiresAt = 0;
let inflight: Promise<string | null> | null = null;
const listeners = new Set<(loggedIn: boolean) => void>();

function decodeExp(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: number;
    };
    return payload.exp ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function flag(on: boolean): void {
  try {
    if (on) localStorage.setItem(SIGNED_IN_KEY, '1');
    else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    /* private mode: the session still lasts as long as the cookie */
  }
}

/** Whether a cookie session may exist (this browser signed in and did not sign out). */
export function maySignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}

export function setTokens(pair: TokenPair): void {
  accessToken = pair.accessToken;
  accessExpiresAt = decodeExp(pair.accessToken) || Date.now() + (pair.expiresIn ?? 900) * 1000;
  flag(true);
  listeners.forEach((l) => l(true));
}

export function clearTokens(): void {
  accessToken = null;
  accessExpiresAt = 0;
  flag(false);
  listeners.forEach((l) => l(false));
}

export function onAuthChange(listener: (loggedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasSession(): boolean {
  return accessToken !== null || maySignedIn();
}

async function doRefresh(): Promise<string | null> {
  const res = await fetch('/api/v1/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', [CSRF_HEADER]: '1' },
    body: '{}',
  });
  if (res.status === 401 || res.status === 400 || res.status === 403) {
    clearTokens();
    return null;
  }
  if (!res.ok) throw new Error(`Refreshing the session failed (${res.status}).`);
  const pair = (await res.json()) as TokenPair;
  setTokens(pair);
  return pair.accessToken;
}

/** Exchanges the refresh cookie for a new access token (one at a time, across tabs too). */
export function refreshAccessToken(): Promise<string | null> {
  if (!inflight) {
    const run = (): Promise<string | null> => doRefresh();
    const locks =
      typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
    inflight = (
      locks ? (locks.request('halve-refresh', run) as unknown as Promise<string | null>) : run()
    ).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

/** A usable access token: the one in memory, refreshed first when it is about to expire or missing (reload). */
export async function getAccessToken(): Promise<string | null> {
  if (accessToken && Date.now() < accessExpiresAt - 20_000) return accessToken;
  if (hasSession()) return refreshAccessToken();
  return null;
}
