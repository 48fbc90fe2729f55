import {
  SignedUp,
  TestApp,
  serverMode,
  signup,
  startApp,
  waitFor,
  createSite,
  createMeter,
} from '../support/harness';

/**
 * Two first imports of one new meter at once: a lock per (tenant, meter) makes the second wait for the
 * first and merge into its readings. Without it both loaded straight into `readings` and one attempt
 * failed on the primary key, hidden by the retry; here both must succeed at their first attempt.
 */
describe(`concurrent first imports of one meter (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let siteId: string;
  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;

  beforeAll(async () => {
    t = await startApp({ env: { HALVE_JOB_CONCURRENCY: '2' } });
    a = await signup(t, 'concurrent');
    siteId = await createSite(t, a);
  });
  afterAll(() => t?.close());

  /** Hourly rows [from, to) of a value that depends on the hour only, so overlapping files agree. */
  const file = (from: number, to: number) => {
    const lines = ['timestamp,kWh'];
    for (let i = from; i < to; i++)
      lines.push(`${new Date(Date.UTC(2023, 0, 1, i)).toISOString()},${(i % 97) + 0.5}`);
    return Buffer.from(`${lines.join('\n')}\n`);
  };
  const expectedSum = (from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += (i % 97) + 0.5;
    return s;
  };

  it.each([1, 2, 3])('both succeed at their first attempt with exact readings (round %i)', async () => {
    const meterId = await createMeter(t, a, siteId, { name: 'New' });
    // two overlapping years of hours, sent at once
    const [first, second] = await Promise.all([
      t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .attach('file', file(0, 8760), 'a.csv')
        .expect(202),
      t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .attach('file', file(4380, 13140), 'b.csv')
        .expect(202),
    ]);
    const reports = await Promise.all(
      [first, second].map((r) => waitFor(t, api(`/imports/${r.body.importId}`), a.auth, 120_000)),
    );
    for (const r of reports)
      expect(r).toEqual(expect.objectContaining({ status: 'succeeded', rowsRejected: 0 }));
    const jobs = await Promise.all(reports.map((r) => waitFor(t, api(`/jobs/${r.jobId}`), a.auth, 120_000)));
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
    // whichever ran second stored only its new half and found the overlap unchanged
    expect(reports[0].rowsStored + reports[1].rowsStored).toBe(13140);
    expect(reports.map((r) => r.rowsUnchanged).sort((x, y) => x - y)).toEqual([0, 4380]);
    const month = await t.http
      .get(api(`/meters/${meterId}/readings?from=2023-01-01&to=2025-01-01&resolution=month`))
      .set(a.auth)
      .expect(200);
    const total = month.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0);
    expect(total).toBeCloseTo(expectedSum(0, 13140), 6);
    const raw = await t.http
      .get(api(`/meters/${meterId}/readings?from=2023-01-01&to=2025-01-01`))
      .set(a.auth)
      .expect(200);
    expect(raw.body.points).toHaveLength(13140);
  });
});
