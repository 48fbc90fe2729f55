import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForecastingService } from '@halve/forecasting';
import { RequestContext } from '@halve/platform';
import { SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';

const serena = readFileSync(
  join(__dirname, '..', 'fixtures', 'metering', 'bdg2-robin-office-serena.csv'),
  'utf8',
);

describe(`forecasting (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let siteId: string;
  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;

  const meterWith = async (name: string, csv: string | null) => {
    const meter = (
      await t.http
        .post(api('/meters'))
        .set(a.auth)
        .send({ siteId, name, kind: 'electricity_import', unit: 'kWh', intervalMinutes: 60 })
        .expect(201)
    ).body;
    if (csv !== null) {
      const res = await t.http
        .post(api(`/meters/${meter.id}/imports`))
        .set(a.auth)
        .attach('file', Buffer.from(csv), `${name}.csv`)
        .expect(202);
      const report = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth);
      expect(report.status).toBe('succeeded');
    }
    return meter.id as string;
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'fc-a');
    b = await signup(t, 'fc-b');
    siteId = (
      await t.http
        .post(api('/sites'))
        .set(a.auth)
        .send({ name: 'Office', country: 'GB', timezone: 'Europe/London' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t?.close());

  it('does not load TF.js until the first training or forecast, and says so in health', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.body.tfjs).toEqual({ status: 'up', backend: null, loaded: false });
  });

  it('trains on a real building year through the API, stores the version with its backtest, and forecasts with bands', async () => {
    // The last year of the BDG2 office (2017).
    const lines = serena.trim().split('\n');
    const year = [lines[0], ...lines.filter((l) => l.startsWith('2017-'))].join('\n');
    const meterId = await meterWith('serena-2017', year);

    const noModel = await t.http
      .get(api(`/meters/${meterId}/forecast?from=2018-01-01&to=2018-01-02`))
      .set(a.auth)
      .expect(200);
    expect(noModel.body).toEqual(expect.objectContaining({ method: 'baseline', unit: 'kWh' }));
    expect(noModel.body.points).toHaveLength(24);

    const train = await t.http
      .post(api(`/meters/${meterId}/models`))
      .set(a.auth)
      .expect(202);
    const job = await waitFor(t, api(`/jobs/${train.body.jobId}`), a.auth, 600_000);
    expect(job).toEqual(expect.objectContaining({ status: 'succeeded', type: 'forecast-train' }));

    const versions = await t.http
      .get(api(`/meters/${meterId}/models`))
      .set(a.auth)
      .expect(200);
    expect(versions.body).toHaveLength(1);
    const v = versions.body[0];
    expect(v).toEqual(
      expect.objectContaining({
        version: 1,
        status: 'active',
        backend: expect.stringMatching(/wasm|cpu|tensorflow/),
      }),
    );
    expect(['model', 'baseline']).toContain(v.method);
    expect(new Date(v.trainedTo).getTime()).toBeGreaterThan(new Date(v.trainedFrom).getTime());
    for (const name of ['seasonalNaive', 'hourOfWeekTemperature', 'hourOfWeekRecentLoad']) {
      expect(v.baselines[name]).toEqual(
        expect.objectContaining({
          cvRmse: expect.any(Number),
          nmbe: expect.any(Number),
          mase: expect.any(Number),
          pinball: expect.any(Number),
          coverageP10P90: expect.any(Number),
        }),
      );
    }
    // An office's day-ahead error is tens of percent at most; a broken model would be far off.
    expect(v.metrics.cvRmse).toBeGreaterThan(0);
    expect(v.metrics.cvRmse).toBeLessThan(0.6);
    if (v.method === 'model') {
      for (const name of Object.keys(v.baselines))
        expect(v.metrics.cvRmse).toBeLessThan(v.baselines[name].cvRmse);
    }
    const backtest = await t.http
      .get(api(`/meters/${meterId}/models/1/backtest`))
      .set(a.auth)
      .expect(200);
    expect(backtest.body.backtest.days).toBeGreaterThanOrEqual(7);

    const fc = await t.http
      .get(api(`/meters/${meterId}/forecast?from=2018-01-01&to=2018-01-03`))
      .set(a.auth)
      .expect(200);
    expect(fc.body).toEqual(expect.objectContaining({ method: v.method, modelVersion: 1, unit: 'kWh' }));
    expect(fc.body.points).toHaveLength(48);
    for (const p of fc.body.points) {
      expect(p.p10).toBeLessThanOrEqual(p.p50 + 1e-9);
      expect(p.p50).toBeLessThanOrEqual(p.p90 + 1e-9);
      expect(p.p10).toBeGreaterThanOrEqual(0);
    }
    const mean2017 =
      year
        .split('\n')
        .slice(1)
        .reduce((s, l) => s + Number(l.split(',')[1] || 0), 0) / 8760;
    const meanForecast = fc.body.points.reduce((s: number, p: { p50: number }) => s + p.p50, 0) / 48;
    expect(meanForecast).toBeGreaterThan(mean2017 * 0.2);
    expect(meanForecast).toBeLessThan(mean2017 * 3);

    // A training run stopped half-way (after fitting, before its write) leaves version 1 active and writes nothing.
    const service = t.app.get(ForecastingService);
    await expect(
      RequestContext.run({ requestId: 'kill', tenantId: a.orgId }, () =>
        service.handle({
          tenantId: a.orgId,
          jobId: 'killed-run',
          type: 'forecast-train',
          payload: { meterId },
          attempt: 1,
          maxAttempts: 1,
          signal: new AbortController().signal,
          fence: async () => undefined,
          progress: async (pct) => {
            if (pct >= 90) throw new Error('killed');
          },
        }),
      ),
    ).rejects.toThrow('killed');
    const after = await t.http
      .get(api(`/meters/${meterId}/models`))
      .set(a.auth)
      .expect(200);
    expect(after.body.map((x: { version: number; status: string }) => [x.version, x.status])).toEqual([
      [1, 'active'],
    ]);
    await t.http
      .post(api(`/meters/${meterId}/models/1/activate`))
      .set(a.auth)
      .expect(200);
    await t.http
      .post(api(`/meters/${meterId}/models/7/activate`))
      .set(a.auth)
      .expect(404);

    // Another tenant sees none of it.
    await t.http.get(`/api/v1/orgs/${b.orgId}/meters/${meterId}/models`).set(b.auth).expect(404);
    await t.http.get(`/api/v1/orgs/${b.orgId}/meters/${meterId}/forecast`).set(b.auth).expect(404);
    await t.http.post(`/api/v1/orgs/${b.orgId}/meters/${meterId}/models`).set(b.auth).expect(404);
    // two trainings on a real year (the backtest's, then the final one): minutes on a busy 2-core machine
  }, 600_000);

  it('answers a meter with two weeks of data with the generic model, and says so', async () => {
    const lines = serena.trim().split('\n');
    const twoWeeks = [lines[0], ...lines.filter((l) => l >= '2017-03-01' && l < '2017-03-15')].join('\n');
    const meterId = await meterWith('two-weeks', twoWeeks);
    const fc = await t.http.get(api(`/meters/${meterId}/forecast?from=2017-03-15&to=2017-03-16`)).set(a.auth);
    expect({ status: fc.status, detail: fc.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(fc.body.method).toBe('generic');
    expect(fc.body.reason).toMatch(/generic/);
    expect(fc.body.points).toHaveLength(24);
    expect(fc.body.points.every((p: { p50: number }) => Number.isFinite(p.p50) && p.p50 >= 0)).toBe(true);
  });

  it('refuses a forecast for a meter without readings, and a horizon over 7 days, in words', async () => {
    const empty = await meterWith('empty', null);
    const res = await t.http
      .get(api(`/meters/${empty}/forecast`))
      .set(a.auth)
      .expect(422);
    expect(res.body.detail).toMatch(/no readings/);
    // training it is refused at once, not left to a job that could only fail
    const train = await t.http
      .post(api(`/meters/${empty}/models`))
      .set(a.auth)
      .expect(422);
    expect(train.body).toMatchObject({
      code: 'FORECAST_NO_READINGS',
      errors: [{ field: 'meterId', message: 'no readings' }],
    });
    expect(train.body.detail).toBe('Meter empty has no readings: import data before training a model.');
    const lines = serena.trim().split('\n');
    const some = await meterWith(
      'short',
      [lines[0], ...lines.filter((l) => l.startsWith('2017-06'))].join('\n'),
    );
    const far = await t.http
      .get(api(`/meters/${some}/forecast?from=2017-07-01&to=2017-07-20`))
      .set(a.auth)
      .expect(400);
    expect(far.body.errors).toEqual([{ field: 'to', message: 'beyond 7 days' }]);
  });

  it('reports the TF.js backend in health once it has been used', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.body.tfjs).toEqual({
      status: 'up',
      backend: expect.stringMatching(/wasm|cpu|tensorflow/),
      loaded: true,
    });
  });

  // A requested training's job id derives from the meter and what it trains on (issue 17), not the clock.
  describe('training job ids', () => {
    const lines = serena.trim().split('\n');
    const between = (from: string, to: string) =>
      [lines[0], ...lines.filter((l) => l >= from && l < to)].join('\n');
    const importInto = async (meterId: string, csv: string) => {
      const res = await t.http
        .post(api(`/meters/${meterId}/imports`))
        .set(a.auth)
        .attach('file', Buffer.from(csv), 'more.csv')
        .expect(202);
      expect((await waitFor(t, api(`/imports/${res.body.importId}`), a.auth)).status).toBe('succeeded');
    };
    const train = async (meterId: string) =>
      (
        await t.http
          .post(api(`/meters/${meterId}/models`))
          .set(a.auth)
          .expect(202)
      ).body.jobId as string;

    it('gives the same job while the readings are unchanged, and a new one once they change', async () => {
      const meterId = await meterWith('job-ids', between('2017-03-01', '2017-03-15'));
      const first = await train(meterId);
      expect(first).toMatch(new RegExp(`^forecast-train-${meterId}-[0-9a-f]{16}$`));
      expect(await train(meterId)).toBe(first);
      const done = await waitFor(t, api(`/jobs/${first}`), a.auth, 120_000);
      expect(done.status).toBe('succeeded');
      // two weeks: the generic model, no version written — nothing the job did not see, so no new job
      expect(await train(meterId)).toBe(first);
      expect(
        (
          await t.http
            .get(api(`/jobs/${first}`))
            .set(a.auth)
            .expect(200)
        ).body.updatedAt,
      ).toBe(done.updatedAt);
      await importInto(meterId, between('2017-03-15', '2017-03-16'));
      const second = await train(meterId);
      expect(second).toMatch(new RegExp(`^forecast-train-${meterId}-[0-9a-f]{16}$`));
      expect(second).not.toBe(first);
      expect((await waitFor(t, api(`/jobs/${second}`), a.auth, 120_000)).status).toBe('succeeded');
    }, 300_000);

    it('gives a request after a failed job a numbered retry of its own', async () => {
      // a wind meter whose site has no wind speed: its training fails at once (not retried)
      const res = await t.http
        .post(api('/meters'))
        .set(a.auth)
        .send({
          siteId,
          name: 'still',
          kind: 'wind_generation',
          unit: 'kWh',
          intervalMinutes: 60,
          capacityKw: 100,
        })
        .expect(201);
      const meterId = res.body.id as string;
      await importInto(meterId, between('2017-03-01', '2017-03-15'));
      const first = await train(meterId);
      expect((await waitFor(t, api(`/jobs/${first}`), a.auth, 120_000)).status).toBe('failed');
      expect(await train(meterId)).toBe(`${first}-retry1`);
      expect((await waitFor(t, api(`/jobs/${first}-retry1`), a.auth, 120_000)).status).toBe('failed');
      expect(await train(meterId)).toBe(`${first}-retry2`);
      await waitFor(t, api(`/jobs/${first}-retry2`), a.auth, 120_000);
    }, 300_000);
  });
});
