/**
 * Gradient-boosted regression trees on the squared error, histogram-based (features are
 * binned once into ≤ 64 quantile bins, as LightGBM and scikit-learn's HistGradientBoosting
 * do), grown depth-first to `maxDepth` with an L2 penalty on leaf values, row and column
 * subsampling, and early stopping on a validation mask. Pure TypeScript, no TF.js: a tree
 * ensemble errs differently from the load model's networks, which is why it is a member.
 *
 * With `loss: 'quantile'` (level `alpha`) it is quantile boosting as in Friedman (2001) and
 * scikit-learn: each tree is grown on the pinball loss's negative gradient (α where the
 * target is above the prediction, α − 1 below), and each leaf then moves by the α-quantile of
 * the residuals of its rows; it starts from the α-quantile of the target and stops early on
 * the validation pinball loss.
 *
 * The fitted model (`GbmArtifact`) holds raw-value thresholds, so prediction needs no bin
 * edges; `serializeGbm` packs it into three base64 arrays in pre-order (≈ 7 bytes a node,
 * against ≈ 30 as JSON numbers) for the model registry.
 */
import { pinballLoss } from './metrics';
import { seededRandom } from './model-artifact';

export { SerializedGbm, deserializeGbm, serializeGbm } from './gbm-serialization';

export interface GbmOptions {
  trees: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum rows in a leaf. */
  minLeafRows: number;
  /** L2 penalty on leaf values (λ in the gain and leaf formulas). */
  l2: number;
  /** Share of rows sampled for each tree. */
  rowSample: number;
  /** Share of columns considered for each tree. */
  columnSample: number;
  maxBins: number;
  /** Stop when the validation error has not improved for this many trees (0 = never). */
  earlyStoppingRounds: number;
  seed: number;
  /** Columns the trees may split on (default: all). */
  columns?: readonly number[];
  /** 'squared' (default): the mean; 'quantile': the `alpha` quantile (pinball loss). */
  loss?: 'squared' | 'quantile';
  /** Quantile level for `loss: 'quantile'` (0 < alpha < 1). */
  alpha?: number;
}

export const DEFAULT_GBM_OPTIONS: GbmOptions = {
  trees: 400,
  learningRate: 0.05,
  maxDepth: 5,
  minLeafRows: 20,
  l2: 1,
  rowSample: 0.8,
  columnSample: 0.8,
  maxBins: 64,
  earlyStoppingRounds: 50,
  seed: 11,
};

/**
 * One tree in flat arrays: node i splits on `feature[i]` (x ≤ threshold[i] → left[i], else
 * right[i]); a leaf has feature −1 and its value in `value[i]` (learning rate included).
 */
export interface GbmTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbmArtifact {
  format: 'halve-gbm/1';
  columns: number;
  base: number;
  trees: GbmTree[];
}

export interface GbmFitResult {
  artifact: GbmArtifact;
  treesKept: number;
  /** Validation RMSE (squared loss) or mean pinball loss (quantile loss); null without a mask. */
  validationRmse: number | null;
}

/** The α-quantile of `values` (type 1: the smallest value with at least α of them at or below). */
export function lowerQuantile(values: ArrayLike<number>, alpha: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(alpha * sorted.length) - 1))];
}

interface Binned {
  /** Column-major bins: bins[c * rows + r]. */
  bins: Uint8Array;
  /** Upper edge (raw value) of each bin per column; the last bin is open. */
  edges: Float64Array[];
}

