/* scratch (issue 19): a global tree member — gradient-boosted trees pooled over the OTHER buildings (K leave-out
 * folds: building i is in fold i mod K; fold k's trees are trained on the buildings outside fold k, each up to the
 * same training end as dump-members.ts's 'val' or 'test' model), predicting the same day-ahead points as
 * dump-members.ts dumps, for offline blends (blend-experiments.cjs: names [..., "glob"]).
 *   node --require ./scripts/swc-register.js test/bench/scratch/dump-global.ts DATA OUT.json [K] [GBM-OPTIONS-JSON]
 */
import * as fs from 'node:fs';
import {
  DEFAULT_LOAD_HYPER_PARAMETERS,
  buildLoadFeatures,
  buildTrainingSet,
  calendarInfo,
  dayAheadPoints,
  deserializeGbm,
  fitTreeMember,
  meterScale,
  pooledTrainingSet,
  predictGbm,
} from '@halve/forecasting';
import { readBuildingsFolder, secondYearStart } from '../building-data';

async function main() {
  const [data, out, kArg, optArg] = process.argv.slice(2);
  const K = Number(kArg ?? 2);
  const treeOptions = { ...DEFAULT_LOAD_HYPER_PARAMETERS.treeOptions, ...(optArg ? JSON.parse(optArg) : {}) };
  const hp = { ...DEFAULT_LOAD_HYPER_PARAMETERS, treeOptions };
  const buildings = readBuildingsFolder(data).map((b) => {
    const s = b.series;
    const n = s.valuesKwh.length;
    const cal = calendarInfo(s, n);
    const testStart = secondYearStart(s, cal)!;
    const valStart = cal.dayStarts.find((i) => i >= testStart - 92 * 24)!;
    return { b, s, n, cal, ends: { val: valStart, test: testStart } as Record<string, number> };
  });
  const result = buildings.map((x) => ({ name: x.b.name }) as Record<string, unknown>);
  for (const tag of ['val', 'test']) {
    for (let k = 0; k < K; k++) {
      const t0 = Date.now();
      const train = buildings.filter((_, i) => i % K !== k);
      const fit = fitTreeMember(
        () =>
          pooledTrainingSet(
            train.map((x) => buildTrainingSet(x.s, x.cal, x.ends[tag], false, hp, 'recentLevel')),
          ),
        hp,
      );
      const gbm = deserializeGbm(fit.packed);
      console.log(tag, 'fold', k, 'trees', fit.kept, `${((Date.now() - t0) / 1000).toFixed(0)} s`);
      buildings.forEach((x, i) => {
        if (i % K !== k) return;
        const trainEnd = x.ends[tag];
        const from = Math.max(0, trainEnd - 120 * 24);
        const to = tag === 'val' ? x.ends.test : x.n;
        const points = dayAheadPoints(x.cal, from, to, x.n).filter((p) => p.target < to);
        const m = buildLoadFeatures(x.s, x.cal, points, {
          useTemperature: false,
          fallbackLevelKwh: meterScale(x.s.valuesKwh.slice(0, trainEnd)),
          normaliseBy: 'recentLevel',
        });
        const p = predictGbm(gbm, m.x, m.rows);
        result[i][tag] = { glob: Array.from(p, (v, r) => Math.max(0, v * m.levelKwh[r])) };
      });
    }
  }
  fs.writeFileSync(out, JSON.stringify(result));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
