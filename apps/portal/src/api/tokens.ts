// Tokens: the access token lives only in memory; the refresh token in localStorage so a reload or
// a new tab stays logged in. The API rotates refresh tokens and ends the session when an old one
// is presented again, so refreshing is single-flight within a tab and serialised across tabs
// (Web Locks), always presenting the newest refresh token from storage.

const REFRESH_KEY = 'halve.refreshToken';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
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

export function storedRefreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function setTokens(pair: TokenPair): void {
  accessToken = pair.accessToken;
  accessExpiresAt = decodeExp(pair.accessToken) || Date.now() + (pair.expiresIn ?? 900) * 1000;
  try {
    localStorage.setItem(REFRESH_KEY, pair.refreshToken);
  } catch {
    /* private mode: the session lasts as long as the tab */
  }
  listeners.forEach((l) => l(true));
}

export function clearTokens(): void {
  accessToken = null;
  accessExpiresAt = 0;
  try {
    localStorage.removeItem(REFRESH_KEY);
  } catch {
    /* ignore */
  }
  listeners.forEach((l) => l(false));
}

export function onAuthChange(listener: (loggedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasSession(): boolean {
  return accessToken !== null || storedRefreshToken() !== null;
}

async function doRefresh(): Promise<string | null> {
  const token = storedRefreshToken();
  if (!token) return null;
  const res = await fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ refreshToken: token }),
  });
  if (res.status === 401 || res.status === 400) {
    // Another tab may have rotated the token while we were waiting: only give up if it is unchanged.
    if (storedRefreshToken() === token) clearTokens();
    return null;
  }
  if (!res.ok) throw new Error(`Refreshing the session failed (${res.status}).`);
  const pair = (await res.json()) as TokenPair;
  setTokens(pair);
  return pair.accessToken;
}

/** Exchanges the refresh token for a new access token (one at a time, across tabs too). */
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

/** A usable access token: the one in memory, refreshed first when it is about to expire. */
export async function getAccessToken(): Promise<string | null> {
  if (accessToken && Date.now() < accessExpiresAt - 20_000) return accessToken;
  if (storedRefreshToken()) return refreshAccessToken();
  return accessToken;
}
