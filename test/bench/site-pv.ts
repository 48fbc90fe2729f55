/**
 * The PV meter of the site benchmark (test/bench/site.ts): NREL PVDAQ system 50 (Golden CO, 15-minute AC
 * W) with the NSRDB PSM3 GHI and temperature of the site as its irradiance "forecast", trained and
 * forecast through the product's functions (trainPvVersion; RenewableForecastingService.forecastPv's
 * steps around pvForecast).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ForecastModelEntity,
  PV_CALIBRATION_DAYS,
  PV_TRAINING_DAYS,
  PvModelArtifact,
  RenewableSubject,
  WeatherRowLike,
  coverage,
  fitBandCalibration,
  pvForecastFromData,
  trainPvVersion,
} from '@halve/forecasting';
import { WeatherTimestamps, periodStartRows } from '@halve/metering';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const PV_STEP_MS = 15 * 60_000;
export const TZ = 'America/Denver';
const PVDAQ_CAPACITY_KW = 3.5;

/**
 * PVDAQ system 50: power on the 15-minute grid (NaN = missing), or with `intervalMinutes` 60 its hourly
 * means (NaN unless all four quarters are there), and the PSM3 weather rows as the product reads them for a
 * site whose `weatherTimestamps` is the one given (periodStartRows): `start`, the benchmarks' default, reads
 * each row as the mean of the 30 minutes from its time; `instant` is what PSM3 rows are (samples at their
 * time: ghi_clear ÷ cos(zenith) is symmetric about solar noon at the row's own time, not 15 minutes later;
 * test/bench/scratch/psm3-timing.ts).
 */
export function readPv(
  dir: string,
  intervalMinutes: 15 | 60 = 15,
  weatherTimestamps: WeatherTimestamps = 'start',
) {
  const lines = fs
    .readFileSync(path.join(dir, 'system_50_ac_power_2_full_DST.csv'), 'utf8')
    .trim()
    .split('\n');
  const rows = lines.slice(1).map((l) => {
    const [ts, w] = l.split(',');
    return { ms: Date.parse(ts.replace(' ', 'T')), w: w === '' ? Number.NaN : Number(w) };
  });
  const startMs = rows[0].ms;
  const n = Math.round((rows[rows.length - 1].ms - startMs) / PV_STEP_MS) + 1;
  const watts = new Array<number>(n).fill(Number.NaN);
  for (const r of rows) watts[Math.round((r.ms - startMs) / PV_STEP_MS)] = r.w;
  const stepMs = intervalMinutes * 60_000;
  const perStep = stepMs / PV_STEP_MS;
  const grid = Array.from({ length: Math.floor(n / perStep) }, (_, k) =>
    perStep === 1
      ? watts[k]
      : watts.slice(k * perStep, (k + 1) * perStep).reduce((a, w) => a + w, 0) / perStep,
  );
  return { startMs, watts: grid, weather: readPsm3(dir, weatherTimestamps), stepMs };
}

/** The array's NSRDB PSM3 rows (GHI, air temperature) as a site with `weatherTimestamps` reads them (periodStartRows). */
export function readPsm3(dir: string, weatherTimestamps: WeatherTimestamps): WeatherRowLike[] {
  const psm3 = fs
    .readFileSync(path.join(dir, 'system_50_ac_power_2_full_DST_psm3.csv'), 'utf8')
    .trim()
    .split('\n');
  const head = psm3[0].split(',');
  const [t, g] = [head.indexOf('temp_air'), head.indexOf('ghi')];
  const weather: WeatherRowLike[] = psm3.slice(1).map((l) => {
    const c = l.split(',');
    return {
      ts: new Date(Date.parse(c[0].replace(' ', 'T'))),
      temperatureC: Number(c[t]),
      ghiWM2: Number(c[g]),
      cloudCoverPct: null,
      windSpeedMS: null,
    };
  });
  return periodStartRows(weather, weatherTimestamps);
}

export type PvData = ReturnType<typeof readPv>;

/** The array as trainPvVersion and pvForecast see it (capacity as in test/support/pvdaq.ts: 3.5 kW, ~3.4 kW AC peak observed). */
export const SUBJECT: RenewableSubject = {
  meterName: 'PVDAQ system 50',
  intervalMinutes: 15,
  capacityKw: PVDAQ_CAPACITY_KW,
  tiltDeg: 45,
  azimuthDeg: 158,
  siteId: 'bench',
  latitudeDeg: 39.7406,
  longitudeDeg: -105.1775,
  timeZone: TZ,
};

/** The meter as the service sees it at the data's interval. */
export const subjectOf = (pv: PvData): RenewableSubject => ({
  ...SUBJECT,
  intervalMinutes: pv.stepMs / 60_000,
});

/** Output ÷ capacity in [fromMs, toMs) as the service reads it (kW per kW of PVDAQ_CAPACITY_KW). */
export function pvFractions(pv: PvData, fromMs: number, toMs: number): number[] {
  const i0 = Math.round((fromMs - pv.startMs) / pv.stepMs);
  const n = Math.round((toMs - fromMs) / pv.stepMs);
  return Array.from({ length: n }, (_, k) =>
    i0 + k >= 0 && i0 + k < pv.watts.length ? pv.watts[i0 + k] / 1000 / PVDAQ_CAPACITY_KW : Number.NaN,
  );
}

export const weatherIn = (pv: PvData, fromMs: number, toMs: number) =>
  pv.weather.filter((w) => w.ts.getTime() >= fromMs && w.ts.getTime() < toMs);