/** Quantile bin edges per column from (up to 20k of) the rows. */
function binColumns(
  x: Float32Array,
  rows: number,
  columns: number,
  maxBins: number,
  usable: readonly number[],
): Binned {
  const bins = new Uint8Array(rows * columns);
  const edges: Float64Array[] = new Array<Float64Array>(columns).fill(new Float64Array(0));
  const step = Math.max(1, Math.floor(rows / 20_000));
  const sample = new Float64Array(Math.ceil(rows / step));
  for (const c of usable) {
    let n = 0;
    for (let r = 0; r < rows; r += step) sample[n++] = x[r * columns + c];
    const sorted = sample.subarray(0, n).slice().sort();
    const distinct: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    let e: number[];
    if (distinct.length <= maxBins) {
      // midpoints between distinct values, as float32 (what serializeGbm stores) and still
      // below the upper value, so a stored threshold splits exactly as the fitted one
      e = distinct.slice(0, -1).map((v, i) => {
        const mid = Math.fround((v + distinct[i + 1]) / 2);
        return mid < distinct[i + 1] ? mid : v;
      });
    } else {
      e = [];
      for (let b = 1; b < maxBins; b++) {
        const v = sorted[Math.min(n - 1, Math.floor((b * n) / maxBins))];
        if (e.length === 0 || v > e[e.length - 1]) e.push(v);
      }
    }
    const edgeArray = Float64Array.from(e);
    edges[c] = edgeArray;
    const base = c * rows;
    for (let r = 0; r < rows; r++) {
      const v = x[r * columns + c];
      // first bin whose upper edge is ≥ v
      let lo = 0;
      let hi = edgeArray.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edgeArray[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      bins[base + r] = lo;
    }
  }
  return { bins, edges };
}

/** Gradient sums and row counts per (column, bin) of a node: column cols[j]'s bins start at offsets[j]. */
export interface Histogram {
  g: Float64Array;
  n: Uint32Array;
}

interface NodeTask {
  node: number;
  rows: Uint32Array;
  depth: number;
  sumG: number;
  /** The node's histogram; absent for a node that cannot split (too deep or too few rows). */
  hist?: Histogram;
}

/** What growing one tree needs: the binned matrix, the current residuals and scratch histograms. */
interface TreeContext {
  bins: Uint8Array;
  edges: Float64Array[];
  rows: number;
  grad: Float64Array;
  options: GbmOptions;
  /**
   * Whether a larger child's histogram is its parent's minus its sibling's. Only for the squared
   * loss: the quantile loss's gradients (α and α − 1) tie splits exactly, and the subtraction's
   * rounding would break such ties differently from a scan (trees then diverge, tested).
   */
  subtract: boolean;
  /** Leaf value before the learning rate, from the leaf's rows (default: the L2-shrunk mean gradient). */
  leafValue?: (rows: Uint32Array, sumG: number) => number;
}

/** Start of each column's bins in a histogram of the columns `cols` (last entry: the total). */
function histogramOffsets(edges: readonly Float64Array[], cols: readonly number[]): Int32Array {
  const offsets = new Int32Array(cols.length + 1);
  cols.forEach((c, j) => (offsets[j + 1] = offsets[j] + edges[c].length + 1));
  return offsets;
}

/** The histogram of `nodeRows` over the columns `cols`, summed row by row. */
function scanHistogram(
  ctx: TreeContext,
  nodeRows: Uint32Array,
  cols: readonly number[],
  offsets: Int32Array,
): Histogram {
  const { bins, rows, grad } = ctx;
  const g = new Float64Array(offsets[cols.length]);
  const n = new Uint32Array(offsets[cols.length]);
  for (let j = 0; j < cols.length; j++) {
    const colBase = cols[j] * rows;
    const off = offsets[j];
    for (let i = 0; i < nodeRows.length; i++) {
      const r = nodeRows[i];
      const b = off + bins[colBase + r];
      g[b] += grad[r];
      n[b]++;
    }
  }
  return { g, n };
}

/**
 * A sibling's histogram as its parent's minus the other child's (LightGBM's subtraction trick: the
 * larger child is never scanned). A bin without rows gets exactly 0, not a rounding remainder, so
 * a run of empty bins keeps equal gains and the first of them still wins. Exported for its test.
 */
export function subtractHistogram(parent: Histogram, child: Histogram): Histogram {
  const g = new Float64Array(parent.g.length);
  const n = new Uint32Array(parent.n.length);
  for (let i = 0; i < g.length; i++) {
    n[i] = parent.n[i] - child.n[i];
    g[i] = n[i] === 0 ? 0 : parent.g[i] - child.g[i];
  }
  return { g, n };
}

/** The best (column, bin) split of a node by squared-error gain with the L2 penalty, or null. */
function bestSplit(
  ctx: TreeContext,
  task: NodeTask,
  cols: readonly number[],
  offsets: Int32Array,
): { column: number; bin: number } | null {
  const { minLeafRows, l2 } = ctx.options;
  const { g: histG, n: histN } = task.hist!;
  const n = task.rows.length;
  const parentScore = (task.sumG * task.sumG) / (n + l2);
  let bestGain = 1e-12;
  let best: { column: number; bin: number } | null = null;
  for (let j = 0; j < cols.length; j++) {
    const off = offsets[j];
    const nb = offsets[j + 1] - off;
    if (nb < 2) continue;
    let gl = 0;
    let nl = 0;
    for (let b = 0; b < nb - 1; b++) {
      gl += histG[off + b];
      nl += histN[off + b];
      const nr = n - nl;
      if (nl < minLeafRows) continue;
      if (nr < minLeafRows) break;
      const gr = task.sumG - gl;
      const gain = (gl * gl) / (nl + l2) + (gr * gr) / (nr + l2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { column: cols[j], bin: b };
      }
    }
  }
  return best;
}

/** The children's histograms where they can split: the smaller child scanned, the larger by subtraction (squared loss). */
function childHistograms(
  ctx: TreeContext,
  parent: NodeTask,
  left: NodeTask,
  right: NodeTask,
  cols: readonly number[],
  offsets: Int32Array,
): void {
  const o = ctx.options;
  const canSplit = (t: NodeTask): boolean => t.depth < o.maxDepth && t.rows.length >= 2 * o.minLeafRows;
  const [small, large] = left.rows.length <= right.rows.length ? [left, right] : [right, left];
  if (!canSplit(small) && !canSplit(large)) return;
  const smallHist = scanHistogram(ctx, small.rows, cols, offsets);
  if (canSplit(small)) small.hist = smallHist;
  if (canSplit(large))
    large.hist = ctx.subtract
      ? subtractHistogram(parent.hist!, smallHist)
      : scanHistogram(ctx, large.rows, cols, offsets);
}

/** Grows one tree depth-first on the sampled rows and columns. */
function growTree(ctx: TreeContext, sampled: Uint32Array, cols: readonly number[]): GbmTree {
  const { bins, edges, rows, grad, options: o } = ctx;
  const tree: GbmTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const newNode = (): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    return tree.feature.length - 1;
  };
  const offsets = histogramOffsets(edges, cols);
  let rootSum = 0;
  for (const r of sampled) rootSum += grad[r];
  const root: NodeTask = { node: newNode(), rows: sampled, depth: 0, sumG: rootSum };
  if (o.maxDepth > 0 && sampled.length >= 2 * o.minLeafRows)
    root.hist = scanHistogram(ctx, sampled, cols, offsets);
  const stack: NodeTask[] = [root];
  while (stack.length) {
    const task = stack.pop()!;
    const n = task.rows.length;
    const split = task.hist ? bestSplit(ctx, task, cols, offsets) : null;
    if (!split) {
      tree.value[task.node] = ctx.leafValue
        ? o.learningRate * ctx.leafValue(task.rows, task.sumG)
        : (o.learningRate * task.sumG) / (n + o.l2);
      continue;
    }
    const colBase = split.column * rows;
    let nl = 0;
    for (let i = 0; i < n; i++) if (bins[colBase + task.rows[i]] <= split.bin) nl++;
    const leftRows = new Uint32Array(nl);
    const rightRows = new Uint32Array(n - nl);
    let gl = 0;
    let li = 0;
    let ri = 0;
    for (let i = 0; i < n; i++) {
      const r = task.rows[i];
      if (bins[colBase + r] <= split.bin) {
        leftRows[li++] = r;
        gl += grad[r];
      } else rightRows[ri++] = r;
    }
    const left: NodeTask = { node: newNode(), rows: leftRows, depth: task.depth + 1, sumG: gl };
    const right: NodeTask = { node: newNode(), rows: rightRows, depth: task.depth + 1, sumG: task.sumG - gl };
    tree.feature[task.node] = split.column;
    tree.threshold[task.node] = edges[split.column][split.bin];
    tree.left[task.node] = left.node;
    tree.right[task.node] = right.node;
    childHistograms(ctx, task, left, right, cols, offsets);
    task.hist = undefined;
    stack.push(left, right);
  }
  return tree;
}

