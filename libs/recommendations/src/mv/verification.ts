/**
 * IPMVP Option C (whole-facility) savings verification, as a pure function.
 *
 * A CalTRACK baseline model (DOMAIN.md §3: hourly TOWT, or the daily HDD/CDD model) is fitted
 * on the baseline period (by design the 12 months before the measure), then driven with the
 * reporting period's weather to give the counterfactual: what the site would have used
 * without the measure. Avoided energy = counterfactual − actual (DOMAIN.md §3), its
 * fractional savings uncertainty per ASHRAE Guideline 14 (DOMAIN.md §2) at the requested
 * confidence and at 68 % for the G14 test, and the baseline's CV(RMSE) and NMBE (e = actual −
 * predicted, n − p). Non-routine events (periods the model should not see: a flood, a
 * temporary tenant, a metering fault) are removed from both periods.
 *
 * The G14 FSU formula underestimates the uncertainty of high-frequency models (LBNL-ETA/RMV2.0
 * issue #7): the result names the method next to the number, and the lag-1 autocorrelation
 * correction n' is always applied to hourly and daily residuals.
 */
import { DateTime } from 'luxon';
import {
  type CaltrackDailyModel,
  type TowtModel,
  fitCaltrackDaily,
  fitTowt,
  interpolateTemperatureGaps,
  localHourOfWeek,
  predictCaltrackDaily,
  predictTowt,
  towtAnnualModelCheck,
} from './caltrack';
import { type G14Result, meetsGuideline14 } from './g14';
import { fitStatistics } from './least-squares';
import {
  type TimeOfWeekModel,
  fitTimeOfWeek,
  predictTimeOfWeek,
  timeOfWeekAnnualModelCheck,
} from './time-of-week';
import { effectiveSampleSize, fractionalSavingsUncertainty, lag1Autocorrelation } from './uncertainty';

const MS_PER_HOUR = 3_600_000;

/** One hour of metered data: energy over [ts, ts + 1 h) and the outdoor temperature. */
export interface VerificationPoint {
  /** start of the hour, UTC instant */
  ts: Date;
  energyKwh: number;
  /** outdoor temperature, °C; null (or non-finite) when missing */
  temperatureC: number | null;
}

/** A period excluded from fitting and from the savings (half-open [from, to)). */
export interface NonRoutineEvent {
  from: Date;
  to: Date;
  description?: string;
}

export type VerificationResolution = 'hourly' | 'daily';

export interface VerifySavingsInput {
  /** hourly points before the measure (12 months by design) */
  baseline: readonly VerificationPoint[];
  /** hourly points after the measure */
  reporting: readonly VerificationPoint[];
  /** 'hourly' → CalTRACK hourly TOWT; 'daily' → CalTRACK daily model on local-day totals */
  resolution: VerificationResolution;
  /** the site's IANA zone: hour of week, local days and calendar months */
  zone: string;
  nonRoutineEvents?: readonly NonRoutineEvent[];
  /** two-sided confidence of `fractionalSavingsUncertainty`; default 0.9 */
  confidence?: number;
  /** gas baselines get no cooling term (daily model); default 'electricity' */
  fuel?: 'electricity' | 'gas';
  /**
   * Hourly model segmentation. 'auto' (default): one annual model when CalTRACK allows it
   * (≤ 2 months with monthly |NMBE| > 1 %) or when the baseline lacks a calendar month of
   * the reporting period; otherwise one model per month, neighbours weighted 0.5.
   */
  segmentation?: 'auto' | 'single' | 'three-month-weighted';
  /**
   * 'auto' (default): the temperature model when outdoor temperature covers at least
   * {@link MIN_TEMPERATURE_COVERAGE} of the baseline's and of the reporting period's hours
   * (after CalTRACK's ≤ 6 h interpolation); otherwise the time-of-week model without
   * temperature (time-of-week.ts), whose result is not weather-normalised.
   * 'temperature' insists on the temperature model; 'time-of-week' ignores temperatures.
   */
  model?: 'auto' | 'temperature' | 'time-of-week';
}

