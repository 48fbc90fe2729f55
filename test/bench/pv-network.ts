/**
 * bench:pv's quantile-network member (the product's PV network, `trainPvModel`) as an ensemble of
 * seeds: network k is trained with seed 11 + k (the product's seed is 11) and the members are
 * averaged percentile by percentile. Each seed's month is cached on its own (--cache), seed 11
 * under the key the single network always had, so a cache holds every seed once and scratch
 * scripts can score ensembles of 1…N seeds from it.
 *
 * `budgetSeconds` replaces the product's 60 s wall-clock training budget: the bench is run beside
 * other work, and a wall-clock stop makes a network depend on the machine's load (session 18
 * runs use 600 s, so the 60 epochs decide).
 */
import { PvSeries, trainPvModel } from '@halve/forecasting';
import { cachedForecast } from './pv-cache';

export const NETWORK_SEED = 11;

export interface NetworkSetting {
  /** Number of networks (seeds 11, 12, …); 1 = the product's single network. */
  seeds: number;
  /** Wall-clock training budget of each network; undefined = the product's (60 s). */
  budgetSeconds?: number;
}

/** The cache key of the network with `seed` (seed 11 keeps the key of the single network, `{ method, bagging }`). */
export function networkCacheKey(bagging: unknown, seed: number, budgetSeconds?: number): unknown {
  const base: Record<string, unknown> = { method: 'mlp', bagging };
  if (seed !== NETWORK_SEED) base.seed = seed;
  if (budgetSeconds !== undefined) base.budgetSeconds = budgetSeconds;
  return base;
}

/** One network's quantiles for [from, to) of each farm, trained on the hours before `from` (one model for the farms). */
async function networkMonth(
  sites: PvSeries[],
  from: number,
  to: number,
  seed: number,
  budgetSeconds?: number,
): Promise<number[][][]> {
  const hyperParameters = {
    seed,
    ...(budgetSeconds !== undefined ? { timeBudgetSeconds: budgetSeconds } : {}),
  };
  const { model } = await trainPvModel(sites, { trainEnd: from, hyperParameters });
  const out = sites.map((site) => model.predict({ ...site, generationFraction: undefined }, from, to));
  model.dispose();
  return out;
}

/** Each seed's forecasts (site × interval × percentile), read from or written to `cache`. */
export async function networkMembers(
  cache: string | undefined,
  task: number,
  bagging: unknown,
  network: NetworkSetting,
  sites: PvSeries[],
  from: number,
  to: number,
): Promise<number[][][][]> {
  const members: number[][][][] = [];
  for (let k = 0; k < network.seeds; k++) {
    const seed = NETWORK_SEED + k;
    const key = networkCacheKey(bagging, seed, network.budgetSeconds);
    const { forecasts } = await cachedForecast(cache, task, key, () =>
      networkMonth(sites, from, to, seed, network.budgetSeconds),
    );
    members.push(forecasts);
  }
  return members;
}

/** The members' mean at each percentile (sorted members stay sorted). */
export function meanOfMembers(members: number[][][][]): number[][][] {
  if (members.length === 0) throw new Error('meanOfMembers: no members');
  return members[0].map((rows, s) =>
    rows.map((row, r) => row.map((_, j) => members.reduce((sum, m) => sum + m[s][r][j], 0) / members.length)),
  );
}
