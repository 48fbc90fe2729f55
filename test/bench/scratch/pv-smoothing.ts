/* scratch (session 15, issue 19): post-processing of bench:pv's cached GBM + analog blend (w = 0.1) forecasts:
   each percentile smoothed over neighbouring hours, q'_t = (1 − 2s) q_t + s (q_{t−1} + q_{t+1}), only where
   both neighbours are lit (P50 > 0). Run after `npm run bench:pv -- --cache DIR --analog-weights 0.1,0` on the
   same tasks; chooses nothing itself: prints each s per task.
     node --require ./scripts/swc-register.js test/bench/scratch/pv-smoothing.ts DATA CACHE TASK... */
import { DEFAULT_PV_ANALOG_OPTIONS, PV_PERCENTILES, blendQuantiles, meanPinball } from '@halve/forecasting';
import { analogMonth } from '../pv-analog-blend';
import { readCachedForecast } from '../pv-cache';
import { gefcomTask, loadZones } from '../pv-data';

const [dir, cache, ...taskArgs] = process.argv.slice(2);
const zones = loadZones(dir);
const S = [0, 0.05, 0.1, 0.15, 0.2, 0.25];
const sums = S.map(() => 0);
for (const task of taskArgs.map(Number)) {
  const { from, to, sites, hours: rows } = gefcomTask(zones, task);
  const gbm = readCachedForecast(cache, task);
  if (!gbm) throw new Error(`task ${task}: no cached forecast in ${cache}`);
  const members = analogMonth(sites, from, to, DEFAULT_PV_ANALOG_OPTIONS);
  const blended = gbm.map((f, k) => blendQuantiles(f, members[k], 0.1));
  const mid = PV_PERCENTILES.indexOf(0.5);
  const line = S.map((s, j) => {
    const smoothed = blended.map((site) =>
      site.map((q, t) => {
        const a = site[t - 1];
        const b = site[t + 1];
        if (!s || !a || !b || !(a[mid] > 0) || !(b[mid] > 0) || !(q[mid] > 0)) return q;
        return q.map((v, l) => (1 - 2 * s) * v + s * (a[l] + b[l]));
      }),
    );
    const p = meanPinball(
      rows.map((r) => r.actual),
      rows.map((r) => smoothed[r.site][r.offset]),
      PV_PERCENTILES,
    );
    sums[j] += p;
    return `s=${s}: ${p.toFixed(6)}`;
  });
  console.log(`task ${task}: ${line.join('  ')}`);
}
console.log(
  `mean over ${taskArgs.length} tasks: ${S.map((s, j) => `s=${s}: ${(sums[j] / taskArgs.length).toFixed(6)}`).join('  ')}`,
);