/** Share of hours with a temperature below which 'auto' verifies without temperature (CalTRACK's 90 % sufficiency). */
export const MIN_TEMPERATURE_COVERAGE = 0.9;

export interface VerificationSeriesPoint {
  /** start of the local day, ISO 8601 with offset */
  ts: string;
  counterfactualKwh: number;
  actualKwh: number;
}

export interface VerificationMethod {
  model: 'caltrack-towt-hourly' | 'caltrack-daily' | 'time-of-week-hourly';
  /** for the hourly model: 'single' or 'three-month-weighted' */
  segmentation: 'single' | 'three-month-weighted' | null;
  /** daily model type, e.g. 'hdd_cdd' */
  dailyModelType: string | null;
  uncertainty: 'ashrae-g14';
  /** lag-1 autocorrelation of the baseline residuals */
  residualAutocorrelation: number;
  autocorrelationCorrected: boolean;
  /** effective baseline points n' */
  effectiveBaselinePoints: number;
  /** model parameters p */
  parameters: number;
  /** baseline and reporting points used (n, m) */
  baselinePoints: number;
  reportingPoints: number;
  /** share of the baseline's and the reporting period's hours with an outdoor temperature (after ≤ 6 h interpolation) */
  temperatureCoverage: { baseline: number; reporting: number };
}

export interface VerificationResult {
  baselineFrom: Date;
  /** exclusive end: the start of the hour after the last baseline point */
  baselineTo: Date;
  reportingFrom: Date;
  reportingTo: Date;
  resolution: VerificationResolution;
  /**
   * false when the baseline model has no temperature (the time-of-week model): weather
   * differences between the periods are then part of the "saving". Shown with `label`.
   */
  weatherNormalised: boolean;
  /** 'weather-normalised' or 'not weather-normalised', for the API and the portal */
  label: 'weather-normalised' | 'not weather-normalised';
  /** fractions, G14 convention (n − p), e = actual − predicted */
  baselineCvRmse: number;
  baselineNmbe: number;
  /** Σ model prediction over the reporting points used */
  counterfactualKwh: number;
  /** Σ actual over the same points */
  actualKwh: number;
  /** avoided energy = counterfactual − actual */
  verifiedSavingKwh: number;
  /** verifiedSavingKwh ÷ counterfactualKwh */
  savingsFraction: number;
  confidence: number;
  /** FSU at `confidence` (0.9 by default), fraction of the saving; null when the saving is not positive */
  fractionalSavingsUncertainty: number | null;
  /** saving ± this many kWh at `confidence`; null when the saving is not positive */
  savingUncertaintyKwh: number | null;
  /** FSU at 68 %: the G14 test is < 0.5 */
  fsuAt68: number | null;
  meetsGuideline14: boolean;
  guideline14: G14Result;
  method: VerificationMethod;
  /** points dropped: non-routine events, missing energy, or hours the model cannot predict */
  excluded: { baselinePoints: number; reportingPoints: number };
  /** daily counterfactual and actual over the reporting period, for charting */
  counterfactualSeries: VerificationSeriesPoint[];
  warnings: string[];
}

interface Row {
  ts: Date;
  energyKwh: number;
  temperatureC: number;
}

interface Prepared {
  /** rows with energy and a temperature (for the temperature models) */
  rows: Row[];
  dropped: number;
  /** rows with energy, temperature or not (for the time-of-week model) */
  all: { ts: Date; energyKwh: number }[];
  droppedAll: number;
  /** rows.length ÷ all.length */
  temperatureCoverage: number;
}

function inEvent(ts: Date, events: readonly NonRoutineEvent[]): boolean {
  const t = ts.getTime();
  return events.some((e) => t >= e.from.getTime() && t < e.to.getTime());
}

