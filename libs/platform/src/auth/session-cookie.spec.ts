import express from 'express';
import request from 'supertest';
import { ConfigError, loadConfig } from '../config/config';
import { deviceToken, isDeviceOf, readCookie, setRefreshCookie } from './session-cookie';

/** The refresh cookie's settings (HALVE_COOKIE_DOMAIN, HALVE_COOKIE_SECURE) and the device cookie's binding. */
describe('session cookies', () => {
  const config = (env: Record<string, string> = {}) => loadConfig({ HALVE_DATA_DIR: 'memory://', ...env });
  /** The Set-Cookie line a real express response writes for this config. */
  const written = async (env: Record<string, string> = {}) => {
    const app = express();
    app.get('/', (_req, res) => {
      setRefreshCookie(res, config(env), 'sid.secret');
      res.end();
    });
    const res = await request(app).get('/');
    return ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0];
  };

  it('defaults: host-only (no Domain), Secure, HttpOnly, SameSite=Strict, on the auth path', async () => {
    const line = await written();
    expect(line).toMatch(/^halve_refresh=sid\.secret; /);
    expect(line).not.toMatch(/Domain=/i);
    for (const part of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/api/v1/auth', 'Max-Age=2592000'])
      expect(line.split('; ')).toContain(part);
  });

  it('HALVE_COOKIE_DOMAIN sets the Domain (lower-cased); HALVE_COOKIE_SECURE=off drops Secure', async () => {
    const line = await written({ HALVE_COOKIE_DOMAIN: 'Halve.Example.com', HALVE_COOKIE_SECURE: 'off' });
    expect(line.split('; ')).toContain('Domain=halve.example.com');
    expect(line.split('; ')).not.toContain('Secure');
    expect(line.split('; ')).toContain('HttpOnly');
  });

  it('refuses a cookie domain that is not a host name, and a Secure setting that is not on/off, naming the variable', () => {
    for (const bad of ['https://halve.example.com', 'halve.example.com:443', 'a b.com', '-x.com'])
      expect(() => config({ HALVE_COOKIE_DOMAIN: bad })).toThrow(
        new ConfigError('HALVE_COOKIE_DOMAIN', `must be a host name such as example.com, got "${bad}"`),
      );
    expect(() => config({ HALVE_COOKIE_SECURE: 'yes' })).toThrow(/HALVE_COOKIE_SECURE must be "on" or "off"/);
  });

  it('a device cookie is bound to its account and to the server key', () => {
    const a = config({ HALVE_JWT_SECRET: 'k'.repeat(40) });
    const b = config({ HALVE_JWT_SECRET: 'j'.repeat(40) });
    const token = deviceToken(a, 'Ann@Example.com');
    expect(isDeviceOf(a, 'ann@example.com', token)).toBe(true);
    expect(isDeviceOf(a, 'bob@example.com', token)).toBe(false);
    expect(isDeviceOf(b, 'ann@example.com', token)).toBe(false);
    const [nonce, mac] = token.split('.');
    expect(isDeviceOf(a, 'ann@example.com', `${nonce}x.${mac}`)).toBe(false);
    expect(isDeviceOf(a, 'ann@example.com', `${nonce}.${mac}.x`)).toBe(false);
    expect(isDeviceOf(a, 'ann@example.com', null)).toBe(false);
    // Two log-ins get different cookies (a fresh nonce each).
    expect(deviceToken(a, 'ann@example.com')).not.toBe(deviceToken(a, 'ann@example.com'));
  });

  it('reads one cookie from the Cookie header, decoded; a malformed value reads as none', () => {
    const req = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as express.Request;
    expect(readCookie(req('a=1; halve_refresh=sid%2Esecret; b=2'), 'halve_refresh')).toBe('sid.secret');
    expect(readCookie(req('xhalve_refresh=1'), 'halve_refresh')).toBeNull();
    expect(readCookie(req('halve_refresh=%E0%A4%A'), 'halve_refresh')).toBeNull();
    expect(readCookie(req(), 'halve_refresh')).toBeNull();
  });
});
