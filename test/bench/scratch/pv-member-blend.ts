/* scratch (session 16, issue 19): bench:pv's cached GBM forecasts averaged, percentile by percentile, with the cached
   quantile network's (`--method mlp`) at weight w, and the analog ensemble at weight a on top:
   q = (1 − a)·((1 − w)·GBM + w·network) + a·analog. Run after `npm run bench:pv -- --cache GBM_CACHE` and
   `npm run bench:pv -- --method mlp --cache MLP_CACHE` over the same tasks; chooses nothing itself.
     node --require ./scripts/swc-register.js test/bench/scratch/pv-member-blend.ts DATA GBM_CACHE MLP_CACHE A..B */
import { DEFAULT_PV_ANALOG_OPTIONS, PV_PERCENTILES, blendQuantiles, meanPinball } from '@halve/forecasting';
import { analogMonth } from '../pv-analog-blend';
import { parseTasks } from '../pv-args';
import { readCachedForecast } from '../pv-cache';
import { gefcomTask, loadZones } from '../pv-data';

const [dir, gbmCache, mlpCache, taskSpec] = process.argv.slice(2);
const zones = loadZones(dir);
const NETWORK_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5];
const ANALOG_WEIGHTS = [0, 0.1];
const sums = new Map<string, number>();
for (const task of parseTasks(taskSpec)) {
  const gbm = readCachedForecast(gbmCache, task);
  const mlp = readCachedForecast(mlpCache, task);
  if (!gbm || !mlp) throw new Error(`task ${task}: no cached forecast of ${gbm ? 'the network' : 'the GBM'}`);
  const { from, to, sites, hours: rows } = gefcomTask(zones, task);
  const analog = analogMonth(sites, from, to, DEFAULT_PV_ANALOG_OPTIONS);
  const parts: string[] = [];
  for (const w of NETWORK_WEIGHTS)
    for (const a of ANALOG_WEIGHTS) {
      const f = gbm.map((g, k) => blendQuantiles(blendQuantiles(g, mlp[k], w), analog[k], a));
      const p = meanPinball(
        rows.map((r) => r.actual),
        rows.map((r) => f[r.site][r.offset]),
        PV_PERCENTILES,
      );
      const key = `w${w} a${a}`;
      sums.set(key, (sums.get(key) ?? 0) + p);
      parts.push(`${key} ${p.toFixed(6)}`);
    }
  console.log(`task ${task}: ${parts.join('  ')}`);
}
const n = parseTasks(taskSpec).length;
console.log(`mean over ${n} tasks: ${[...sums].map(([k, v]) => `${k} ${(v / n).toFixed(6)}`).join('  ')}`);
