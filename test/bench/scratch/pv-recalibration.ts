/* scratch (session 16, issue 19): post-hoc recalibration of bench:pv's cached GBM (+ analog blend) forecasts from the
   PIT of the previous months' out-of-sample forecasts (Kuleshov, Fenner & Ermon 2018: the level τ is served by the
   row's quantile at τ' = the empirical τ-quantile of the past PIT values), and, for comparison, a spread factor
   about the median fitted on the same past months. Each task t may use only the forecasts of tasks < t (made before
   its month, each by the model trained before that month) and their measured output: what the product could do
   with the forecasts it issued. Run after `npm run bench:pv -- --cache CACHE --tasks A..B` over the tasks and the
   months before them; chooses nothing itself.
     node --require ./scripts/swc-register.js test/bench/scratch/pv-recalibration.ts DATA CACHE FIRST..LAST [w] */
import {
  DEFAULT_PV_ANALOG_OPTIONS,
  PV_PERCENTILES,
  blendQuantiles,
  meanPinball,
  seededRandom,
} from '@halve/forecasting';
import { analogMonth } from '../pv-analog-blend';
import { parseTasks } from '../pv-args';
import { readCachedForecast } from '../pv-cache';
import { gefcomTask, loadZones } from '../pv-data';

const [dir, cache, taskSpec, weightArg] = process.argv.slice(2);
const analogWeight = weightArg === undefined ? 0.1 : Number(weightArg);
const zones = loadZones(dir);
const L = PV_PERCENTILES;

interface Row {
  actual: number;
  q: number[];
}

function monthRows(task: number): Row[] | null {
  const gbm = readCachedForecast(cache, task);
  if (!gbm) return null;
  const { from, to, sites, hours } = gefcomTask(zones, task);
  const members = analogWeight > 0 ? analogMonth(sites, from, to, DEFAULT_PV_ANALOG_OPTIONS) : null;
  const f = members ? gbm.map((g, k) => blendQuantiles(g, members[k], analogWeight)) : gbm;
  return hours.map((h) => ({ actual: h.actual, q: f[h.site][h.offset] }));
}

const lit = (r: Row) => r.q[r.q.length - 1] > 0;

/** The row's quantile function through (0, 0), (τ_j, q_j), (1, q_98), at level u. */
function quantileAt(q: readonly number[], u: number): number {
  if (u <= L[0]) return (q[0] * Math.max(0, u)) / L[0];
  if (u >= L[L.length - 1]) return q[q.length - 1];
  const x = u * 100 - 1;
  const j = Math.floor(x);
  const t = x - j;
  return q[j] + t * (q[j + 1] - q[j]);
}

/** Randomised PIT of y under the row's quantile function through (0, 0) and (τ_j, q_j) (ties spread uniformly). */
function pit(q: readonly number[], y: number, u: () => number): number {
  const knots = [0, ...q];
  const levels = [0, ...L];
  for (let j = 1; j < knots.length; j++) knots[j] = Math.max(knots[j], knots[j - 1]);
  if (y < 0) return 0;
  if (y > knots[knots.length - 1]) return 0.99 + 0.01 * u();
  const tied = levels.filter((_, j) => knots[j] === y);
  if (tied.length > 0) {
    const lo = tied[0];
    const hi = knots[knots.length - 1] === y ? 1 : tied[tied.length - 1];
    return lo + (hi - lo) * u();
  }
  let j = 0;
  while (knots[j + 1] < y) j++;
  const t = (y - knots[j]) / (knots[j + 1] - knots[j]);
  return levels[j] + t * (levels[j + 1] - levels[j]);
}

function score(rows: readonly Row[], map: (q: number[]) => number[]): number {
  return meanPinball(
    rows.map((r) => r.actual),
    rows.map((r) => (lit(r) ? map(r.q) : r.q)),
    L,
  );
}

function recalibrator(past: readonly Row[], shrink: number): (q: number[]) => number[] {
  const u = seededRandom(7);
  const p = past
    .filter(lit)
    .map((r) => pit(r.q, r.actual, u))
    .sort((a, b) => a - b);
  if (p.length < 200) return (q) => q;
  const levels = L.map((tau) => {
    const x = tau * (p.length - 1);
    const i = Math.floor(x);
    const e = p[i] + (x - i) * ((p[i + 1] ?? p[i]) - p[i]);
    return tau + shrink * (e - tau);
  });
  return (q) => levels.map((v) => quantileAt(q, v));
}

const spread = (k: number) => (q: number[]) => q.map((v) => Math.max(0, q[49] + k * (v - q[49])));

function fittedSpread(past: readonly Row[]): (q: number[]) => number[] {
  if (past.length === 0) return (q) => q;
  let best = 1;
  let bestScore = Infinity;
  for (let k = 0.8; k <= 1.2001; k += 0.025) {
    const s = score(past, spread(k));
    if (s < bestScore) [best, bestScore] = [k, s];
  }
  return spread(best);
}

const tasks = parseTasks(taskSpec);
const byTask = new Map<number, Row[]>();
for (let t = Math.min(...tasks) - 12; t <= Math.max(...tasks); t++) {
  const rows = monthRows(t);
  if (rows) byTask.set(t, rows);
}
const variants: [string, (past: Row[]) => (q: number[]) => number[], number][] = [];
for (const months of [1, 2, 3, 6, 12])
  for (const shrink of [0.5, 1])
    variants.push([`pit m${months} λ${shrink}`, (p) => recalibrator(p, shrink), months]);
for (const months of [1, 3, 12]) variants.push([`spread m${months}`, fittedSpread, months]);
const sums = new Map<string, number>([['none', 0]]);
for (const t of tasks) {
  const rows = byTask.get(t);
  if (!rows) throw new Error(`task ${t}: no cached forecast in ${cache}`);
  const base = score(rows, (q) => q);
  sums.set('none', sums.get('none')! + base);
  const parts = [`task ${t}: none ${base.toFixed(6)}`];
  for (const [name, make, months] of variants) {
    const past: Row[] = [];
    for (let s = t - months; s < t; s++) past.push(...(byTask.get(s) ?? []));
    const v = score(rows, make(past));
    sums.set(name, (sums.get(name) ?? 0) + v);
    parts.push(`${name} ${v.toFixed(6)}`);
  }
  console.log(parts.join('  '));
}
console.log(
  `mean over ${tasks.length} tasks (analog weight ${analogWeight}): ` +
    [...sums].map(([k, v]) => `${k} ${(v / tasks.length).toFixed(6)}`).join('  '),
);
