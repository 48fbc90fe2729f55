/* scratch: dump member P50s (networks, trees, linear) for day-ahead points, for offline blend experiments */
import * as fs from 'node:fs';
import { LoadModel, calendarInfo, dayAheadPoints, initTfBackend, trainLoadModel } from '@halve/forecasting';
import { readBuildingsFolder, secondYearStart } from '../building-data';

async function main() {
  const [data, out, mode] = process.argv.slice(2);
  await initTfBackend();
  const all = readBuildingsFolder(data);
  const buildings =
    mode === 'all' ? all : Array.from({ length: 17 }, (_, i) => all[Math.floor((i * all.length) / 17)]);
  const result: unknown[] = [];
  for (const b of buildings) {
    const s = b.series;
    const n = s.valuesKwh.length;
    const cal = calendarInfo(s, n);
    const testStart = secondYearStart(s, cal)!;
    const day = 24;
    const valStart = cal.dayStarts.find((i) => i >= testStart - 92 * day)!; // ~Oct 1 2016
    const entry: Record<string, unknown> = {
      name: b.name,
      type: b.type,
      actual: s.valuesKwh,
      testStart,
      valStart,
    };
    const tags = [
      ['val', valStart],
      ['test', testStart],
    ] as const;
    // DUMP_ONLY=test skips the 2016 holdout (half the time)
    for (const [tag, trainEnd] of tags.filter(
      ([t]) => !process.env.DUMP_ONLY || t === process.env.DUMP_ONLY,
    )) {
      const cpu0 = process.cpuUsage();
      const trained = await trainLoadModel(s, { trainEnd, hyperParameters: { timeBudgetSeconds: 600 } });
      const cpu = process.cpuUsage(cpu0);
      const from = Math.max(0, trainEnd - 120 * day);
      const to = tag === 'val' ? testStart : n;
      const points = dayAheadPoints(cal, from, to, n).filter((p) => p.target < to);
      const meta = trained.model.artifact;
      const nets = (trained.model as unknown as { networks: unknown[] }).networks;
      const hp = meta.hyperParameters;
      const variant = (h: object) =>
        LoadModel.wrap(
          { ...meta, bandCalibration: undefined, hyperParameters: { ...hp, ...h } },
          nets as never,
        ).predictPoints(s, cal, points).p50;
      // unclipped members would be nicer; clipped at 0 is close enough
      const netP50 = variant({ linearWeight: 0, treeWeight: 0, residualCorrection: 0 });
      const linP50 = variant({ linearWeight: 1, treeWeight: 0, residualCorrection: 0 });
      const treeP50 = variant({ linearWeight: 0, treeWeight: 1, residualCorrection: 0 });
      const shipped = trained.model.predictPoints(s, cal, points).p50;
      entry[tag] = {
        trainEnd,
        target: points.map((p) => p.target),
        origin: points.map((p) => p.origin),
        net: netP50,
        lin: linP50,
        tree: treeP50,
        shipped,
        cpu: (cpu.user + cpu.system) / 1e6,
      };
      trained.model.dispose();
    }
    result.push(entry);
    console.log(b.name, new Date().toISOString());
    fs.writeFileSync(out, JSON.stringify(result));
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