/**
 * Sort, interpolate temperature gaps ≤ 6 h on the hourly grid (CalTRACK), and drop non-routine
 * events, missing energy and hours whose temperature stays missing.
 */
function prepare(points: readonly VerificationPoint[], events: readonly NonRoutineEvent[]): Prepared {
  const sorted = [...points].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  if (sorted.length === 0) return { rows: [], dropped: 0, all: [], droppedAll: 0, temperatureCoverage: 0 };
  const start = sorted[0].ts.getTime();
  const hours = Math.round((sorted[sorted.length - 1].ts.getTime() - start) / MS_PER_HOUR) + 1;
  const grid: (number | null)[] = new Array<number | null>(hours).fill(null);
  for (const p of sorted) {
    const i = Math.round((p.ts.getTime() - start) / MS_PER_HOUR);
    if (p.temperatureC !== null && Number.isFinite(p.temperatureC)) grid[i] = p.temperatureC;
  }
  const filled = interpolateTemperatureGaps(grid, 6);
  const rows: Row[] = [];
  const all: { ts: Date; energyKwh: number }[] = [];
  for (const p of sorted) {
    if (!Number.isFinite(p.energyKwh) || inEvent(p.ts, events)) continue;
    all.push({ ts: p.ts, energyKwh: p.energyKwh });
    const t = filled[Math.round((p.ts.getTime() - start) / MS_PER_HOUR)];
    if (t !== null) rows.push({ ts: p.ts, energyKwh: p.energyKwh, temperatureC: t });
  }
  return {
    rows,
    dropped: sorted.length - rows.length,
    all,
    droppedAll: sorted.length - all.length,
    temperatureCoverage: all.length === 0 ? 0 : rows.length / all.length,
  };
}

interface Day {
  key: string;
  start: DateTime;
  energyKwh: number;
  temperatureSum: number;
  hours: number;
}

/** Local-day totals, keeping only complete days (every hour of the local day present). */
function toDays(rows: readonly Row[], zone: string): Day[] {
  const days = new Map<string, Day>();
  for (const r of rows) {
    const local = DateTime.fromJSDate(r.ts, { zone });
    const key = local.toISODate()!;
    let day = days.get(key);
    if (!day) {
      day = { key, start: local.startOf('day'), energyKwh: 0, temperatureSum: 0, hours: 0 };
      days.set(key, day);
    }
    day.energyKwh += r.energyKwh;
    day.temperatureSum += r.temperatureC;
    day.hours++;
  }
  return [...days.values()]
    .filter((d) => d.hours === Math.round(d.start.plus({ days: 1 }).diff(d.start, 'hours').hours))
    .sort((a, b) => a.start.toMillis() - b.start.toMillis());
}

/**
 * Whether a month-by-month model leaves degrees of freedom for the G14 uncertainty: its p is
 * the sum of its twelve-odd segments' parameters (~12 × 180 for TOWT), and hourly residuals are
 * so autocorrelated that n' = n(1 − ρ)/(1 + ρ) is often a few hundred. When n' − p ≤ 0 the
 * savings uncertainty is undefined, and 'auto' keeps the annual model instead.
 */
function leavesDegreesOfFreedom(
  actual: readonly number[],
  predicted: readonly number[],
  parameters: number,
): { ok: boolean; nPrime: number } {
  const residuals: number[] = [];
  actual.forEach((y, i) => {
    if (Number.isFinite(predicted[i])) residuals.push(y - predicted[i]);
  });
  const rho = Math.max(0, lag1Autocorrelation(residuals));
  const nPrime = rho > 0 ? effectiveSampleSize(residuals.length, rho) : residuals.length;
  return { ok: nPrime - parameters > 0, nPrime };
}

const segmentedFallbackWarning = (nPrime: number, p: number) =>
  `the month-by-month model would be CalTRACK's choice (more than 2 months with |NMBE| > 1 % under the annual model), but its ${p} parameters exceed the ${nPrime.toFixed(0)} effective baseline hours n' (autocorrelated residuals), which leaves the savings uncertainty undefined: the annual model is used`;

