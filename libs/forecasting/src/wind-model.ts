/**
 * Wind generation: an empirical power curve learned from wind speed, normalised by rated
 * capacity. Observations are binned by speed; each bin gives P10/P50/P90 of the output;
 * each quantile curve is made non-decreasing up to the bin of peak median output (pool-
 * adjacent-violators) and interpolated linearly between bin centres. Cut-out behaviour
 * above the peak is kept as observed. Pure functions, no TF.js needed.
 */
import { quantileSorted } from 'simple-statistics';

export interface WindPowerCurve {
  format: 'halve-wind-curve/1';
  binWidthMs: number;
  /** Bin centres, m/s. */
  speedsMs: number[];
  p10: number[];
  p50: number[];
  p90: number[];
  /** Observations per bin. */
  counts: number[];
}

/** Pool-adjacent-violators: the closest non-decreasing sequence (weighted least squares). */
export function isotonicIncreasing(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { sum: number; weight: number; size: number }[] = [];
  values.forEach((v, i) => {
    blocks.push({ sum: v * weights[i], weight: weights[i], size: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.weight <= b.sum / b.weight) break;
      blocks.splice(blocks.length - 2, 2, {
        sum: a.sum + b.sum,
        weight: a.weight + b.weight,
        size: a.size + b.size,
      });
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.size; k++) out.push(b.sum / b.weight);
  return out;
}

/** Fits the curve from paired observations (speed m/s, output ÷ rated capacity). */
export function fitWindPowerCurve(
  speedsMs: readonly number[],
  outputFraction: readonly number[],
  binWidthMs = 0.5,
  minCount = 5,
): WindPowerCurve {
  const bins = new Map<number, number[]>();
  for (let i = 0; i < speedsMs.length; i++) {
    const s = speedsMs[i];
    const p = outputFraction[i];
    if (!Number.isFinite(s) || !Number.isFinite(p) || s < 0) continue;
    const b = Math.floor(s / binWidthMs);
    let list = bins.get(b);
    if (!list) bins.set(b, (list = []));
    list.push(Math.max(0, p));
  }
  const keys = [...bins.keys()].filter((k) => bins.get(k)!.length >= minCount).sort((a, b) => a - b);
  if (keys.length < 2) throw new Error('fitWindPowerCurve: need observations in at least two speed bins');
  const speeds = keys.map((k) => (k + 0.5) * binWidthMs);
  const counts = keys.map((k) => bins.get(k)!.length);
  const q = (level: number): number[] =>
    keys.map((k) => {
      const sorted = [...bins.get(k)!].sort((a, b) => a - b);
      return quantileSorted(sorted, level);
    });
  const raw = { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
  const peak = raw.p50.indexOf(Math.max(...raw.p50));
  const monotone = (curve: number[]): number[] => {
    const head = isotonicIncreasing(curve.slice(0, peak + 1), counts.slice(0, peak + 1));
    return [...head, ...curve.slice(peak + 1)];
  };
  const p50 = monotone(raw.p50);
  const p10 = monotone(raw.p10).map((v, i) => Math.min(v, p50[i]));
  const p90 = monotone(raw.p90).map((v, i) => Math.max(v, p50[i]));
  return { format: 'halve-wind-curve/1', binWidthMs, speedsMs: speeds, p10, p50, p90, counts };
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]) return x < xs[0] - 1 ? 0 : ys[0];
  if (x >= xs[xs.length - 1]) return ys[ys.length - 1];
  let i = 1;
  while (xs[i] < x) i++;
  const f = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + f * (ys[i] - ys[i - 1]);
}

/** Output quantiles (fractions of rated capacity) at forecast wind speeds. */
export function predictWindPower(
  curve: WindPowerCurve,
  speedsMs: readonly number[],
): { p10: number[]; p50: number[]; p90: number[] } {
  const clip = (v: number): number => Math.min(1, Math.max(0, v));
  return {
    p10: speedsMs.map((s) => clip(interpolate(curve.speedsMs, curve.p10, s))),
    p50: speedsMs.map((s) => clip(interpolate(curve.speedsMs, curve.p50, s))),
    p90: speedsMs.map((s) => clip(interpolate(curve.speedsMs, curve.p90, s))),
  };
}
