/**
 * The generic (cold-start) load model trained as it is used: on short windows of history.
 *
 * A meter with under four weeks of readings is forecast by the generic model from whatever history
 * it has (load-forecast.ts). Trained on whole years (trainGenericLoadModel), the network always saw
 * four weeks of lags (the 4-week same-hour mean, the same-day-type mean over 14 days); at cold start
 * those inputs fall back to the last week. Here every training row is built from a window of
 * history that ends at a local midnight (the origin) — 7 days, the BuildingsBench protocol, or
 * another length of 2–27 days — with the load before the window unknown, exactly as LoadModel.forecast
 * sees a new meter's series; the scale is the window's mean (LoadModel's generic scaling) and the
 * target is the next day, or (extraLeadsPerTarget) a day up to 6 days later. The result is an
 * ordinary generic LoadModelArtifact (same features and members), so the product path and
 * fine-tuning from it are unchanged.
 */
import { initTfBackend } from './backend';
import { CalendarInfo, ForecastPoint, buildLoadFeatures, calendarInfo } from './features';
import { LoadModel, trainPooledLoadModel } from './load-model';
import {
  DEFAULT_LOAD_HYPER_PARAMETERS,
  GENERIC_LOAD_HYPER_PARAMETERS,
  LoadModelArtifact,
  LoadModelHyperParameters,
  LoadNormalisation,
  LoadTrainingMetrics,
} from './load-model-types';
import { TrainingSet, pooledTrainingSet } from './load-training-set';
import { seededRandom } from './model-artifact';
import { MeterSeries, meterScale, stepsPerDay, timeAt } from './series';

export interface ColdStartWindowOptions {
  /** Share of windows with exactly 7 days of history (the protocol); the rest get 2–27 days. */
  weekShare: number;
  /** Every `strideDays`-th local midnight is an origin. */
  strideDays: number;
  /** Extra targets per window at a lead of 1–6 days (fractions allowed), as the per-meter model. */
  extraLeadsPerTarget: number;
  /** A window needs this share of valid readings in its history. */
  minValidShare: number;
  seed: number;
}

export const DEFAULT_COLD_START_WINDOWS: ColdStartWindowOptions = {
  weekShare: 0.6,
  strideDays: 2,
  extraLeadsPerTarget: 0.25,
  minValidShare: 0.5,
  seed: 11,
};

/** One training window: history [from, origin), target day starting at origin + lead days. */
export interface ColdStartWindow {
  series: number;
  from: number;
  origin: number;
  leadDays: number;
}

/** Share of finite values in values[from, to). */
export function validShare(values: readonly number[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(values[i])) n++;
  return to > from ? n / (to - from) : 0;
}

/** A calendar restricted to [from, to) (the fields buildLoadFeatures reads, re-based at 0). */
export function sliceCalendar(c: CalendarInfo, from: number, to: number): CalendarInfo {
  return {
    hourOfDay: c.hourOfDay.subarray(from, to),
    dayOfWeek: c.dayOfWeek.subarray(from, to),
    dayNumber: c.dayNumber.subarray(from, to),
    holiday: c.holiday.subarray(from, to),
    offDay: c.offDay.subarray(from, to),
    yearEnd: c.yearEnd.subarray(from, to),
    dayStarts: c.dayStarts.filter((d) => d >= from && d < to).map((d) => d - from),
    dayOrdinal: c.dayOrdinal.subarray(from, to),
  };
}

/** The training windows of several series (targets before each one's trainEnd), seeded. */
export function coldStartWindows(
  seriesList: readonly MeterSeries[],
  calendars: readonly CalendarInfo[],
  trainEnds: readonly number[],
  options: ColdStartWindowOptions,
): ColdStartWindow[] {
  const random = seededRandom(options.seed);
  const windows: ColdStartWindow[] = [];
  seriesList.forEach((s, i) => {
    const spd = stepsPerDay(s.intervalMinutes);
    const starts = calendars[i].dayStarts;
    for (let d = 0; d < starts.length; d += options.strideDays) {
      const days = random() < options.weekShare ? 7 : 2 + Math.floor(random() * 26);
      const origin = starts[d];
      const from = origin - days * spd;
      if (from < 0) continue;
      if (validShare(s.valuesKwh, from, origin) < options.minValidShare) continue;
      const extra =
        Math.floor(options.extraLeadsPerTarget) + (random() < options.extraLeadsPerTarget % 1 ? 1 : 0);
      const leads = [0, ...Array.from({ length: extra }, () => 1 + Math.floor(random() * 6))];
      for (const leadDays of leads) {
        if (origin + (leadDays + 1) * spd <= trainEnds[i])
          windows.push({ series: i, from, origin, leadDays });
      }
    }
  });
  return windows;
}

