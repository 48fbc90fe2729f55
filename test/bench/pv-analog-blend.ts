/**
 * bench:pv's analog-ensemble member (--analog-weights W[,W…] [--analog k=…,window=…|all,
 * feature=weight,…]): the analog ensemble of pv-analog.ts per farm, blended with the GBM by
 * quantile averaging, (1 − w)·GBM + w·analog at each percentile, and every listed weight scored
 * on the same two members (w = 0 the GBM alone, w = 1 the analog alone).
 */
import {
  DEFAULT_PV_ANALOG_OPTIONS,
  PV_PERCENTILES,
  PvAnalogOptions,
  PvSeries,
  blendQuantiles,
  forecastPvAnalog,
  meanPinball,
} from '@halve/forecasting';

/** --analog-weights: comma-separated weights in [0, 1]. */
export function parseAnalogWeights(spec: string): number[] {
  const weights = spec.split(',').map(Number);
  if (weights.length === 0 || weights.some((w) => !(w >= 0 && w <= 1)))
    throw new Error(`--analog-weights: comma-separated weights in [0, 1], not ${spec}`);
  return weights;
}

/**
 * --analog: k=N, window=D or window=all, and feature=weight pairs (names of pvGbmFeatureNames);
 * any feature given replaces the default feature set as a whole.
 */
export function parseAnalogOptions(spec: string): PvAnalogOptions {
  const out: PvAnalogOptions = { ...DEFAULT_PV_ANALOG_OPTIONS };
  const features: Record<string, number> = {};
  for (const [k, v] of spec.split(',').map((kv) => kv.split('='))) {
    if (k === 'window' && v === 'all') out.windowDays = undefined;
    else if (v === undefined || !Number.isFinite(Number(v)))
      throw new Error(`--analog: k=N, window=D|all or feature=weight, not ${k}=${v}`);
    else if (k === 'k') out.k = Number(v);
    else if (k === 'window') out.windowDays = Number(v);
    else features[k] = Number(v);
  }
  if (Object.keys(features).length > 0) out.features = features;
  return out;
}

/** Analog quantiles of each site for [from, to), from the output before `from` only. */
export function analogMonth(
  sites: PvSeries[],
  from: number,
  to: number,
  options: PvAnalogOptions,
): number[][][] {
  return sites.map((site) => forecastPvAnalog(site, from, from, to, options));
}

export interface WeightScore {
  weight: number;
  pinball: number;
}

/**
 * Mean pinball of each blend weight over the scored hours: `rows` lists (site, interval
 * offset, actual) of the hours the competition scores.
 */
export function scoreBlends(
  gbm: number[][][],
  analog: number[][][],
  weights: readonly number[],
  rows: readonly { site: number; offset: number; actual: number }[],
): WeightScore[] {
  return weights.map((weight) => {
    const blended = gbm.map((site, k) => blendQuantiles(site, analog[k], weight));
    const pinball = meanPinball(
      rows.map((r) => r.actual),
      rows.map((r) => blended[r.site][r.offset]),
      PV_PERCENTILES,
    );
    return { weight, pinball };
  });
}

/** Lines: each weight's mean pinball over each group of tasks (groups as [label, lo, hi]). */
export function weightSummary(
  results: readonly { task: number; byAnalogWeight?: WeightScore[] }[],
  groups: readonly (readonly [string, number, number])[],
): string[] {
  const weights = results[0]?.byAnalogWeight?.map((s) => s.weight) ?? [];
  return weights.flatMap((w, j) =>
    groups.flatMap(([label, lo, hi]) => {
      const g = results.filter((r) => r.task >= lo && r.task <= hi);
      if (g.length === 0) return [];
      const mean = g.reduce((s, r) => s + r.byAnalogWeight![j].pinball, 0) / g.length;
      return [`analog weight ${w}: mean over ${label}: ${mean.toFixed(6)} (${g.length} tasks)`];
    }),
  );
}
