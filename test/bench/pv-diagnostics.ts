/**
 * Diagnostics of one bench:pv task (--diagnose): pinball per farm, the median's bias, the
 * pinball summed by UTC hour (where the loss is), and the score of the quantiles spread
 * about the median by a factor k (q' = max(0, median + k (q − median))), a free check of
 * whether the bands are too wide or too narrow.
 */
import { PV_PERCENTILES, meanPinball } from '@halve/forecasting';

export interface ScoredRow {
  farm: number;
  utcHour: number;
  actual: number;
  quantiles: number[];
}

const MEDIAN = PV_PERCENTILES.indexOf(0.5);

function spread(row: readonly number[], k: number): number[] {
  const m = row[MEDIAN];
  return row.map((q) => Math.max(0, m + k * (q - m)));
}

function score(rows: readonly ScoredRow[], map: (q: number[]) => number[] = (q) => q): number {
  return meanPinball(
    rows.map((r) => r.actual),
    rows.map((r) => map(r.quantiles)),
    PV_PERCENTILES,
  );
}

/** Lines describing one task's scored rows (all hours, the competition's rows). */
export function diagnose(rows: readonly ScoredRow[]): string[] {
  const farms = [...new Set(rows.map((r) => r.farm))].sort((a, b) => a - b);
  const lit = rows.filter((r) => r.actual > 0 || r.quantiles[MEDIAN] > 0);
  const bias = lit.reduce((s, r) => s + r.quantiles[MEDIAN] - r.actual, 0) / Math.max(1, lit.length);
  const meanLit = lit.reduce((s, r) => s + r.actual, 0) / Math.max(1, lit.length);
  const byHour = new Array<number>(24).fill(0);
  for (const r of rows) byHour[r.utcHour] += score([r]) / rows.length;
  const hours = byHour.flatMap((v, h) => (v > 0.00005 ? [`${h}:${(v * 1e4).toFixed(1)}`] : []));
  return [
    `  per farm ${farms.map((f) => `${f}: ${score(rows.filter((r) => r.farm === f)).toFixed(5)}`).join('  ')}`,
    `  median bias ${bias.toFixed(4)} over ${lit.length} lit hours (mean output ${meanLit.toFixed(4)})`,
    `  pinball × 1e4 by UTC hour ${hours.join(' ')}`,
    `  spread k ${[0.9, 0.95, 1.05, 1.1].map((k) => `${k}: ${score(rows, (q) => spread(q, k)).toFixed(5)}`).join('  ')}`,
  ];
}