/** One member's training set over the windows: each row sees only its window's history. */
export function coldStartTrainingSet(
  seriesList: readonly MeterSeries[],
  calendars: readonly CalendarInfo[],
  windows: readonly ColdStartWindow[],
  normaliseBy: LoadNormalisation,
  useTemperature = false,
): TrainingSet {
  const sets: TrainingSet[] = [];
  windows.forEach((w, k) => {
    const s = seriesList[w.series];
    const spd = stepsPerDay(s.intervalMinutes);
    const firstTarget = w.origin + w.leadDays * spd;
    const to = firstTarget + spd;
    const sub: MeterSeries = {
      ...s,
      startMs: timeAt(s, w.from),
      valuesKwh: s.valuesKwh.slice(w.from, to),
      temperatureC: s.temperatureC?.slice(w.from, to),
    };
    const origin = w.origin - w.from;
    const points: ForecastPoint[] = [];
    for (let t = firstTarget - w.from; t < to - w.from; t++)
      if (Number.isFinite(sub.valuesKwh[t])) points.push({ target: t, origin });
    if (!points.length) return;
    const f = buildLoadFeatures(sub, sliceCalendar(calendars[w.series], w.from, to), points, {
      useTemperature,
      fallbackLevelKwh: meterScale(sub.valuesKwh.slice(0, origin)),
      normaliseBy,
    });
    const y = Float32Array.from(points, (p, r) =>
      Math.min(10, Math.max(0, sub.valuesKwh[p.target] / f.levelKwh[r])),
    );
    // every tenth window validates (reported only: no early stopping)
    const validate = k % 10 === 9 ? 1 : 0;
    sets.push({
      x: f.x,
      y,
      rows: f.rows,
      columns: f.columns,
      validationMask: new Uint8Array(f.rows).fill(validate),
      firstTarget: 0,
      names: f.names,
    });
  });
  if (!sets.length) throw new Error('trainColdStartLoadModel: no training windows');
  return pooledTrainingSet(sets);
}

/**
 * Trains the generic load model on cold-start windows of several meters pooled (all hourly or all
 * of one interval); `trainEnds` limits each meter's targets (e.g. the first year). The artifact's
 * residual correction is off: the day before a cold-start origin is itself barely forecastable.
 */
export async function trainColdStartLoadModel(
  seriesList: readonly MeterSeries[],
  options: {
    trainEnds?: number[];
    windows?: Partial<ColdStartWindowOptions>;
    hyperParameters?: Partial<LoadModelHyperParameters>;
  } = {},
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const backend = await initTfBackend();
  if (seriesList.length === 0) throw new Error('trainColdStartLoadModel: no series');
  const interval = seriesList[0].intervalMinutes;
  if (seriesList.some((s) => s.intervalMinutes !== interval))
    throw new Error('trainColdStartLoadModel: mixed intervals');
  const hp: LoadModelHyperParameters = {
    ...DEFAULT_LOAD_HYPER_PARAMETERS,
    ...GENERIC_LOAD_HYPER_PARAMETERS,
    epochs: 8,
    timeBudgetSeconds: 1800,
    residualCorrection: 0,
    recentErrorCorrection: undefined,
    ...options.hyperParameters,
  };
  const calendars = seriesList.map((s) => calendarInfo(s, s.valuesKwh.length));
  const trainEnds = seriesList.map((s, i) =>
    Math.min(options.trainEnds?.[i] ?? s.valuesKwh.length, s.valuesKwh.length),
  );
  const windows = coldStartWindows(seriesList, calendars, trainEnds, {
    ...DEFAULT_COLD_START_WINDOWS,
    ...options.windows,
  });
  return trainPooledLoadModel(hp, interval, false, backend, (member) =>
    coldStartTrainingSet(seriesList, calendars, windows, member),
  );
}
