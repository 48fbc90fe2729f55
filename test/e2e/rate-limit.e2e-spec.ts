import { TestApp, startApp } from '../support/harness';

describe('rate limiting of the auth routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { HALVE_AUTH_RATE_LIMIT: '3' } });
  });
  afterAll(() => t?.close());

  it('answers 429 problem+json once an address passes the per-minute limit, and leaves other routes alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'not the password' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Health is not an auth route.
    for (let i = 0; i < 5; i++) await t.http.get('/api/v1/health').expect(200);
  });
});
