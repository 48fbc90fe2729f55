/* scratch (session 18, issue 19): bench:pv's cached GBM and networks of several seeds (one cache dir, filled by
   `npm run bench:pv -- --cache DIR` and `npm run bench:pv -- --method mlp --network-seeds 5 --network-budget 600
   --cache DIR` over the same tasks), blended as q = (1 − a)((1 − W)·GBM + W·mean(networks of seeds 11…10+N)) + a·analog
   for every N, W, a of the grid; prints each task's pinball and the means over months −2…0 and tasks 1…3. Chooses
   nothing itself.
     node --require ./scripts/swc-register.js test/bench/scratch/pv-network-seeds.ts DATA CACHE A..B */
import { DEFAULT_PV_ANALOG_OPTIONS, PV_PERCENTILES, blendQuantiles, meanPinball } from '@halve/forecasting';
import { analogMonth } from '../pv-analog-blend';
import { parseTasks } from '../pv-args';
import { cachedForecast } from '../pv-cache';
import { gefcomTask, loadZones } from '../pv-data';
import { DEFAULT_GBM } from '../pv-gbm-setting';
import { NETWORK_SEED, meanOfMembers, networkCacheKey } from '../pv-network';

const [dir, cache, taskSpec] = process.argv.slice(2);
const BUDGET = 600;
const SEEDS = [1, 3, 5];
const NETWORK_WEIGHTS = [0.1, 0.2, 0.3];
const ANALOG_WEIGHTS = [0, 0.1];
const zones = loadZones(dir);
const missing = (what: string) => async (): Promise<number[][][]> => {
  throw new Error(`no cached forecast of ${what} in ${cache}`);
};

async function main(): Promise<void> {
  const byTask = new Map<number, Map<string, number>>();
  for (const task of parseTasks(taskSpec)) {
    const { from, to, sites, hours: rows } = gefcomTask(zones, task);
    const gbm = (
      await cachedForecast(
        cache,
        task,
        { method: 'gbm', bagging: DEFAULT_GBM },
        missing(`task ${task}'s GBM`),
      )
    ).forecasts;
    const nets: number[][][][] = [];
    for (let k = 0; k < Math.max(...SEEDS); k++) {
      const key = networkCacheKey(DEFAULT_GBM, NETWORK_SEED + k, BUDGET);
      nets.push((await cachedForecast(cache, task, key, missing(`task ${task}'s network ${k}`))).forecasts);
    }
    const analog = analogMonth(sites, from, to, DEFAULT_PV_ANALOG_OPTIONS);
    const scores = new Map<string, number>();
    for (const n of SEEDS) {
      const net = meanOfMembers(nets.slice(0, n));
      for (const w of NETWORK_WEIGHTS)
        for (const a of ANALOG_WEIGHTS) {
          const f = gbm.map((g, k) => blendQuantiles(blendQuantiles(g, net[k], w), analog[k], a));
          const p = meanPinball(
            rows.map((r) => r.actual),
            rows.map((r) => f[r.site][r.offset]),
            PV_PERCENTILES,
          );
          scores.set(`N${n} W${w} a${a}`, p);
        }
    }
    byTask.set(task, scores);
    console.log(`task ${task}: ${[...scores].map(([k, v]) => `${k} ${v.toFixed(6)}`).join('  ')}`);
  }
  for (const [label, lo, hi] of [
    ['months -2..0', -2, 0],
    ['tasks 1..3', 1, 3],
    ['tasks 4..14', 4, 14],
  ] as const) {
    const group = [...byTask].filter(([t]) => t >= lo && t <= hi).map(([, s]) => s);
    if (group.length === 0) continue;
    const keys = [...group[0].keys()];
    const means = keys.map(
      (k) => `${k} ${(group.reduce((s, g) => s + g.get(k)!, 0) / group.length).toFixed(6)}`,
    );
    console.log(`mean over ${label} (${group.length}): ${means.join('  ')}`);
  }
}

void main();