export const activeOf = (v: object): ForecastModelEntity =>
  ({ version: 1, status: 'active', ...v }) as unknown as ForecastModelEntity;

/** The PV meter's version, trained as the service would at `originMs` (trainPvVersion on PV_TRAINING_DAYS before it). */
export async function trainPv(pv: PvData, generic: PvModelArtifact | null, originMs: number) {
  const startMs = Math.max(pv.startMs, originMs - PV_TRAINING_DAYS * DAY_MS);
  const outcome = await trainPvVersion(
    {
      subject: subjectOf(pv),
      startMs,
      fractions: pvFractions(pv, startMs, originMs),
      weather: weatherIn(pv, startMs, originMs),
      lastEnd: originMs,
      genericPv: generic,
    },
    () => undefined,
  );
  const active =
    outcome.method === 'generic'
      ? null
      : activeOf({
          method: outcome.method,
          artifact: outcome.artifact,
          baselineName: outcome.baselineName,
          reason: outcome.reason,
        });
  return { outcome, active };
}

/** One day's PV forecast from its local midnight, per kW (RenewableForecastingService.forecastPv after its reads: pvForecastFromData; `calibrate` false: the band uncalibrated, as before issue 19's rolling calibration). */
export async function pvDay(
  pv: PvData,
  originMs: number,
  active: ForecastModelEntity | null,
  generic: PvModelArtifact | null,
  calibrate = true,
  calibrationDays = PV_CALIBRATION_DAYS,
) {
  const starts = Array.from({ length: DAY_MS / pv.stepMs }, (_, i) => originMs + i * pv.stepMs);
  const pastStart = originMs - Math.max(15, calibrationDays) * DAY_MS;
  const { f, view } = await pvForecastFromData({
    subject: subjectOf(pv),
    timeZone: TZ,
    intervalMinutes: pv.stepMs / 60_000,
    fromMs: originMs,
    originMs,
    starts,
    weather: weatherIn(pv, originMs, originMs + DAY_MS),
    past: {
      startMs: pastStart,
      fractions: pvFractions(pv, pastStart, originMs),
      weather: weatherIn(pv, pastStart, originMs),
    },
    calibrationFromMs: originMs - calibrationDays * DAY_MS,
    calibrate,
    active,
    generic,
  });
  // kWh per interval per kW of capacity
  const hours = pv.stepMs / HOUR_MS;
  const points = starts.map((t, i) => ({
    ts: t,
    p10: f.p10[i] * hours,
    p50: f.p50[i] * hours,
    p90: Math.max(f.p90[i], f.p50[i]) * hours,
  }));
  return { points, method: view.method };
}

export const localHour = (ms: number) =>
  Number(new Intl.DateTimeFormat('en-US', { timeZone: TZ, hour: 'numeric', hourCycle: 'h23' }).format(ms));

/** Hourly sums of a PV day (kWh), NaN where an interval is missing. */
export function hourlyActualPv(pv: PvData, originMs: number, capacityKw: number): number[] {
  const q = pvFractions(pv, originMs, originMs + DAY_MS);
  const perHour = HOUR_MS / pv.stepMs;
  return Array.from(
    { length: 24 },
    (_, h) => (capacityKw * q.slice(perHour * h, perHour * (h + 1)).reduce((a, v) => a + v, 0)) / perHour,
  );
}

export type PvPoint = { ts: number; p10: number; p50: number; p90: number };

/** The hour sums of a PV day's quantiles (a day of 24 × n intervals). */
export const pvHour = (points: readonly PvPoint[], h: number, capacityKw: number) => {
  const g = { p10: 0, p50: 0, p90: 0 };
  const perHour = points.length / 24;
  for (const q of points.slice(perHour * h, perHour * (h + 1))) {
    g.p10 += q.p10 * capacityKw;
    g.p50 += q.p50 * capacityKw;
    g.p90 += q.p90 * capacityKw;
  }
  return g;
};

/**
 * Candidate fix, fitted before the test window: the PV version the product would have had 28 days
 * earlier (trainPvVersion on the 365 days before them), its day-ahead forecasts of those 28 days, and
 * the calibration factors (calibration.ts) that make its daylight band miss 10 % on each side there.
 */
export async function pvCalibrationBefore(
  pv: PvData,
  genericPv: PvModelArtifact | null,
  originMs: number,
  rolling = true,
) {
  const startMs = originMs - 28 * DAY_MS;
  const earlier = await trainPv(pv, genericPv, startMs);
  const y: number[] = [];
  const q: { p10: number; p50: number; p90: number }[] = [];
  for (let d = startMs; d < originMs;) {
    const next = [23, 24, 25].map((h) => d + h * HOUR_MS).find((t) => localHour(t) === 0)!;
    const f = await pvDay(pv, d, earlier.active, genericPv, rolling);
    hourlyActualPv(pv, d, 1).forEach((v, h) => {
      const g = pvHour(f.points, h, 1);
      if (Number.isFinite(v) && (g.p90 > 0 || v > 0.001)) {
        y.push(v);
        q.push(g);
      }
    });
    d = next;
  }
  return {
    version: earlier.outcome.method,
    calibration: fitBandCalibration(y, {
      p10: q.map((r) => r.p10),
      p50: q.map((r) => r.p50),
      p90: q.map((r) => r.p90),
    }),
    coverageBefore: coverage(
      y,
      q.map((r) => r.p10),
      q.map((r) => r.p90),
    ),
  };
}
