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
import { type G14Result, meetsGuideline14 } from './g14';
import { fitStatistics } from './least-squares';
import { effectiveSampleSize, fractionalSavingsUncertainty, lag1Autocorrelation } from './uncertainty';
import { MS_PER_HOUR, type Prepared, prepare } from './verification-data';
import {
  type ModelFit,
  fitDailyBaseline,
  fitTimeOfWeekBaseline,
  fitTowtBaseline,
} from './verification-models';

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

const span = (points: readonly VerificationPoint[]) => {
  const times = points.map((p) => p.ts.getTime());
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + MS_PER_HOUR) };
};

/** The two periods' spans; throws when either is empty or they overlap, warns when the baseline is short of a year. */
function periods(input: VerifySavingsInput, warnings: string[]) {
  if (input.baseline.length === 0 || input.reporting.length === 0)
    throw new RangeError('verifySavings: baseline and reporting need data');
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
  return { baselineSpan, reportingSpan };
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/**
 * Whether to verify without temperature (the time-of-week model): when asked, or under 'auto'
 * when outdoor temperature covers too few hours; throws when the request cannot be met.
 */
function withoutTemperature(
  input: VerifySavingsInput,
  baseline: Prepared,
  reporting: Prepared,
  warnings: string[],
): boolean {
  const requestedModel = input.model ?? 'auto';
  const covered =
    baseline.temperatureCoverage >= MIN_TEMPERATURE_COVERAGE &&
    reporting.temperatureCoverage >= MIN_TEMPERATURE_COVERAGE;
  const without = requestedModel === 'time-of-week' || (requestedModel === 'auto' && !covered);
  if (requestedModel === 'temperature' && !covered) {
    throw new RangeError(
      `verifySavings: outdoor temperature covers ${pct(baseline.temperatureCoverage)} of the baseline hours and ${pct(reporting.temperatureCoverage)} of the reporting hours; the temperature model needs ${pct(MIN_TEMPERATURE_COVERAGE)} of each`,
    );
  }
  if (without && input.resolution === 'daily')
    throw new RangeError(
      'verifySavings: the daily model needs outdoor temperature; verify hourly without it',
    );
  if (!without) return false;
  if (requestedModel === 'auto') {
    warnings.push(
      `not weather-normalised: outdoor temperature covers ${pct(baseline.temperatureCoverage)} of the baseline hours and ${pct(reporting.temperatureCoverage)} of the reporting hours (the temperature model needs ${pct(MIN_TEMPERATURE_COVERAGE)}), so the baseline is a time-of-week model without temperature: a reporting period warmer or colder than the baseline's same months counts in the saving`,
    );
  } else warnings.push('not weather-normalised: the time-of-week model without temperature was asked for');
  return true;
}

/** The G14 fractional savings uncertainty at the confidence asked for and at 68 %, or why it is undefined. */
function savingsUncertainty(
  common: Omit<Parameters<typeof fractionalSavingsUncertainty>[0], 'confidence'>,
  confidence: number,
  warnings: string[],
): {
  fsu: number | null;
  fsuAt68: number | null;
  terms: { nPrime: number; autocorrelationCorrected: boolean };
} {
  const { n, rho, p } = common;
  if (!(common.savingsFraction > 0)) {
    warnings.push('no positive saving: the fractional savings uncertainty is undefined');
    return { fsu: null, fsuAt68: null, terms: { nPrime: n, autocorrelationCorrected: false } };
  }
  try {
    const atConfidence = fractionalSavingsUncertainty({ ...common, confidence });
    const fsuAt68 = fractionalSavingsUncertainty({ ...common, confidence: 0.68 }).fsu;
    return { fsu: atConfidence.fsu, fsuAt68, terms: atConfidence };
  } catch (e) {
    if (!(e instanceof RangeError && /degrees of freedom/.test(e.message))) throw e;
    // Hourly residuals this autocorrelated leave fewer effective points than parameters.
    const nPrime = rho > 0 ? effectiveSampleSize(n, Math.min(rho, 1 - 1e-12)) : n;
    warnings.push(
      `the savings uncertainty is undefined: the baseline residuals are so autocorrelated (ρ = ${rho.toFixed(3)}) that its ${n} hours count as ${nPrime.toFixed(0)} independent points, no more than the model's ${p} parameters; the saving is not verified under ASHRAE Guideline 14`,
    );
    return { fsu: null, fsuAt68: null, terms: { nPrime, autocorrelationCorrected: rho > 0 } };
  }
}

/** Daily counterfactual and actual over the reporting points used, for charting. */
function dailySeries(fit: ModelFit): VerificationSeriesPoint[] {
  const byDay = new Map<string, VerificationSeriesPoint>();
  fit.reportingKeys.forEach((k, i) => {
    let point = byDay.get(k.dayKey);
    if (!point) {
      point = { ts: k.dayStart.toISO()!, counterfactualKwh: 0, actualKwh: 0 };
      byDay.set(k.dayKey, point);
    }
    point.counterfactualKwh += fit.predictedReporting[i];
    point.actualKwh += fit.actualReporting[i];
  });
  return [...byDay.values()];
}

/**
 * CV(RMSE) and NMBE recomputed on exactly the baseline points used (equal to the model's own for
 * the daily model), and the lag-1 autocorrelation of the residuals.
 */
function baselineStatistics(fit: ModelFit): { cvRmse: number; nmbe: number; rho: number } {
  const stats = fitStatistics(fit.actualBaseline, fit.predictedBaseline, fit.parameters);
  const ok = Number.isFinite(stats.cvRmse);
  return {
    cvRmse: ok ? stats.cvRmse : fit.cvRmse,
    nmbe: ok ? stats.nmbe : fit.nmbe,
    rho: lag1Autocorrelation(fit.actualBaseline.map((y, i) => y - fit.predictedBaseline[i])),
  };
}

/** IPMVP Option C verification of a whole-facility saving (see the file comment). */
export function verifySavings(input: VerifySavingsInput): VerificationResult {
  const confidence = input.confidence ?? 0.9;
  const events = input.nonRoutineEvents ?? [];
  const warnings: string[] = [];
  const { baselineSpan, reportingSpan } = periods(input, warnings);
  const baseline = prepare(input.baseline, events);
  const reporting = prepare(input.reporting, events);
  const noTemperature = withoutTemperature(input, baseline, reporting, warnings);
  const fit = noTemperature
    ? fitTimeOfWeekBaseline(baseline, reporting, input, warnings)
    : input.resolution === 'hourly'
      ? fitTowtBaseline(baseline, reporting, input, warnings)
      : fitDailyBaseline(baseline, reporting, input);
  const { actualBaseline, actualReporting, predictedReporting, parameters } = fit;

  const { cvRmse, nmbe, rho } = baselineStatistics(fit);

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
  const { fsu, fsuAt68, terms } = savingsUncertainty(common, confidence, warnings);
  const guideline14 = meetsGuideline14({
    resolution: input.resolution,
    cvRmse,
    nmbe,
    fsuAt68: fsuAt68 ?? Number.NaN,
  });

  return {
    baselineFrom: baselineSpan.from,
    baselineTo: baselineSpan.to,
    reportingFrom: reportingSpan.from,
    reportingTo: reportingSpan.to,
    resolution: input.resolution,
    weatherNormalised: !noTemperature,
    label: noTemperature ? 'not weather-normalised' : 'weather-normalised',
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
      ...fit.method,
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
    excluded: { baselinePoints: fit.droppedBaseline, reportingPoints: fit.droppedReporting },
    counterfactualSeries: dailySeries(fit),
    warnings,
  };
}
