import { HttpStatus } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/config';
import { AppError } from '../errors/problems';

/**
 * The portal's refresh token travels in an HttpOnly cookie scoped to the auth routes, never in script-readable
 * storage. A cookie is sent by the browser on its own, so the routes that act on it also require a header that
 * a cross-site form or image cannot send (CSRF): `X-Halve-CSRF: 1`. SameSite=Strict keeps the cookie off
 * cross-site requests in the first place; the header is the second lock (and covers browsers without SameSite).
 */
export const REFRESH_COOKIE = 'halve_refresh';
/** OWASP "device cookie": proves this browser logged in to the account before (see login-lockout.ts). */
export const DEVICE_COOKIE = 'halve_device';
export const AUTH_COOKIE_PATH = '/api/v1/auth';
export const CSRF_HEADER = 'X-Halve-CSRF';
const DEVICE_COOKIE_DAYS = 365;

/** 403: a cookie-authenticated request without the anti-CSRF header. */
export class CsrfHeaderMissingError extends AppError {
  constructor() {
    super(
      HttpStatus.FORBIDDEN,
      'csrf_header_missing',
      `The refresh token came in the ${REFRESH_COOKIE} cookie, which needs the header "${CSRF_HEADER}: 1" (cross-site request forgery protection); API clients send {"refreshToken": …} in the body instead.`,
    );
  }
}

/** 415: an auth request whose body is not JSON (what a cross-site HTML form sends: login CSRF). */
export class JsonBodyRequiredError extends AppError {
  constructor(type: string) {
    super(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'json_body_required',
      `The auth routes take a JSON body (Content-Type: application/json), not ${type}: a cross-site form cannot send JSON, so nobody can log a browser in to another account or use its cookie from another site.`,
    );
  }
}

/**
 * Refuses a body that a cross-site form could send (urlencoded, multipart, text/plain): only JSON (which a page of
 * another origin cannot send without a CORS preflight, and the API allows none) or no body.
 */
export function requireJsonBody(req: Request): void {
  const type = req.headers['content-type'];
  if (!type) return;
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
    throw new JsonBodyRequiredError(type.split(';')[0].trim());
}

/** The value of one cookie of the request (no cookie-parser needed for two names). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim()) || null;
    } catch {
      return null;
    }
  }
  return null;
}

/** True when the request carries the anti-CSRF header (a browser script of the portal's own origin). */
export function hasCsrfHeader(req: Request): boolean {
  return req.headers[CSRF_HEADER.toLowerCase()] === '1';
}

function cookieOptions(config: AppConfig, maxAgeMs: number) {
  return {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'strict' as const,
    path: AUTH_COOKIE_PATH,
    maxAge: maxAgeMs,
    ...(config.cookieDomain ? { domain: config.cookieDomain } : {}),
  };
}

export function setRefreshCookie(res: Response, config: AppConfig, refreshToken: string): void {
  res.cookie(REFRESH_COOKIE, refreshToken, cookieOptions(config, config.refreshTokenTtlDays * 86_400_000));
}

export function clearRefreshCookie(res: Response, config: AppConfig): void {
  const { maxAge: _maxAge, ...options } = cookieOptions(config, 0);
  res.clearCookie(REFRESH_COOKIE, options);
}

function deviceMac(config: AppConfig, email: string, nonce: string): Buffer {
  return createHmac('sha256', config.jwtSecret).update(`device:${email.toLowerCase()}:${nonce}`).digest();
}

/** A device cookie value for `email`: `<nonce>.<HMAC(secret, email, nonce)>`. */
export function deviceToken(config: AppConfig, email: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${deviceMac(config, email, nonce).toString('base64url')}`;
}

/** Whether `token` is a device cookie this server issued for `email`. */
export function isDeviceOf(config: AppConfig, email: string, token: string | null): boolean {
  if (!token) return false;
  const [nonce, mac, ...rest] = token.split('.');
  if (!nonce || !mac || rest.length) return false;
  const expected = deviceMac(config, email, nonce);
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function setDeviceCookie(res: Response, config: AppConfig, email: string): void {
  res.cookie(
    DEVICE_COOKIE,
    deviceToken(config, email),
    cookieOptions(config, DEVICE_COOKIE_DAYS * 86_400_000),
  );
}
