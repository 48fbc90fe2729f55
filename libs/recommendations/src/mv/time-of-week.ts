/**
 * Time-of-week baseline without temperature, for sites whose outdoor temperature cannot be had
 * (no weather imported, no weather source reachable). It is CalTRACK's hourly TOWT model
 * (caltrack.ts) with the temperature terms left out: UPH = Σ α_t·TOW_t, one α per hour of week
 * (0 = Monday 00:00 local … 167), fitted by (weighted) least squares, which makes each α the
 * (weighted) mean use of its hour of week.
 *
 * Segmentation as in TOWT: one annual model, or one model per calendar month with the
 * neighbouring months weighted 0.5 ('three-month-weighted'). The monthly models carry the
 * season by calendar instead of by temperature: the counterfactual for a July is built from the
 * baseline's June–August, not from July's weather. A result from this model is NOT
 * weather-normalised: an unusually hot or cold reporting period shows up as savings (or
 * losses). Its ASHRAE Guideline 14 check (CV(RMSE), NMBE with n − p) is on its own fit.
 */
import { DateTime } from 'luxon';
import { HOURS_PER_WEEK, monthlyNmbeCheck } from './caltrack';
import { fitStatistics } from './least-squares';

export interface TimeOfWeekRow {
  /** start of the hour (UTC instant) */
  ts: Date;
  /** 0 = Monday 00:00 local … 167 */
  localHourOfWeek: number;
  energyKwh: number;
}

export type TimeOfWeekPredictRow = Omit<TimeOfWeekRow, 'energyKwh'>;

export interface TimeOfWeekSegment {
  /** calendar month 1–12, or null for the annual model */
  month: number | null;
  /** α per hour of week, kWh per hour; null when that hour had no weight in training */
  hourOfWeekCoefficients: (number | null)[];
  /** estimated α's */
  parameters: number;
}

/** A fitted time-of-week model, JSON-serialisable. */
export interface TimeOfWeekModel {
  kind: 'time-of-week';
  hourOfWeekOrigin: 'monday-00:00';
  segmentation: 'single' | 'three-month-weighted';
  zone: string;
  segments: TimeOfWeekSegment[];
  /** training hours used */
  n: number;
  /** p: the estimated α's of all segments together */
  parameters: number;
  /** in-sample CV(RMSE) and NMBE (n − p), fractions, e = actual − predicted */
  cvRmse: number;
  nmbe: number;
}

export interface TimeOfWeekOptions {
  segmentation?: 'single' | 'three-month-weighted';
  /** IANA zone for calendar months; default 'UTC' */
  zone?: string;
  /** electricity zeros are missing (as in CalTRACK); default true */
  zeroEnergyIsMissing?: boolean;
}

const monthOf = (ts: Date, zone: string): number => DateTime.fromJSDate(ts, { zone }).month;

function isNeighbourMonth(month: number, other: number): boolean {
  const d = Math.abs(month - other) % 12;
  return d === 1 || d === 11;
}

function fitSegment(
  rows: readonly { how: number; energyKwh: number; month: number }[],
  weightOf: (month: number) => number,
  month: number | null,
): TimeOfWeekSegment {
  const sum = new Array<number>(HOURS_PER_WEEK).fill(0);
  const weight = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const r of rows) {
    const w = weightOf(r.month);
    if (w === 0) continue;
    sum[r.how] += w * r.energyKwh;
    weight[r.how] += w;
  }
  const hourOfWeekCoefficients = sum.map((s, how) => (weight[how] > 0 ? s / weight[how] : null));
  return {
    month,
    hourOfWeekCoefficients,
    parameters: hourOfWeekCoefficients.filter((a) => a !== null).length,
  };
}

function assertHourOfWeek(how: number): void {
  if (!(Number.isInteger(how) && how >= 0 && how < HOURS_PER_WEEK))
    throw new RangeError(`time-of-week: localHourOfWeek must be an integer 0–167, got ${how}`);
}

/** Fit the time-of-week model (see the file comment). */
export function fitTimeOfWeek(
  rows: readonly TimeOfWeekRow[],
  options: TimeOfWeekOptions = {},
): TimeOfWeekModel {
  const segmentation = options.segmentation ?? 'single';
  const zone = options.zone ?? 'UTC';
  const zeroIsMissing = options.zeroEnergyIsMissing ?? true;
  const prepared: { how: number; energyKwh: number; month: number }[] = [];
  for (const r of rows) {
    assertHourOfWeek(r.localHourOfWeek);
    if (!Number.isFinite(r.energyKwh) || (zeroIsMissing && r.energyKwh === 0)) continue;
    prepared.push({ how: r.localHourOfWeek, energyKwh: r.energyKwh, month: monthOf(r.ts, zone) });
  }
  if (prepared.length === 0) throw new RangeError('fitTimeOfWeek: no usable hours');
  const segments: TimeOfWeekSegment[] = [];
  if (segmentation === 'single') segments.push(fitSegment(prepared, () => 1, null));
  else {
    const months = [...new Set(prepared.map((r) => r.month))].sort((a, b) => a - b);
    for (const month of months)
      segments.push(
        fitSegment(prepared, (m) => (m === month ? 1 : isNeighbourMonth(month, m) ? 0.5 : 0), month),
      );
  }
  const parameters = segments.reduce((s, seg) => s + seg.parameters, 0);
  const model: TimeOfWeekModel = {
    kind: 'time-of-week',
    hourOfWeekOrigin: 'monday-00:00',
    segmentation,
    zone,
    segments,
    n: prepared.length,
    parameters,
    cvRmse: Number.NaN,
    nmbe: Number.NaN,
  };
  const predicted = prepared.map((r) => predictOne(model, r.how, r.month));
  const stats = fitStatistics(
    prepared.map((r) => r.energyKwh),
    predicted,
    parameters,
  );
  model.cvRmse = stats.cvRmse;
  model.nmbe = stats.nmbe;
  return model;
}

function predictOne(model: TimeOfWeekModel, how: number, month: number): number {
  const segment =
    model.segmentation === 'single' ? model.segments[0] : model.segments.find((s) => s.month === month);
  const alpha = segment?.hourOfWeekCoefficients[how];
  return alpha === null || alpha === undefined ? Number.NaN : alpha;
}

/** Predicted hourly energy; NaN for an hour of week (or a calendar month) the model never saw. */
export function predictTimeOfWeek(model: TimeOfWeekModel, rows: readonly TimeOfWeekPredictRow[]): number[] {
  return rows.map((r) => {
    assertHourOfWeek(r.localHourOfWeek);
    return predictOne(model, r.localHourOfWeek, monthOf(r.ts, model.zone));
  });
}

/** As towtAnnualModelCheck (caltrack.ts): one annual model when ≤ 2 months have |monthly NMBE| > 1 %. */
export function timeOfWeekAnnualModelCheck(
  model: TimeOfWeekModel,
  rows: readonly TimeOfWeekRow[],
): { allowed: boolean; monthlyNmbe: Record<number, number> } {
  return monthlyNmbeCheck(rows, predictTimeOfWeek(model, rows), (ts) => monthOf(ts, model.zone));
}
