/**
 * The baseline models of the M&V verification, each fitted on the baseline and driven with the
 * reporting period: the hourly TOWT and time-of-week models (one annual model, or one per month
 * when CalTRACK's annual-model test fails and the degrees of freedom allow it) and the daily
 * HDD/CDD model on complete local days. Each gives the same {@link ModelFit}.
 */
import { DateTime } from 'luxon';
import {
  type TowtModel,
  type TowtRow,
  fitCaltrackDaily,
  fitTowt,
  localHourOfWeek,
  predictCaltrackDaily,
  predictTowt,
  towtAnnualModelCheck,
} from './caltrack';
import {
  type TimeOfWeekModel,
  type TimeOfWeekRow,
  fitTimeOfWeek,
  predictTimeOfWeek,
  timeOfWeekAnnualModelCheck,
} from './time-of-week';
import { effectiveSampleSize, lag1Autocorrelation } from './uncertainty';
import { type Prepared, type Row, toDays } from './verification-data';
import type { VerificationMethod, VerifySavingsInput } from './verification';

/** A baseline model's predictions next to the actual values on the points it can predict. */
export interface ModelFit {
  actualBaseline: number[];
  predictedBaseline: number[];
  actualReporting: number[];
  predictedReporting: number[];
  /** for each reporting point: its instant and local day (for the daily chart) */
  reportingKeys: { ts: Date; dayKey: string; dayStart: DateTime }[];
  parameters: number;
  cvRmse: number;
  nmbe: number;
  method: Pick<VerificationMethod, 'model' | 'segmentation' | 'dailyModelType'>;
  droppedBaseline: number;
  droppedReporting: number;
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

type Segmentation = 'single' | 'three-month-weighted';

/** What the hourly fit needs of a model family (TOWT or time-of-week). */
interface HourlyModelKit<R extends { ts: Date; energyKwh: number }, M> {
  fit(rows: R[], segmentation: Segmentation): M;
  predict(model: M, rows: R[]): number[];
  annualModelAllowed(model: M, rows: R[]): boolean;
  method: 'caltrack-towt-hourly' | 'time-of-week-hourly';
}

type HourlyModel = { parameters: number; cvRmse: number; nmbe: number; segmentation: Segmentation };

/**
 * The annual model, or the month-by-month one when asked for, or when 'auto' finds the annual
 * model fails CalTRACK's monthly NMBE test, every reporting month is in the baseline and the
 * degrees of freedom allow it (else a warning says why the annual model is kept).
 */
function chooseSegmentation<R extends { ts: Date; energyKwh: number }, M extends HourlyModel>(
  kit: HourlyModelKit<R, M>,
  trainRows: R[],
  monthsKnown: boolean,
  requested: 'auto' | Segmentation,
  warnings: string[],
): M {
  const single = kit.fit(trainRows, 'single');
  const segment =
    requested === 'three-month-weighted' ||
    (requested === 'auto' && monthsKnown && !kit.annualModelAllowed(single, trainRows));
  if (!segment) return single;
  if (!monthsKnown)
    throw new RangeError(
      'verifySavings: three-month-weighted models need every reporting month in the baseline',
    );
  const segmented = kit.fit(trainRows, 'three-month-weighted');
  const dof = leavesDegreesOfFreedom(
    trainRows.map((r) => r.energyKwh),
    kit.predict(segmented, trainRows),
    segmented.parameters,
  );
  if (requested === 'auto' && !dof.ok) {
    warnings.push(segmentedFallbackWarning(dof.nPrime, segmented.parameters));
    return single;
  }
  return segmented;
}

/**
 * An hourly model fitted on the baseline hours (zeros left out: CalTRACK treats electricity zeros
 * as missing) and driven with the reporting hours; hours it cannot predict are dropped.
 */
function fitHourly<
  P extends { ts: Date; energyKwh: number },
  R extends { ts: Date; energyKwh: number },
  M extends HourlyModel,
>(
  kit: HourlyModelKit<R, M>,
  data: { baseline: readonly P[]; reporting: readonly P[]; dropped: { baseline: number; reporting: number } },
  toRow: (p: P) => R,
  input: VerifySavingsInput,
  warnings: string[],
): ModelFit {
  const trainRows = data.baseline.filter((r) => r.energyKwh !== 0).map(toRow);
  const droppedBaseline = data.dropped.baseline + data.baseline.length - trainRows.length;
  if (trainRows.length < 24 * 7 * 4)
    throw new RangeError(
      `verifySavings: ${trainRows.length} usable baseline hours; need at least four weeks`,
    );
  const baselineMonths = monthsOf(data.baseline, input.zone);
  const monthsKnown = [...monthsOf(data.reporting, input.zone)].every((m) => baselineMonths.has(m));
  const model = chooseSegmentation(kit, trainRows, monthsKnown, input.segmentation ?? 'auto', warnings);
  const baselinePredicted = kit.predict(model, trainRows);
  const okBaseline = baselinePredicted.map((p) => Number.isFinite(p));
  const predicted = kit.predict(model, data.reporting.map(toRow));
  const keep = predicted.map((p) => Number.isFinite(p));
  const kept = data.reporting.filter((_, i) => keep[i]);
  return {
    actualBaseline: trainRows.filter((_, i) => okBaseline[i]).map((r) => r.energyKwh),
    predictedBaseline: baselinePredicted.filter((_, i) => okBaseline[i]),
    actualReporting: kept.map((r) => r.energyKwh),
    predictedReporting: predicted.filter((_, i) => keep[i]),
    reportingKeys: kept.map((r) => {
      const dayStart = DateTime.fromJSDate(r.ts, { zone: input.zone }).startOf('day');
      return { ts: r.ts, dayKey: dayStart.toISODate()!, dayStart };
    }),
    parameters: model.parameters,
    cvRmse: model.cvRmse,
    nmbe: model.nmbe,
    method: { model: kit.method, segmentation: model.segmentation, dailyModelType: null },
    droppedBaseline,
    droppedReporting: data.dropped.reporting + keep.filter((k) => !k).length,
  };
}

/** The time-of-week model without temperature, on every hour with energy. */
export function fitTimeOfWeekBaseline(
  baseline: Prepared,
  reporting: Prepared,
  input: VerifySavingsInput,
  warnings: string[],
): ModelFit {
  const zone = input.zone;
  return fitHourly<{ ts: Date; energyKwh: number }, TimeOfWeekRow, TimeOfWeekModel>(
    {
      fit: (rows, segmentation) => fitTimeOfWeek(rows, { segmentation, zone }),
      predict: predictTimeOfWeek,
      annualModelAllowed: (model, rows) => timeOfWeekAnnualModelCheck(model, rows).allowed,
      method: 'time-of-week-hourly',
    },
    {
      baseline: baseline.all,
      reporting: reporting.all,
      dropped: { baseline: baseline.droppedAll, reporting: reporting.droppedAll },
    },
    (r) => ({ ts: r.ts, localHourOfWeek: localHourOfWeek(r.ts, zone), energyKwh: r.energyKwh }),
    input,
    warnings,
  );
}

/** CalTRACK's hourly TOWT model, on the hours with energy and a temperature. */
export function fitTowtBaseline(
  baseline: Prepared,
  reporting: Prepared,
  input: VerifySavingsInput,
  warnings: string[],
): ModelFit {
  const zone = input.zone;
  return fitHourly<Row, TowtRow, TowtModel>(
    {
      fit: (rows, segmentation) => fitTowt(rows, { segmentation, zone }),
      predict: predictTowt,
      annualModelAllowed: (model, rows) => towtAnnualModelCheck(model, rows).allowed,
      method: 'caltrack-towt-hourly',
    },
    {
      baseline: baseline.rows,
      reporting: reporting.rows,
      dropped: { baseline: baseline.dropped, reporting: reporting.dropped },
    },
    (r: Row) => ({
      ts: r.ts,
      localHourOfWeek: localHourOfWeek(r.ts, zone),
      temperatureC: r.temperatureC,
      energyKwh: r.energyKwh,
    }),
    input,
    warnings,
  );
}

/** CalTRACK's daily HDD/CDD model on complete local days (incomplete days are dropped). */
export function fitDailyBaseline(
  baseline: Prepared,
  reporting: Prepared,
  input: VerifySavingsInput,
): ModelFit {
  const baseDays = toDays(baseline.rows, input.zone);
  const repDays = toDays(reporting.rows, input.zone);
  if (baseDays.length < 30)
    throw new RangeError(`verifySavings: ${baseDays.length} complete baseline days; need at least 30`);
  const model = fitCaltrackDaily(
    baseDays.map((d) => ({ energyKwh: d.energyKwh, temperatureC: d.temperatureSum / d.hours })),
    { fuel: input.fuel ?? 'electricity' },
  );
  return {
    actualBaseline: baseDays.map((d) => d.energyKwh),
    predictedBaseline: predictCaltrackDaily(
      model,
      baseDays.map((d) => d.temperatureSum / d.hours),
    ),
    actualReporting: repDays.map((d) => d.energyKwh),
    predictedReporting: predictCaltrackDaily(
      model,
      repDays.map((d) => d.temperatureSum / d.hours),
    ),
    reportingKeys: repDays.map((d) => ({ ts: d.start.toJSDate(), dayKey: d.key, dayStart: d.start })),
    parameters: model.parameters,
    cvRmse: model.cvRmse,
    nmbe: model.nmbe,
    method: { model: 'caltrack-daily', segmentation: null, dailyModelType: model.modelType },
    droppedBaseline: baseline.dropped + baseline.rows.length - baseDays.reduce((s, d) => s + d.hours, 0),
    droppedReporting: reporting.dropped + reporting.rows.length - repDays.reduce((s, d) => s + d.hours, 0),
  };
}
