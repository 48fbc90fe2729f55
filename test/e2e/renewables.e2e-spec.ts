import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIGHTLY_TRAINING, NightlyTrainingService } from '@halve/forecasting';
import { JobsService, QUEUE_NAME } from '@halve/platform';
import { Body, SignedUp, TestApp, serverMode, signup, startApp, waitFor } from '../support/harness';
import { orgApi } from '../support/org-api';
import { GOLDEN_SITE, PV_METER, psm3, pvCsv, pvHourlyCsv, pvdaq } from '../support/pvdaq';

/*
 * PV and wind forecasts through the API, on real data (test/fixtures/SOURCE.md):
 * - PV: NREL PVDAQ system 50 (Golden CO, 15-minute AC power in W, the demo's 2012 file) with the
 *   NSRDB PSM3 irradiance and temperature of the same site and months as its weather;
 * - wind: no measured wind-farm output is available to us, so the output is the published power curve
 *   of a 100 kW turbine (NREL turbine-models, NPS 100C-21) applied to real hourly wind speeds
 *   (BDG1's UK weather station, January–February 2015).
 */
const fixtures = join(__dirname, '..', 'fixtures', 'forecasting');
const windWeather = readFileSync(join(fixtures, 'bdg1-primclass-jaden-wind-2015-01-01_02-20.csv'), 'utf8');
const curveRows = readFileSync(join(fixtures, 'nrel-nps100c-21-power-curve.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));

const HOUR = 3_600_000;
const DAY = 86_400_000;
const PV_KW = PV_METER.capacityKw;
const WIND_KW = 100;

/** Measured energy (kWh, night negatives as 0) of the PVDAQ rows in [fromMs, toMs) UTC. */
const pvEnergyKwh = (fromMs: number, toMs: number) =>
  pvdaq
    .slice(1)
    .map((l) => l.split(','))
    .filter(([ts]) => Date.parse(ts.replace(' ', 'T')) >= fromMs && Date.parse(ts.replace(' ', 'T')) < toMs)
    .reduce((s, [, w]) => s + (Math.max(0, Number(w)) * 0.25) / 1000, 0);

/** The turbine's published power curve (kW), linear between its 1 m/s steps. */
function turbineKw(speed: number): number {
  if (speed <= curveRows[0][0]) return curveRows[0][1];
  for (let i = 1; i < curveRows.length; i++) {
    const [v1, p1] = curveRows[i];
    const [v0, p0] = curveRows[i - 1];
    if (speed <= v1) return p0 + ((speed - v0) / (v1 - v0)) * (p1 - p0);
  }
  return curveRows[curveRows.length - 1][1];
}
/** Hourly wind speeds (m/s) of the fixture, by local timestamp text. */
const speeds = windWeather
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([ts, kmh]) => ({ ts, ms: Number(kmh) / 3.6 }));
/** The turbine's hourly output (kWh) for the fixture's hours in [from, to). */
const windCsv = (from: string, to: string) =>
  [
    'timestamp,kwh',
    ...speeds.filter((s) => s.ts >= from && s.ts < to).map((s) => `${s.ts},${turbineKw(s.ms)}`),
  ].join('\n');

/**
 * The expected P50 of a wind forecast, computed here from the training pairs: per 0.5 m/s bin with
 * at least 5 hours, the median output ÷ capacity; made non-decreasing up to the bin of the highest
 * median by pooling adjacent violators; linear between bin centres; × capacity.
 */
function expectedWindP50(trainFrom: string, trainTo: string): (speed: number) => number {
  const bins = new Map<number, number[]>();
  for (const s of speeds.filter((x) => x.ts >= trainFrom && x.ts < trainTo)) {
    const b = Math.floor(s.ms / 0.5);
    bins.set(b, [...(bins.get(b) ?? []), Math.max(0, turbineKw(s.ms) / WIND_KW)]);
  }
  const keys = [...bins.keys()].filter((k) => bins.get(k)!.length >= 5).sort((x, y) => x - y);
  const centres = keys.map((k) => (k + 0.5) * 0.5);
  const counts = keys.map((k) => bins.get(k)!.length);
  const medians = keys.map((k) => {
    const v = [...bins.get(k)!].sort((x, y) => x - y);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  });
  const peak = medians.indexOf(Math.max(...medians));
  const pooled: { mean: number; weight: number; size: number }[] = [];
  for (let i = 0; i <= peak; i++) {
    pooled.push({ mean: medians[i], weight: counts[i], size: 1 });
    while (pooled.length > 1 && pooled[pooled.length - 2].mean > pooled[pooled.length - 1].mean) {
      const b = pooled.pop()!;
      const a = pooled.pop()!;
      pooled.push({
        mean: (a.mean * a.weight + b.mean * b.weight) / (a.weight + b.weight),
        weight: a.weight + b.weight,
        size: a.size + b.size,
      });
    }
  }
  const curve = [
    ...pooled.flatMap((p) => new Array<number>(p.size).fill(p.mean)),
    ...medians.slice(peak + 1),
  ];
  return (speed) => {
    let f: number;
    if (speed <= centres[0]) f = speed < centres[0] - 1 ? 0 : curve[0];
    else if (speed >= centres[centres.length - 1]) f = curve[curve.length - 1];
    else {
      let i = 1;
      while (centres[i] < speed) i++;
      f =
        curve[i - 1] + ((speed - centres[i - 1]) / (centres[i] - centres[i - 1])) * (curve[i] - curve[i - 1]);
    }
    return Math.min(1, Math.max(0, f)) * WIND_KW;
  };
}

type Point = { ts: string; p10: number; p50: number; p90: number };

interface CandidateScore {
  mae: number;
  pinball: number;
  beats: boolean;
}

/** The candidate a PV training keeps: the lowest backtest pinball among those beating every reference. */
function keptCandidate(c: { network: CandidateScore; gbm: CandidateScore; blend: CandidateScore }) {
  return [
    { method: 'quantile neural network', label: 'quantile neural network', ...c.network },
    { method: 'quantile gradient boosting', label: 'quantile gradient boosting', ...c.gbm },
    {
      method: 'blend',
      label: 'quantile gradient boosting blended with the quantile network at 10 %',
      ...c.blend,
    },
  ]
    .filter((x) => x.beats)
    .sort((x, y) => x.pinball - y.pinball)[0];
}

describe(`PV and wind forecasts, nightly retraining (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  const { api, site, meter, upload } = orgApi(() => t);
  const meters: Record<string, string> = {};
  let golden: string;
  // The nightly job's hour, far from now so the real scheduler cannot fire during the suite.
  const nightlyHour = (new Date().getUTCHours() + 12) % 24;

  const train = async (org: SignedUp, meterId: string): Promise<Body> => {
    const res = await t.http
      .post(api(org, `/meters/${meterId}/models`))
      .set(org.auth)
      .expect(202);
    const job = await waitFor(t, api(org, `/jobs/${res.body.jobId}`), org.auth, 300_000);
    expect({ status: job.status, error: job.error }).toEqual({ status: 'succeeded', error: undefined });
    return job;
  };
  const forecast = async (org: SignedUp, meterId: string, from: string, to: string) => {
    const res = await t.http.get(api(org, `/meters/${meterId}/forecast?from=${from}&to=${to}`)).set(org.auth);
    expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
    return res.body as Body & { points: Point[] };
  };
  /** Local (America/Denver, MDT = UTC−6 in July) hour of a point. */
  const denverHour = (p: Point) => (new Date(p.ts).getUTCHours() + 24 - 6) % 24;

  beforeAll(async () => {
    t = await startApp({ env: { HALVE_NIGHTLY_TRAIN: 'on', HALVE_NIGHTLY_TRAIN_HOUR: String(nightlyHour) } });
    a = await signup(t, 'rn-a');
    b = await signup(t, 'rn-b');
    golden = await site(a, { name: 'SERF East (Golden, CO)', ...GOLDEN_SITE });
    await upload(a, `/sites/${golden}/weather`, psm3);
  }, 120_000);
  afterAll(async () => {
    // The nightly scheduler this suite registered goes with it (BullMQ keeps schedulers in Redis).
    await t?.app.get(JobsService).scheduleDaily(NIGHTLY_TRAINING, null, async () => undefined);
    await t?.close();
  });

  describe('PV', () => {
    const pvMeter = (name: string, siteId: string, extra: Record<string, unknown> = {}) =>
      meter(a, { siteId, name, ...PV_METER, ...extra });
    const julyFrom = Date.UTC(2012, 6, 1, 6); // 2012-07-01 00:00 MDT

    it('forecasts a PV meter without a model with the generic model on the site irradiance, zero at night', async () => {
      meters.pv = await pvMeter('pv-model', golden);
      await upload(a, `/meters/${meters.pv}/imports`, pvCsv('2012-05-01', '2012-07-01'), { unit: 'W' });
      const fc = await forecast(a, meters.pv, '2012-07-01', '2012-07-03');
      expect(fc).toEqual(expect.objectContaining({ method: 'generic', unit: 'kWh' }));
      expect(fc.reason).toMatch(/generic PV model.*irradiance/);
      // Two months of readings before the issue time: the band is calibrated on the model's forecasts of the last 28 days.
      expect(fc.reason).toMatch(/P10–P90 calibrated on the last 28 days \(split-conformal/);
      expect(fc.points).toHaveLength(2 * 96);
      for (const p of fc.points) {
        if (denverHour(p) >= 21 || denverHour(p) < 5) expect([p.p10, p.p50, p.p90]).toEqual([0, 0, 0]);
        expect(p.p50).toBeLessThanOrEqual(PV_KW * 0.25);
        expect(p.p10).toBeLessThanOrEqual(p.p50);
        expect(p.p50).toBeLessThanOrEqual(p.p90);
      }
      const actual = pvEnergyKwh(julyFrom, julyFrom + 2 * DAY);
      const predicted = fc.points.reduce((s, p) => s + p.p50, 0);
      // The generic model was trained on this very system (2011–12), scaled here by a stated capacity.
      expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.35);
    });

    it('trains a per-meter PV model that beats smart persistence, stores it, and forecasts with it', async () => {
      await train(a, meters.pv);
      const versions = (
        await t.http
          .get(api(a, `/meters/${meters.pv}/models`))
          .set(a.auth)
          .expect(200)
      ).body;
      expect(versions).toHaveLength(1);
      const v = versions[0];
      expect(v).toEqual(
        expect.objectContaining({
          version: 1,
          status: 'active',
          method: 'model',
          backend: expect.stringMatching(/wasm|cpu|tensorflow/),
        }),
      );
      expect(v.hyperParameters.predictorNames).toEqual(['ghiWm2', 'temperatureC']);
      const sp = v.baselines.smartPersistence;
      expect(sp).toEqual(
        expect.objectContaining({
          mae: expect.any(Number),
          pinball: expect.any(Number),
          coverageP10P90: expect.any(Number),
        }),
      );
      expect(v.metrics.mae).toBeLessThan(sp.mae);
      expect(v.metrics.pinball).toBeLessThan(sp.pinball);
      expect(v.metrics.skillMaeVsSmartPersistence).toBeCloseTo((sp.mae - v.metrics.mae) / sp.mae, 10);
      // A 15-minute meter is offered the three candidates too (session 19), the best backtest kept.
      const backtest = (
        await t.http
          .get(api(a, `/meters/${meters.pv}/models/1/backtest`))
          .set(a.auth)
          .expect(200)
      ).body;
      const { network } = backtest.backtest.candidates;
      expect(Object.keys(backtest.backtest.candidates).sort()).toEqual(['blend', 'gbm', 'network']);
      const winner = keptCandidate(backtest.backtest.candidates);
      expect(v.hyperParameters.method).toBe(winner.method);
      expect([v.metrics.mae, v.metrics.pinball]).toEqual([winner.mae, winner.pinball]);
      expect(v.reason).toMatch(
        new RegExp(`^per-meter PV model \\(${winner.label}\\) beats smart persistence`),
      );
      expect(new Date(v.trainedTo).getTime()).toBe(Date.UTC(2012, 6, 1, 7)); // the last reading's end (MST in the file)
      expect(backtest.backtest.days).toBeGreaterThanOrEqual(7);
      process.stdout.write(
        `PV backtest (${backtest.backtest.days} days, hourly): network pinball ${network.pinball.toFixed(4)}, kept ${winner.method}; MAE ${v.metrics.mae.toFixed(4)} kWh, pinball ${v.metrics.pinball.toFixed(4)}, coverage ${v.metrics.coverageP10P90.toFixed(2)}; ` +
          `smart persistence MAE ${sp.mae.toFixed(4)}, pinball ${sp.pinball.toFixed(4)}; generic MAE ${v.baselines.generic?.mae?.toFixed(4)}; skill ${(v.metrics.skillMaeVsSmartPersistence * 100).toFixed(1)} %\n`,
      );

      const fc = await forecast(a, meters.pv, '2012-07-01', '2012-07-03');
      expect(fc).toEqual(expect.objectContaining({ method: 'model', modelVersion: 1, unit: 'kWh' }));
      expect(fc.reason).toMatch(/per-meter PV model.*P10–P90 calibrated on the last 28 days/);
      expect(fc.points).toHaveLength(2 * 96);
      for (const p of fc.points) {
        if (denverHour(p) >= 21 || denverHour(p) < 5) expect([p.p10, p.p50, p.p90]).toEqual([0, 0, 0]);
        if (denverHour(p) >= 10 && denverHour(p) < 14) expect(p.p50).toBeGreaterThan(0);
        expect(p.p50).toBeLessThanOrEqual(PV_KW * 0.25);
        expect(p.p10).toBeLessThanOrEqual(p.p50);
        expect(p.p50).toBeLessThanOrEqual(p.p90);
      }
      // Against what the array really produced on those two days (withheld from the import).
      const actual = pvEnergyKwh(julyFrom, julyFrom + 2 * DAY);
      const predicted = fc.points.reduce((s, p) => s + p.p50, 0);
      process.stdout.write(
        `PV 2012-07-01..02: forecast ${predicted.toFixed(2)} kWh, measured ${actual.toFixed(2)} kWh\n`,
      );
      expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.15);
    });

    it('trains an hourly PV meter with three candidates (network, gradient boosting, the two blended) and keeps the best by the backtest', async () => {
      meters.pvHourly = await pvMeter('pv-hourly', golden, { intervalMinutes: 60 });
      await upload(a, `/meters/${meters.pvHourly}/imports`, pvHourlyCsv('2012-05-01', '2012-07-01'), {
        unit: 'W',
      });
      await train(a, meters.pvHourly);
      const [v] = (
        await t.http
          .get(api(a, `/meters/${meters.pvHourly}/models`))
          .set(a.auth)
          .expect(200)
      ).body;
      const { backtest } = (
        await t.http
          .get(api(a, `/meters/${meters.pvHourly}/models/1/backtest`))
          .set(a.auth)
          .expect(200)
      ).body;
      // All three backtested on the same hours; kept: the lowest pinball loss among those beating every reference.
      const { network, gbm, blend } = backtest.candidates;
      for (const c of [network, gbm, blend])
        expect(c).toEqual({
          mae: expect.any(Number),
          pinball: expect.any(Number),
          beats: expect.any(Boolean),
        });
      // pinball loss is convex in the forecast: the blend scores at most the blend of the members' scores
      expect(blend.pinball).toBeLessThanOrEqual(0.9 * gbm.pinball + 0.1 * network.pinball + 1e-12);
      const winner = keptCandidate(backtest.candidates);
      process.stdout.write(
        `PV hourly backtest (${backtest.days} days): network pinball ${network.pinball.toFixed(4)}, gradient boosting ${gbm.pinball.toFixed(4)}, blend ${blend.pinball.toFixed(4)}; kept ${v.hyperParameters.method}\n`,
      );
      expect(v).toEqual(expect.objectContaining({ method: 'model', status: 'active' }));
      expect(v.hyperParameters.method).toBe(winner.method);
      expect(v.metrics.pinball).toBe(winner.pinball);
      expect(v.reason).toContain(`per-meter PV model (${winner.label})`);
      const fc = await forecast(a, meters.pvHourly, '2012-07-01', '2012-07-03');
      expect(fc).toEqual(expect.objectContaining({ method: 'model', modelVersion: 1 }));
      expect(fc.points).toHaveLength(48);
      const predicted = fc.points.reduce((s, p) => s + p.p50, 0);
      expect(Math.abs(predicted - pvEnergyKwh(julyFrom, julyFrom + 2 * DAY)) / predicted).toBeLessThan(0.15);
    });

    it('uses smart persistence for the daylight hours past the irradiance forecast, and says how many', async () => {
      // The site's irradiance ends on 3 July (MST); 4 July has none.
      const fc = await forecast(a, meters.pv, '2012-07-03', '2012-07-05');
      expect(fc).toEqual(expect.objectContaining({ method: 'model', modelVersion: 1 }));
      expect(fc.reason).toMatch(
        /\d+ of \d+ daylight intervals have no irradiance or cloud-cover forecast: smart persistence/,
      );
      const july4 = fc.points.filter((p) => Date.parse(p.ts) >= julyFrom + 3 * DAY);
      expect(july4).toHaveLength(96);
      // 4 July repeats the clearness of 30 June, the last complete day before the data ends.
      const june30 = pvEnergyKwh(julyFrom - DAY, julyFrom);
      expect(july4.reduce((s, p) => s + p.p50, 0) / june30).toBeCloseTo(1, 2);
      const july3 = fc.points.filter((p) => Date.parse(p.ts) < julyFrom + 3 * DAY);
      expect(
        july3.reduce((s, p) => s + p.p50, 0) / pvEnergyKwh(julyFrom + 2 * DAY, julyFrom + 3 * DAY),
      ).toBeGreaterThan(0.7);
    });

    it('falls back to smart persistence without irradiance forecasts, and says so', async () => {
      const dark = await site(a, { name: 'Golden without weather', ...GOLDEN_SITE });
      meters.pvPersist = await pvMeter('pv-persist', dark);
      await upload(a, `/meters/${meters.pvPersist}/imports`, pvCsv('2012-06-01', '2012-07-01'), {
        unit: 'W',
      });
      const fc = await forecast(a, meters.pvPersist, '2012-07-01', '2012-07-03');
      expect(fc).toEqual(expect.objectContaining({ method: 'baseline', baseline: 'smartPersistence' }));
      expect(fc.reason).toMatch(/no irradiance or cloud-cover forecast/);
      expect(fc.reason).toMatch(/smart persistence.*2012-06-30/);
      // Each day repeats the measured energy of 30 June (its clearness index) on that day's clear-sky shape,
      // which changes by well under 1 % from one day to the next at midsummer.
      const june30 = pvEnergyKwh(julyFrom - DAY, julyFrom);
      for (const day of [0, 1]) {
        const points = fc.points.filter(
          (p) => Date.parse(p.ts) >= julyFrom + day * DAY && Date.parse(p.ts) < julyFrom + (day + 1) * DAY,
        );
        expect(points).toHaveLength(96);
        expect(points.reduce((s, p) => s + p.p50, 0) / june30).toBeCloseTo(1, 2);
      }
      for (const p of fc.points) {
        if (denverHour(p) >= 21 || denverHour(p) < 5) expect([p.p10, p.p50, p.p90]).toEqual([0, 0, 0]);
        expect(p.p10).toBeLessThanOrEqual(p.p50);
        expect(p.p50).toBeLessThanOrEqual(p.p90);
      }
    });

    it('asks, in words, for the capacity and the site coordinates a PV forecast needs', async () => {
      meters.pvNoCapacity = await meter(a, {
        siteId: golden,
        name: 'pv-no-capacity',
        kind: 'pv_generation',
        intervalMinutes: 15,
      });
      for (const res of [
        await t.http
          .get(api(a, `/meters/${meters.pvNoCapacity}/forecast`))
          .set(a.auth)
          .expect(422),
        await t.http
          .post(api(a, `/meters/${meters.pvNoCapacity}/models`))
          .set(a.auth)
          .expect(422),
      ]) {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.detail).toMatch(/no capacityKw: set it to the array's DC peak power in kWp/);
        expect(res.body.errors).toEqual([{ field: 'capacityKw', message: 'not set' }]);
      }
      const nowhere = await site(a, { name: 'No coordinates', country: 'US', timezone: 'America/Denver' });
      const lost = await pvMeter('pv-no-location', nowhere);
      const res = await t.http
        .get(api(a, `/meters/${lost}/forecast`))
        .set(a.auth)
        .expect(422);
      expect(res.body.detail).toMatch(/no latitude and longitude/);
      expect(res.body.errors).toEqual([{ field: 'latitude', message: 'not set' }]);
    });

    it("hides a PV meter's forecast and models from another organisation", async () => {
      await t.http
        .get(api(b, `/meters/${meters.pv}/forecast?from=2012-07-01&to=2012-07-02`))
        .set(b.auth)
        .expect(404);
      await t.http
        .get(api(b, `/meters/${meters.pv}/models`))
        .set(b.auth)
        .expect(404);
      await t.http
        .post(api(b, `/meters/${meters.pv}/models`))
        .set(b.auth)
        .expect(404);
      await t.http
        .get(api(b, `/meters/${meters.pv}/models/1/backtest`))
        .set(b.auth)
        .expect(404);
    });
  });

  describe('wind', () => {
    let windSite: string;
    beforeAll(async () => {
      windSite = await site(a, { name: 'Turbine (UK)', country: 'GB', timezone: 'Europe/London' });
      await upload(a, `/sites/${windSite}/weather`, windWeather);
    });

    it('forecasts with the learned power curve: P50 at each forecast speed is the binned median of the training hours', async () => {
      meters.wind = await meter(a, {
        siteId: windSite,
        name: 'wind-1',
        kind: 'wind_generation',
        intervalMinutes: 60,
        capacityKw: WIND_KW,
      });
      await upload(a, `/meters/${meters.wind}/imports`, windCsv('2015-01-01', '2015-02-15'));
      const expected = expectedWindP50('2015-01-01', '2015-02-15');
      const forecastSpeeds = speeds.filter((s) => s.ts >= '2015-02-15' && s.ts < '2015-02-17');
      expect(forecastSpeeds).toHaveLength(48);

      // Before training, the curve is fitted for the request (and says it is not stored).
      const fresh = await forecast(a, meters.wind, '2015-02-15', '2015-02-17');
      expect(fresh).toEqual(expect.objectContaining({ method: 'model', unit: 'kWh' }));
      expect(fresh.modelVersion).toBeUndefined();
      expect(fresh.reason).toMatch(/fitted now.*not stored/);

      await train(a, meters.wind);
      const versions = (
        await t.http
          .get(api(a, `/meters/${meters.wind}/models`))
          .set(a.auth)
          .expect(200)
      ).body;
      expect(versions.map((v: Body) => [v.version, v.status, v.method])).toEqual([[1, 'active', 'model']]);
      const v = versions[0];
      expect(v.baselines.climatology).toEqual(
        expect.objectContaining({ mae: expect.any(Number), pinball: expect.any(Number) }),
      );
      expect(v.metrics.mae).toBeLessThan(v.baselines.climatology.mae);
      process.stdout.write(
        `wind backtest: curve MAE ${v.metrics.mae.toFixed(3)} kWh vs climatology ${v.baselines.climatology.mae.toFixed(3)} (skill ${(v.metrics.skillMaeVsClimatology * 100).toFixed(1)} %)\n`,
      );

      const fc = await forecast(a, meters.wind, '2015-02-15', '2015-02-17');
      expect(fc).toEqual(expect.objectContaining({ method: 'model', modelVersion: 1, unit: 'kWh' }));
      expect(fc.points.map((p) => p.ts)).toEqual(
        forecastSpeeds.map((s) => new Date(`${s.ts.replace(' ', 'T')}Z`).toISOString()),
      );
      fc.points.forEach((p, i) => {
        expect(p.p50).toBeCloseTo(expected(forecastSpeeds[i].ms), 6);
        expect(fresh.points[i].p50).toBeCloseTo(p.p50, 9);
        expect(p.p10).toBeLessThanOrEqual(p.p50);
        expect(p.p50).toBeLessThanOrEqual(p.p90);
        expect(p.p90).toBeLessThanOrEqual(WIND_KW);
      });
      // The forecast follows the wind: it is not flat.
      expect(new Set(fc.points.map((p) => p.p50.toFixed(3))).size).toBeGreaterThan(5);
    });

    it('refuses hours without a wind-speed forecast, naming what to import', async () => {
      const res = await t.http
        .get(api(a, `/meters/${meters.wind}/forecast?from=2015-02-20&to=2015-02-22`))
        .set(a.auth)
        .expect(422);
      expect(res.body.detail).toMatch(
        /No wind-speed forecast for 24 of 48 intervals.*import the site's wind speed.*weather/,
      );
      expect(res.body.errors).toEqual([{ field: 'windSpeedMS', message: 'no forecast for 24 intervals' }]);
      const unrated = await meter(a, {
        siteId: windSite,
        name: 'wind-unrated',
        kind: 'wind_generation',
        intervalMinutes: 60,
      });
      const noCapacity = await t.http
        .get(api(a, `/meters/${unrated}/forecast`))
        .set(a.auth)
        .expect(422);
      expect(noCapacity.body.detail).toMatch(/no capacityKw: set it to the turbines' rated power in kW/);
    });

    it("hides a wind meter's forecast and models from another organisation", async () => {
      await t.http
        .get(api(b, `/meters/${meters.wind}/forecast?from=2015-02-15&to=2015-02-16`))
        .set(b.auth)
        .expect(404);
      await t.http
        .get(api(b, `/meters/${meters.wind}/models`))
        .set(b.auth)
        .expect(404);
      await t.http
        .post(api(b, `/meters/${meters.wind}/models/1/activate`))
        .set(b.auth)
        .expect(404);
    });
  });

  describe('nightly retraining', () => {
    it('is scheduled daily at the configured UTC hour', async () => {
      const schedule = await t.app.get(JobsService).dailySchedule(NIGHTLY_TRAINING);
      expect(schedule.mode).toBe(serverMode().queue);
      if (schedule.mode === 'bullmq') expect(schedule.pattern).toBe(`0 ${nightlyHour} * * *`);
      const next = schedule.nextRunAt!;
      expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([nightlyHour, 0, 0]);
      expect(next.getTime() - Date.now()).toBeGreaterThan(0);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
    });

    it('runs a daily task when its time comes: the BullMQ job reaches a worker, or the in-process timer is armed', async () => {
      if (serverMode().queue === 'bullmq') {
        // What the job scheduler adds at the hour, added now: a worker process runs the task it names.
        const workerJobs = (t.worker as INestApplication).get(JobsService);
        let ran = 0;
        await workerJobs.scheduleDaily('probe-daily', null, async () => ++ran);
        const connection = new IORedis(t.config.redisUrl!, { maxRetriesPerRequest: null });
        const queue = new Queue(QUEUE_NAME, { connection, prefix: t.config.queuePrefix });
        try {
          await queue.add('probe-daily', { daily: 'probe-daily' }, { removeOnComplete: true });
          for (let i = 0; i < 200 && ran === 0; i++) await new Promise((r) => setTimeout(r, 50));
        } finally {
          await queue.close();
          connection.disconnect();
        }
        expect(ran).toBe(1);
      } else {
        const jobs = t.app.get(JobsService);
        await jobs.scheduleDaily('probe-daily', (new Date().getUTCHours() + 1) % 24, async () => undefined);
        const probe = await jobs.dailySchedule('probe-daily');
        expect(probe.nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(HOUR);
        await jobs.scheduleDaily('probe-daily', null, async () => undefined);
        expect((await jobs.dailySchedule('probe-daily')).nextRunAt).toBeNull();
      }
    });

    it('enqueues, once per night, the meters with readings newer than their model and the untrained ones with 4 weeks', async () => {
      const windSite = (
        await t.http
          .get(api(a, `/meters/${meters.wind}`))
          .set(a.auth)
          .expect(200)
      ).body.siteId;
      // Trained, nothing new since: left alone.
      meters.windStill = await meter(a, {
        siteId: windSite,
        name: 'wind-2',
        kind: 'wind_generation',
        intervalMinutes: 60,
        capacityKw: WIND_KW,
      });
      await upload(a, `/meters/${meters.windStill}/imports`, windCsv('2015-01-01', '2015-02-15'));
      await train(a, meters.windStill);
      // Trained (version 1 above), then three more days arrive: retrained.
      await upload(a, `/meters/${meters.wind}/imports`, windCsv('2015-02-15', '2015-02-18'));
      // Another organisation: never trained with 6 weeks (retrained) and with 10 days (not yet).
      const bSite = await site(b, { name: 'B turbine', country: 'GB', timezone: 'Europe/London' });
      await upload(b, `/sites/${bSite}/weather`, windWeather);
      const bWind = await meter(b, {
        siteId: bSite,
        name: 'wind-b',
        kind: 'wind_generation',
        intervalMinutes: 60,
        capacityKw: WIND_KW,
      });
      await upload(b, `/meters/${bWind}/imports`, windCsv('2015-01-01', '2015-02-15'));
      const bShort = await meter(b, {
        siteId: bSite,
        name: 'wind-b-short',
        kind: 'wind_generation',
        intervalMinutes: 60,
        capacityKw: WIND_KW,
      });
      await upload(b, `/meters/${bShort}/imports`, windCsv('2015-02-01', '2015-02-11'));

      const nightly = t.app.get(NightlyTrainingService);
      const now = new Date();
      const night = now.toISOString().slice(0, 10);
      const first = await nightly.run({ now, tenantIds: [a.orgId, b.orgId] });
      // a's PV persistence meter was never trained and has 30 days; a's trained PV meter has nothing new;
      // meters without capacity or coordinates cannot be trained and are not listed.
      const expected = [
        [a.orgId, meters.pvPersist],
        [a.orgId, meters.wind],
        [b.orgId, bWind],
      ].sort();
      expect(first.night).toBe(night);
      expect(first.jobs.map((j) => [j.tenantId, j.meterId]).sort()).toEqual(expected);
      for (const j of first.jobs) expect(j.jobId).toBe(`forecast-train-${j.meterId}-nightly-${night}`);
      expect(first.jobs.find((j) => j.meterId === meters.wind)?.activeVersion).toBe(1);
      expect(first.jobs.find((j) => j.meterId === bWind)?.activeVersion).toBeNull();

      // Run again the same night: the same job ids, nothing trains twice.
      const again = await nightly.run({ now, tenantIds: [a.orgId, b.orgId] });
      expect(again.jobs.map((j) => j.jobId).sort()).toEqual(first.jobs.map((j) => j.jobId).sort());
      for (const j of first.jobs) {
        const org = j.tenantId === a.orgId ? a : b;
        const job = await waitFor(t, api(org, `/jobs/${j.jobId}`), org.auth, 300_000);
        expect({ meter: j.meterId, status: job.status, attempts: job.attempts }).toEqual({
          meter: j.meterId,
          status: 'succeeded',
          attempts: 1,
        });
      }
      await nightly.run({ now, tenantIds: [a.orgId, b.orgId] });
      const aJobs = (await t.http.get(api(a, '/jobs')).set(a.auth).expect(200)).body as Body[];
      expect(
        aJobs
          .filter((j) => j.id.includes('-nightly-'))
          .map((j) => j.id)
          .sort(),
      ).toEqual(
        first.jobs
          .filter((j) => j.tenantId === a.orgId)
          .map((j) => j.jobId)
          .sort(),
      );
      const windVersions = (
        await t.http
          .get(api(a, `/meters/${meters.wind}/models`))
          .set(a.auth)
          .expect(200)
      ).body;
      expect(windVersions.map((v: Body) => v.version)).toEqual([2, 1]);
      expect(new Date(windVersions[0].trainedTo).toISOString()).toBe('2015-02-18T00:00:00.000Z');
      // Power curves roll back like any version.
      await t.http
        .post(api(a, `/meters/${meters.wind}/models/1/activate`))
        .set(a.auth)
        .expect(200);
      expect(await forecast(a, meters.wind, '2015-02-18', '2015-02-19')).toEqual(
        expect.objectContaining({ method: 'model', modelVersion: 1 }),
      );
      const bVersions = (
        await t.http
          .get(api(b, `/meters/${bWind}/models`))
          .set(b.auth)
          .expect(200)
      ).body;
      expect(bVersions.map((v: Body) => [v.version, v.status])).toEqual([[1, 'active']]);

      // The next night: the retrained meters are up to date; the PV meter without irradiance history still
      // has no version (its training answers "generic"), so it is tried again.
      const next = await nightly.run({ now: new Date(now.getTime() + DAY), tenantIds: [a.orgId, b.orgId] });
      expect(next.jobs.map((j) => j.meterId)).toEqual([meters.pvPersist]);
      const job = await waitFor(t, api(a, `/jobs/${next.jobs[0].jobId}`), a.auth, 300_000);
      expect(job.result).toEqual(
        expect.objectContaining({ method: 'generic', reason: expect.stringMatching(/irradiance/) }),
      );
    });
  });
});