function monthsOf(rows: readonly { ts: Date }[], zone: string): Set<number> {
  return new Set(rows.map((r) => DateTime.fromJSDate(r.ts, { zone }).month));
}

/** IPMVP Option C verification of a whole-facility saving (see the file comment). */
export function verifySavings(input: VerifySavingsInput): VerificationResult {
  const confidence = input.confidence ?? 0.9;
  const events = input.nonRoutineEvents ?? [];
  const warnings: string[] = [];
  if (input.baseline.length === 0 || input.reporting.length === 0)
    throw new RangeError('verifySavings: baseline and reporting need data');
  const span = (points: readonly VerificationPoint[]) => {
    const times = points.map((p) => p.ts.getTime());
    return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + MS_PER_HOUR) };
  };
  const baselineSpan = span(input.baseline);
  const reportingSpan = span(input.reporting);
  if (reportingSpan.from < baselineSpan.to)
    throw new RangeError('verifySavings: the reporting period must start after the baseline ends');
  const baselineDays = (baselineSpan.to.getTime() - baselineSpan.from.getTime()) / (24 * MS_PER_HOUR);
  if (baselineDays < 365 - 1e-9) {
    warnings.push(
      `baseline covers ${baselineDays.toFixed(0)} days, not the 12 months IPMVP Option C expects: weather outside its range is extrapolated`,
    );
  }

  const baseline = prepare(input.baseline, events);
  const reporting = prepare(input.reporting, events);

  let actualBaseline: number[];
  let predictedBaseline: number[];
  let actualReporting: number[];
  let predictedReporting: number[];
  let reportingKeys: { ts: Date; dayKey: string; dayStart: DateTime }[];
  let parameters: number;
  let cvRmse: number;
  let nmbe: number;
  let method: Pick<VerificationMethod, 'model' | 'segmentation' | 'dailyModelType'>;
  let droppedBaseline = baseline.dropped;
  let droppedReporting = reporting.dropped;

  const requestedModel = input.model ?? 'auto';
  const covered =
    baseline.temperatureCoverage >= MIN_TEMPERATURE_COVERAGE &&
    reporting.temperatureCoverage >= MIN_TEMPERATURE_COVERAGE;
  const withoutTemperature = requestedModel === 'time-of-week' || (requestedModel === 'auto' && !covered);
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  if (requestedModel === 'temperature' && !covered) {
    throw new RangeError(
      `verifySavings: outdoor temperature covers ${pct(baseline.temperatureCoverage)} of the baseline hours and ${pct(reporting.temperatureCoverage)} of the reporting hours; the temperature model needs ${pct(MIN_TEMPERATURE_COVERAGE)} of each`,
    );
  }
  if (withoutTemperature && input.resolution === 'daily')
    throw new RangeError(
      'verifySavings: the daily model needs outdoor temperature; verify hourly without it',
    );

  if (withoutTemperature) {
    if (requestedModel === 'auto') {
      warnings.push(
        `not weather-normalised: outdoor temperature covers ${pct(baseline.temperatureCoverage)} of the baseline hours and ${pct(reporting.temperatureCoverage)} of the reporting hours (the temperature model needs ${pct(MIN_TEMPERATURE_COVERAGE)}), so the baseline is a time-of-week model without temperature: a reporting period warmer or colder than the baseline's same months counts in the saving`,
      );
    } else warnings.push('not weather-normalised: the time-of-week model without temperature was asked for');
    droppedBaseline = baseline.droppedAll;
    droppedReporting = reporting.droppedAll;
    const toTow = (r: { ts: Date; energyKwh: number }) => ({
      ts: r.ts,
      localHourOfWeek: localHourOfWeek(r.ts, input.zone),
      energyKwh: r.energyKwh,
    });
    const trainRows = baseline.all.filter((r) => r.energyKwh !== 0).map(toTow);
    droppedBaseline += baseline.all.length - trainRows.length;
    if (trainRows.length < 24 * 7 * 4)
      throw new RangeError(
        `verifySavings: ${trainRows.length} usable baseline hours; need at least four weeks`,
      );
    let model: TimeOfWeekModel = fitTimeOfWeek(trainRows, { segmentation: 'single', zone: input.zone });
    const requested = input.segmentation ?? 'auto';
    const baselineMonths = monthsOf(baseline.all, input.zone);
    const everyReportingMonthKnown = [...monthsOf(reporting.all, input.zone)].every((m) =>
      baselineMonths.has(m),
    );
    if (
      requested === 'three-month-weighted' ||
      (requested === 'auto' &&
        everyReportingMonthKnown &&
        !timeOfWeekAnnualModelCheck(model, trainRows).allowed)
    ) {
      if (!everyReportingMonthKnown)
        throw new RangeError(
          'verifySavings: three-month-weighted models need every reporting month in the baseline',
        );
      const segmented = fitTimeOfWeek(trainRows, { segmentation: 'three-month-weighted', zone: input.zone });
      const dof = leavesDegreesOfFreedom(
        trainRows.map((r) => r.energyKwh),
        predictTimeOfWeek(segmented, trainRows),
        segmented.parameters,
      );
      if (requested === 'auto' && !dof.ok)
        warnings.push(segmentedFallbackWarning(dof.nPrime, segmented.parameters));
      else model = segmented;
    }
    const baselinePredicted = predictTimeOfWeek(model, trainRows);
    const okBaseline = baselinePredicted.map((p) => Number.isFinite(p));
    actualBaseline = trainRows.filter((_, i) => okBaseline[i]).map((r) => r.energyKwh);
    predictedBaseline = baselinePredicted.filter((_, i) => okBaseline[i]);
    const predicted = predictTimeOfWeek(model, reporting.all.map(toTow));
    const keep = predicted.map((p) => Number.isFinite(p));
    droppedReporting += keep.filter((k) => !k).length;
    const kept = reporting.all.filter((_, i) => keep[i]);
    actualReporting = kept.map((r) => r.energyKwh);
    predictedReporting = predicted.filter((_, i) => keep[i]);
    reportingKeys = kept.map((r) => {
      const dayStart = DateTime.fromJSDate(r.ts, { zone: input.zone }).startOf('day');
      return { ts: r.ts, dayKey: dayStart.toISODate()!, dayStart };
    });
    parameters = model.parameters;
    cvRmse = model.cvRmse;
    nmbe = model.nmbe;
    method = { model: 'time-of-week-hourly', segmentation: model.segmentation, dailyModelType: null };
  } else if (input.resolution === 'hourly') {
    const toTowt = (r: Row) => ({
      ts: r.ts,
      localHourOfWeek: localHourOfWeek(r.ts, input.zone),
      temperatureC: r.temperatureC,
      energyKwh: r.energyKwh,
    });
    const trainRows = baseline.rows.filter((r) => r.energyKwh !== 0).map(toTowt); // CalTRACK: electricity zeros are missing
    droppedBaseline += baseline.rows.length - trainRows.length;
    if (trainRows.length < 24 * 7 * 4)
      throw new RangeError(
        `verifySavings: ${trainRows.length} usable baseline hours; need at least four weeks`,
      );
    let model: TowtModel = fitTowt(trainRows, { segmentation: 'single', zone: input.zone });
    const requested = input.segmentation ?? 'auto';
    const baselineMonths = monthsOf(baseline.rows, input.zone);
    const everyReportingMonthKnown = [...monthsOf(reporting.rows, input.zone)].every((m) =>
      baselineMonths.has(m),
    );
    if (
      requested === 'three-month-weighted' ||
      (requested === 'auto' && everyReportingMonthKnown && !towtAnnualModelCheck(model, trainRows).allowed)
    ) {
      if (!everyReportingMonthKnown)
        throw new RangeError(
          'verifySavings: three-month-weighted models need every reporting month in the baseline',
        );
      const segmented = fitTowt(trainRows, { segmentation: 'three-month-weighted', zone: input.zone });
      const dof = leavesDegreesOfFreedom(
        trainRows.map((r) => r.energyKwh),
        predictTowt(segmented, trainRows),
        segmented.parameters,
      );
      if (requested === 'auto' && !dof.ok)
        warnings.push(segmentedFallbackWarning(dof.nPrime, segmented.parameters));
      else model = segmented;
    }
    const baselinePredicted = predictTowt(model, trainRows);
    const okBaseline = baselinePredicted.map((p) => Number.isFinite(p));
    actualBaseline = trainRows.filter((_, i) => okBaseline[i]).map((r) => r.energyKwh);
    predictedBaseline = baselinePredicted.filter((_, i) => okBaseline[i]);
    const reportingTowt = reporting.rows.map(toTowt);
    const predicted = predictTowt(model, reportingTowt);
    const keep = predicted.map((p) => Number.isFinite(p));
    droppedReporting += keep.filter((k) => !k).length;
    actualReporting = reporting.rows.filter((_, i) => keep[i]).map((r) => r.energyKwh);
    predictedReporting = predicted.filter((_, i) => keep[i]);
    reportingKeys = reporting.rows
      .filter((_, i) => keep[i])
      .map((r) => {
        const dayStart = DateTime.fromJSDate(r.ts, { zone: input.zone }).startOf('day');
        return { ts: r.ts, dayKey: dayStart.toISODate()!, dayStart };
      });
    parameters = model.parameters;
    cvRmse = model.cvRmse;
    nmbe = model.nmbe;
    method = { model: 'caltrack-towt-hourly', segmentation: model.segmentation, dailyModelType: null };
  } else {
    const baseDays = toDays(baseline.rows, input.zone);
    const repDays = toDays(reporting.rows, input.zone);
    droppedBaseline += baseline.rows.length - baseDays.reduce((s, d) => s + d.hours, 0);
    droppedReporting += reporting.rows.length - repDays.reduce((s, d) => s + d.hours, 0);
    if (baseDays.length < 30)
      throw new RangeError(`verifySavings: ${baseDays.length} complete baseline days; need at least 30`);
    const model: CaltrackDailyModel = fitCaltrackDaily(
      baseDays.map((d) => ({ energyKwh: d.energyKwh, temperatureC: d.temperatureSum / d.hours })),
      { fuel: input.fuel ?? 'electricity' },
    );
    actualBaseline = baseDays.map((d) => d.energyKwh);
    predictedBaseline = predictCaltrackDaily(
      model,
      baseDays.map((d) => d.temperatureSum / d.hours),
    );
    actualReporting = repDays.map((d) => d.energyKwh);
    predictedReporting = predictCaltrackDaily(
      model,
      repDays.map((d) => d.temperatureSum / d.hours),
    );
    reportingKeys = repDays.map((d) => ({ ts: d.start.toJSDate(), dayKey: d.key, dayStart: d.start }));
    parameters = model.parameters;
    cvRmse = model.cvRmse;
    nmbe = model.nmbe;
    method = { model: 'caltrack-daily', segmentation: null, dailyModelType: model.modelType };
  }

  // Recompute the fit statistics on exactly the points used (equal to the model's own for the daily model).
  const stats = fitStatistics(actualBaseline, predictedBaseline, parameters);
  if (Number.isFinite(stats.cvRmse)) {
    cvRmse = stats.cvRmse;
    nmbe = stats.nmbe;
  }
  const residuals = actualBaseline.map((y, i) => y - predictedBaseline[i]);
  const rho = lag1Autocorrelation(residuals);

  const counterfactualKwh = predictedReporting.reduce((s, v) => s + v, 0);
  const actualKwh = actualReporting.reduce((s, v) => s + v, 0);
  const verifiedSavingKwh = counterfactualKwh - actualKwh;
  const savingsFraction = verifiedSavingKwh / counterfactualKwh;
  const n = actualBaseline.length;
  const m = actualReporting.length;
  if (m === 0) throw new RangeError('verifySavings: no reporting points the model can predict');

  const common = {
    n,
    p: parameters,
    rho,
    m,
    cvRmse,
    savingsFraction,
    method: 'ashrae-g14' as const,
    monthly: false,
  };
  let fsu: number | null = null;
  let fsuAt68: number | null = null;
  let terms = { nPrime: n, autocorrelationCorrected: false };
  if (savingsFraction > 0) {
    try {
      const atConfidence = fractionalSavingsUncertainty({ ...common, confidence });
      fsu = atConfidence.fsu;
      fsuAt68 = fractionalSavingsUncertainty({ ...common, confidence: 0.68 }).fsu;
      terms = atConfidence;
    } catch (e) {
      if (!(e instanceof RangeError && /degrees of freedom/.test(e.message))) throw e;
      // Hourly residuals this autocorrelated leave fewer effective points than parameters.
      const nPrime = rho > 0 ? effectiveSampleSize(n, Math.min(rho, 1 - 1e-12)) : n;
      terms = { nPrime, autocorrelationCorrected: rho > 0 };
      warnings.push(
        `the savings uncertainty is undefined: the baseline residuals are so autocorrelated (ρ = ${rho.toFixed(3)}) that its ${n} hours count as ${nPrime.toFixed(0)} independent points, no more than the model's ${parameters} parameters; the saving is not verified under ASHRAE Guideline 14`,
      );
    }
  } else {
    warnings.push('no positive saving: the fractional savings uncertainty is undefined');
  }
  const guideline14 = meetsGuideline14({
    resolution: input.resolution,
    cvRmse,
    nmbe,
    fsuAt68: fsuAt68 ?? Number.NaN,
  });

  const byDay = new Map<string, VerificationSeriesPoint>();
  reportingKeys.forEach((k, i) => {
    let point = byDay.get(k.dayKey);
    if (!point) {
      point = { ts: k.dayStart.toISO()!, counterfactualKwh: 0, actualKwh: 0 };
      byDay.set(k.dayKey, point);
    }
    point.counterfactualKwh += predictedReporting[i];
    point.actualKwh += actualReporting[i];
  });

  return {
    baselineFrom: baselineSpan.from,
    baselineTo: baselineSpan.to,
    reportingFrom: reportingSpan.from,
    reportingTo: reportingSpan.to,
    resolution: input.resolution,
    weatherNormalised: !withoutTemperature,
    label: withoutTemperature ? 'not weather-normalised' : 'weather-normalised',
    baselineCvRmse: cvRmse,
    baselineNmbe: nmbe,
    counterfactualKwh,
    actualKwh,
    verifiedSavingKwh,
    savingsFraction,
    confidence,
    fractionalSavingsUncertainty: fsu,
    savingUncertaintyKwh: fsu === null ? null : fsu * verifiedSavingKwh,
    fsuAt68,
    meetsGuideline14: guideline14.meets,
    guideline14,
    method: {
      ...method,
      uncertainty: 'ashrae-g14',
      residualAutocorrelation: rho,
      autocorrelationCorrected: terms.autocorrelationCorrected,
      effectiveBaselinePoints: terms.nPrime,
      parameters,
      baselinePoints: n,
      reportingPoints: m,
      temperatureCoverage: {
        baseline: baseline.temperatureCoverage,
        reporting: reporting.temperatureCoverage,
      },
    },
    excluded: { baselinePoints: droppedBaseline, reportingPoints: droppedReporting },
    counterfactualSeries: [...byDay.values()],
    warnings,
  };
}
