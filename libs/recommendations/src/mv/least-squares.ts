/**
 * Weighted least squares for the CalTRACK models (DOMAIN.md §3), via ml-matrix.
 *
 * Rows are sparse (index, value) lists so the 168-dummy TOWT design stays cheap: XᵀWX is
 * accumulated from the non-zeros only. Columns that never receive weight are dropped and get
 * coefficient 0 with `estimated = false`. The normal equations are solved by SVD
 * (pseudo-inverse), so an exactly collinear design still gives the minimum-norm solution
 * instead of throwing.
 */
import { Matrix, inverse, solve } from 'ml-matrix';

/** One design-matrix row as parallel arrays of column indices and values. */
export interface SparseRow {
  indices: number[];
  values: number[];
}

export interface LeastSquaresFit {
  coefficients: number[];
  /** false for columns with no weighted data (coefficient forced to 0) */
  estimated: boolean[];
  /** number of estimated columns */
  parameters: number;
}

export function denseRow(values: number[]): SparseRow {
  return { indices: values.map((_, i) => i), values };
}

/**
 * Minimise Σ wᵢ(yᵢ − xᵢβ)². `weights` default to 1; rows with weight 0 are ignored.
 */
export function weightedLeastSquares(
  rows: SparseRow[],
  y: number[],
  columns: number,
  weights?: number[],
): LeastSquaresFit {
  if (rows.length !== y.length || (weights && weights.length !== y.length)) {
    throw new RangeError('weightedLeastSquares: rows, y and weights must have the same length');
  }
  const xtwx = Array.from({ length: columns }, () => new Float64Array(columns));
  const xtwy = new Float64Array(columns);
  for (let r = 0; r < rows.length; r++) {
    const w = weights ? weights[r] : 1;
    if (w === 0) continue;
    const { indices, values } = rows[r];
    for (let a = 0; a < indices.length; a++) {
      const ia = indices[a];
      const wa = w * values[a];
      xtwy[ia] += wa * y[r];
      for (let b = 0; b < indices.length; b++) xtwx[ia][indices[b]] += wa * values[b];
    }
  }
  const kept: number[] = [];
  for (let c = 0; c < columns; c++) if (xtwx[c][c] > 0) kept.push(c);
  const coefficients = new Array<number>(columns).fill(0);
  const estimated = new Array<boolean>(columns).fill(false);
  if (kept.length === 0) return { coefficients, estimated, parameters: 0 };
  // Jacobi scaling (unit diagonal) keeps the SVD threshold meaningful when columns differ
  // in scale (0/1 dummies next to degree-hours).
  const scale = kept.map((c) => Math.sqrt(xtwx[c][c]));
  const a = new Matrix(kept.map((ci, i) => kept.map((cj, j) => xtwx[ci][cj] / (scale[i] * scale[j]))));
  const b = Matrix.columnVector(kept.map((c, i) => xtwy[c] / scale[i]));
  const solution = solve(a, b, true);
  kept.forEach((c, i) => {
    coefficients[c] = solution.get(i, 0) / scale[i];
    estimated[c] = true;
  });
  return { coefficients, estimated, parameters: kept.length };
}

export interface OlsWithInference {
  coefficients: number[];
  /** standard errors; 0 when the fit is exact */
  standardErrors: number[];
  residualSumOfSquares: number;
  totalSumOfSquares: number;
}

/**
 * Ordinary least squares for a small dense design (daily CalTRACK candidates) with the
 * standard errors needed for the coefficient p-values. Throws if XᵀX is singular.
 */
export function olsWithInference(x: number[][], y: number[]): OlsWithInference {
  const n = y.length;
  const k = x[0]?.length ?? 0;
  if (n === 0 || k === 0 || x.length !== n)
    throw new RangeError('olsWithInference: empty or misaligned design');
  const design = new Matrix(x);
  const xt = design.transpose();
  const xtxInverse = inverse(xt.mmul(design));
  const beta = xtxInverse.mmul(xt.mmul(Matrix.columnVector(y))).getColumn(0);
  let sse = 0;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    for (let j = 0; j < k; j++) fitted += x[i][j] * beta[j];
    sse += (y[i] - fitted) ** 2;
    sst += (y[i] - mean) ** 2;
  }
  const sigma2 = n > k ? sse / (n - k) : Number.NaN;
  const standardErrors = beta.map((_, j) => Math.sqrt(Math.max(0, sigma2 * xtxInverse.get(j, j))));
  return { coefficients: beta, standardErrors, residualSumOfSquares: sse, totalSumOfSquares: sst };
}

/**
 * In-sample CV(RMSE) √(Σe²/(n−p))/ȳ and NMBE Σe/((n−p)ȳ) with e = actual − predicted
 * (G14 convention, DOMAIN.md §1). Same formulas as @halve/forecasting's metrics, kept
 * local so the M&V maths does not load the forecasting lib (TF.js) at import time.
 */
export function fitStatistics(
  actual: number[],
  predicted: number[],
  parameters: number,
): { cvRmse: number; nmbe: number } {
  const n = actual.length;
  const df = n - parameters;
  if (df <= 0) return { cvRmse: Number.NaN, nmbe: Number.NaN };
  let sse = 0;
  let sumE = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    const e = actual[i] - predicted[i];
    sse += e * e;
    sumE += e;
    sumY += actual[i];
  }
  const mean = sumY / n;
  return { cvRmse: Math.sqrt(sse / df) / mean, nmbe: sumE / (df * mean) };
}
