/**
 * Quantile regression averaging (QRA, Nowotarski & Weron 2015): the τ quantile of the target
 * as an intercept plus a linear combination of member forecasts of that quantile, the weights
 * fitted by minimising the pinball loss on a validation period the members did not train on.
 * Fitted by iteratively reweighted least squares (each row weighted by its pinball slope over
 * its absolute residual), which converges to the quantile-regression solution for the few
 * members used here; a small ridge keeps collinear members (bagged copies) solvable.
 */
import { pinballLoss } from './metrics';

export interface QraFit {
  /** [intercept, weight of member 0, weight of member 1, …]. */
  weights: number[];
  /** Mean pinball loss of the fitted combination on the rows it was fitted on. */
  pinball: number;
}

/** Solves the symmetric positive definite system a·x = b (n × n, row-major) by Gaussian elimination. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      if (f !== 0) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Value of a QRA combination for one row of member forecasts. */
export function applyQra(weights: readonly number[], members: ArrayLike<number>): number {
  let v = weights[0];
  for (let k = 0; k < members.length; k++) v += weights[k + 1] * members[k];
  return v;
}

/**
 * Fits the τ = `alpha` QRA weights of `members` (members[k][r]: member k's forecast for row r)
 * to `y`. Starts from the members' plain mean (intercept 0, weights 1/K) and keeps it if the
 * fit does not lower the pinball loss.
 */
export function fitQra(
  y: ArrayLike<number>,
  members: ArrayLike<number>[],
  alpha: number,
  options: { iterations?: number; ridge?: number; epsilon?: number } = {},
): QraFit {
  const { iterations = 60, ridge = 1e-6, epsilon = 1e-5 } = options;
  const k = members.length;
  const rows = y.length;
  if (k === 0 || members.some((m) => m.length !== rows))
    throw new RangeError('fitQra: members must be non-empty and as long as y');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('fitQra: alpha must be in (0, 1)');
  const row = new Float64Array(k);
  const loss = (w: readonly number[]): number => {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) row[j] = members[j][r];
      s += pinballLoss(y[r], applyQra(w, row), alpha);
    }
    return rows ? s / rows : 0;
  };
  const start = [0, ...new Array<number>(k).fill(1 / k)];
  let best = { weights: start, pinball: loss(start) };
  if (rows < 2 * (k + 1)) return best;
  let w = start;
  for (let it = 0; it < iterations; it++) {
    const a = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    const b = new Array<number>(k + 1).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) row[j] = members[j][r];
      const res = y[r] - applyQra(w, row);
      const c = (res >= 0 ? alpha : 1 - alpha) / Math.max(epsilon, Math.abs(res));
      for (let i = 0; i <= k; i++) {
        const xi = i === 0 ? 1 : row[i - 1];
        b[i] += c * xi * y[r];
        for (let j = 0; j <= k; j++) a[i][j] += c * xi * (j === 0 ? 1 : row[j - 1]);
      }
    }
    const scale = a[0][0] / (k + 1);
    for (let i = 0; i <= k; i++) a[i][i] += ridge * scale;
    w = solve(a, b);
    if (w.some((v) => !Number.isFinite(v))) break;
    const l = loss(w);
    if (l < best.pinball) best = { weights: w, pinball: l };
  }
  return best;
}
