/**
 * Forecast and model-fit metrics (DOMAIN.md §1).
 *
 * Conventions fixed here for the whole code base:
 * - residual eᵢ = actualᵢ − predictedᵢ (ASHRAE Guideline 14 / nmecr). eemeter uses the
 *   opposite sign, so a positive NMBE here means the model UNDER-predicts.
 * - every result is a FRACTION (0.026352 means 2.6352 %), never a percentage.
 * - callers pass aligned, finite arrays; a length mismatch or empty input throws RangeError.
 */

function assertAligned(name: string, actual: readonly number[], predicted: readonly number[]): void {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${name}: actual has ${actual.length} values but predicted has ${predicted.length}`);
  }
  if (actual.length === 0) throw new RangeError(`${name}: empty input`);
}

function assertLevel(name: string, level: number): void {
  if (!(level > 0 && level < 1))
    throw new RangeError(`${name}: quantile level must be in (0, 1), got ${level}`);
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Degrees of freedom n − p, which must be positive. */
function dof(name: string, n: number, parameters: number): number {
  if (!Number.isInteger(parameters) || parameters < 0) {
    throw new RangeError(`${name}: parameters must be a non-negative integer, got ${parameters}`);
  }
  if (n - parameters <= 0) throw new RangeError(`${name}: n − p must be > 0 (n=${n}, p=${parameters})`);
  return n - parameters;
}

/** Root-mean-square error √(Σe²/n), in the units of the data. */
export function rmse(actual: number[], predicted: number[]): number {
  assertAligned('rmse', actual, predicted);
  let sse = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - predicted[i];
    sse += e * e;
  }
  return Math.sqrt(sse / actual.length);
}

/**
 * Coefficient of variation of the RMSE, √(Σe²/(n−p)) / ȳ (DOMAIN.md §1; G14, nmecr,
 * CalTRACK §4.3.2.2). `parameters` = p, the number of model parameters; the default 0
 * gives the forecasting form √(mean e²)/mean(y) (eemeter). As a fraction.
 * CalTRACK counts p excluding the intercept — the caller decides what to pass.
 */
export function cvRmse(actual: number[], predicted: number[], parameters = 0): number {
  assertAligned('cvRmse', actual, predicted);
  const df = dof('cvRmse', actual.length, parameters);
  let sse = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - predicted[i];
    sse += e * e;
  }
  return Math.sqrt(sse / df) / mean(actual);
}

/**
 * Normalised mean bias error Σe / ((n−p)·ȳ), e = actual − predicted (DOMAIN.md §1, ◐ G14-2014
 * wording not confirmed ✘). With the default p = 0 this is Σe/Σy (eemeter's form, but with
 * the G14 sign). As a fraction.
 */
export function nmbe(actual: number[], predicted: number[], parameters = 0): number {
  assertAligned('nmbe', actual, predicted);
  const df = dof('nmbe', actual.length, parameters);
  let sumE = 0;
  for (let i = 0; i < actual.length; i++) sumE += actual[i] - predicted[i];
  return sumE / (df * mean(actual));
}

/**
 * Mean absolute percentage error mean(|eₜ/yₜ|) as a fraction (DOMAIN.md §1; eemeter reports
 * 100×). Returns null when any actual is 0, where MAPE is undefined.
 */
export function mape(actual: number[], predicted: number[]): number | null {
  assertAligned('mape', actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === 0) return null;
    sum += Math.abs((actual[i] - predicted[i]) / actual[i]);
  }
  return sum / actual.length;
}

/**
 * MASE scale (Hyndman & Koehler 2006; DOMAIN.md §1): the in-sample seasonal-naive MAE
 * (1/(T−m))·Σ_{t=m+1..T}|yₜ − y_{t−m}| on the training series. `seasonLag` = m ≥ 1
 * (1 = non-seasonal naive). Needs T > m.
 */
export function maseScale(train: number[], seasonLag: number): number {
  if (!Number.isInteger(seasonLag) || seasonLag < 1) {
    throw new RangeError(`maseScale: seasonLag must be a positive integer, got ${seasonLag}`);
  }
  if (train.length <= seasonLag) {
    throw new RangeError(
      `maseScale: training series of ${train.length} values is not longer than seasonLag ${seasonLag}`,
    );
  }
  let sum = 0;
  for (let t = seasonLag; t < train.length; t++) sum += Math.abs(train[t] - train[t - seasonLag]);
  return sum / (train.length - seasonLag);
}

/**
 * Mean absolute scaled error: mean|eⱼ| ÷ scale, with `scale` from {@link maseScale}.
 * Throws RangeError when the scale is not a positive finite number (a constant training
 * series makes MASE undefined).
 */
export function mase(actual: number[], predicted: number[], scale: number): number {
  assertAligned('mase', actual, predicted);
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new RangeError(`mase: scale must be a positive finite number, got ${scale}`);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / actual.length / scale;
}

/**
 * Pinball (quantile) loss ρ_p(y, q) = p(y − q) if y ≥ q, else (1 − p)(q − y)
 * (DOMAIN.md §1). NOT doubled: FPP3's quantile score is 2ρ.
 */
export function pinballLoss(actual: number, quantile: number, level: number): number {
  assertLevel('pinballLoss', level);
  return actual >= quantile ? level * (actual - quantile) : (1 - level) * (quantile - actual);
}

/**
 * Mean pinball loss over all points and levels; `quantiles[i][k]` is the forecast of
 * point i at `levels[k]`.
 */
export function meanPinball(actual: number[], quantiles: number[][], levels: number[]): number {
  if (actual.length !== quantiles.length) {
    throw new RangeError(
      `meanPinball: actual has ${actual.length} values but quantiles has ${quantiles.length} rows`,
    );
  }
  if (actual.length === 0 || levels.length === 0) throw new RangeError('meanPinball: empty input');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const row = quantiles[i];
    if (row.length !== levels.length) {
      throw new RangeError(
        `meanPinball: row ${i} has ${row.length} quantiles but there are ${levels.length} levels`,
      );
    }
    for (let k = 0; k < levels.length; k++) sum += pinballLoss(actual[i], row[k], levels[k]);
  }
  return sum / (actual.length * levels.length);
}

/**
 * CRPS approximated from K quantiles, (2/K)·Σₖ ρ_{pₖ}(y, q_{pₖ}) (DOMAIN.md §1, FPP3).
 * Converges to the exact CRPS as K → ∞ when pₖ = k/(K+1); with other levels it is the
 * same average, just a coarser approximation.
 */
export function crpsFromQuantiles(actual: number, levels: number[], values: number[]): number {
  if (levels.length !== values.length) {
    throw new RangeError(`crpsFromQuantiles: ${levels.length} levels but ${values.length} values`);
  }
  if (levels.length === 0) throw new RangeError('crpsFromQuantiles: empty input');
  let sum = 0;
  for (let k = 0; k < levels.length; k++) sum += pinballLoss(actual, values[k], levels[k]);
  return (2 / levels.length) * sum;
}

/**
 * Interval coverage: share of points with lower ≤ y ≤ upper (both inclusive), as a
 * fraction. For P10–P90 the nominal value is 0.8 (DOMAIN.md §1).
 */
export function coverage(actual: number[], lower: number[], upper: number[]): number {
  assertAligned('coverage', actual, lower);
  assertAligned('coverage', actual, upper);
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (lower[i] <= actual[i] && actual[i] <= upper[i]) inside++;
  return inside / actual.length;
}

/**
 * Skill score (S_ref − S_model)/S_ref for a loss-type score (lower is better; FPP3 §5.9):
 * 1 is perfect, 0 no better than the reference, negative worse. Throws RangeError when the
 * reference score is 0 (skill undefined).
 */
export function skillScore(referenceScore: number, modelScore: number): number {
  if (referenceScore === 0) throw new RangeError('skillScore: reference score is 0, skill is undefined');
  return (referenceScore - modelScore) / referenceScore;
}