/** Fits the ensemble to `y` (rows) from the row-major matrix `x` (rows × columns). */
export function fitGbm(
  x: Float32Array,
  y: Float32Array | Float64Array,
  rows: number,
  columns: number,
  options: Partial<GbmOptions> = {},
  validationMask?: Uint8Array,
): GbmFitResult {
  const o: GbmOptions = { ...DEFAULT_GBM_OPTIONS, ...options };
  if (rows === 0) throw new Error('fitGbm: no rows');
  if (o.maxBins > 256 || o.maxBins < 2) throw new RangeError('fitGbm: maxBins must be 2..256');
  const quantile = o.loss === 'quantile';
  const alpha = o.alpha ?? 0.5;
  if (quantile && !(alpha > 0 && alpha < 1)) throw new RangeError('fitGbm: alpha must be in (0, 1)');
  const usable = o.columns ? [...o.columns] : Array.from({ length: columns }, (_, c) => c);
  const { bins, edges } = binColumns(x, rows, columns, o.maxBins, usable);
  const random = seededRandom(o.seed);
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  for (let r = 0; r < rows; r++) (validationMask?.[r] ? validIdx : trainIdx).push(r);
  if (trainIdx.length === 0) throw new Error('fitGbm: every row is in the validation mask');
  const base = quantile
    ? lowerQuantile(
        trainIdx.map((r) => y[r]),
        alpha,
      )
    : trainIdx.reduce((a, r) => a + y[r], 0) / trainIdx.length;
  const pred = new Float64Array(rows).fill(base);
  const ctx: TreeContext = {
    bins,
    edges,
    rows,
    grad: new Float64Array(rows),
    options: o,
    subtract: !quantile,
  };
  if (quantile) {
    const residuals = new Float64Array(rows);
    ctx.leafValue = (leafRows) => {
      for (let i = 0; i < leafRows.length; i++) residuals[i] = y[leafRows[i]] - pred[leafRows[i]];
      return lowerQuantile(residuals.subarray(0, leafRows.length), alpha);
    };
  }
  const validationLoss = (): number => {
    let s = 0;
    for (const r of validIdx) s += quantile ? pinballLoss(y[r], pred[r], alpha) : (y[r] - pred[r]) ** 2;
    return quantile ? s / validIdx.length : Math.sqrt(s / validIdx.length);
  };
  const trees: GbmTree[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestTrees = 0;
  for (let t = 0; t < o.trees; t++) {
    for (const r of trainIdx) {
      const d = y[r] - pred[r];
      // Quantile loss: a row exactly at its prediction counts as below (as scikit-learn's): with
      // `>=`, a start at the α-quantile of many tied targets (PV's zeros at dawn) gave every row
      // the same gradient, so no tree could split and the level stayed at its start.
      ctx.grad[r] = quantile ? (d > 0 ? alpha : alpha - 1) : d;
    }
    const sampled = Uint32Array.from(trainIdx.filter(() => o.rowSample >= 1 || random() < o.rowSample));
    const cols = usable.filter(() => o.columnSample >= 1 || random() < o.columnSample);
    if (cols.length === 0) cols.push(usable[Math.floor(random() * usable.length)]);
    const tree = growTree(ctx, sampled, cols);
    trees.push(tree);
    // update every row (validation too) with the raw features, as prediction will
    for (let r = 0; r < rows; r++) pred[r] += treeValue(tree, x, r * columns);
    if (validIdx.length) {
      const loss = validationLoss();
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestTrees = trees.length;
      } else if (o.earlyStoppingRounds > 0 && trees.length - bestTrees >= o.earlyStoppingRounds) break;
    } else bestTrees = trees.length;
  }
  const kept = trees.slice(0, bestTrees);
  return {
    artifact: { format: 'halve-gbm/1', columns, base, trees: kept },
    treesKept: kept.length,
    validationRmse: validIdx.length ? bestLoss : null,
  };
}

function treeValue(tree: GbmTree, x: ArrayLike<number>, offset: number): number {
  let i = 0;
  while (tree.feature[i] >= 0)
    i = x[offset + tree.feature[i]] <= tree.threshold[i] ? tree.left[i] : tree.right[i];
  return tree.value[i];
}

/** Predictions for the rows of a row-major matrix with the artifact's column count. */
export function predictGbm(artifact: GbmArtifact, x: Float32Array, rows: number): Float64Array {
  if (x.length !== rows * artifact.columns)
    throw new RangeError(`predictGbm: expected ${rows} × ${artifact.columns} values, got ${x.length}`);
  const out = new Float64Array(rows).fill(artifact.base);
  for (const tree of artifact.trees)
    for (let r = 0; r < rows; r++) out[r] += treeValue(tree, x, r * artifact.columns);
  return out;
}
