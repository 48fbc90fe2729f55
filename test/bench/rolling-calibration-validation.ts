/**
 * Choice of the rolling band calibration's window and ACI step (issue 19) on 2016 data only: each
 * BDG2 building's baselines are fitted on January–June 2016 and backtested day-ahead over July–December
 * 2016 with static bands and with rolling calibration for K ∈ {28, 56, 112} days and γ ∈ {0, 0.02, 0.05,
 * 0.1}; prints the median P10–P90 coverage and CRPS ÷ mean load per baseline. No 2017 value is read.
 *
 *   node --require ./scripts/swc-register.js test/bench/rolling-calibration-validation.ts [--data DIR] [--min-days]
 *
 * `--min-days` compares instead the days of out-of-sample forecasts needed before the rolling
 * factors replace the static ones (1, 2, 4, 7; K 56, γ 0.05). `--year-2017` is not for choosing anything:
 * it scores the baselines as bench:forecast does (fit on 2016, test on 2017), static bands against
 * the defaults, without training the model.
 *
 * `--weather DIR` (a BDG1 folder with temperature, where the hour-of-week + temperature baseline is
 * real) compares the minimum days (1, 2, 4, 7) on a split inside bench:forecast's training days: fit on
 * the first 40 % of the days, test on the next 30 % (bench:forecast tests on the last 30 %, which
 * this never reads). `--weather-test` adds bench:forecast's own split (for reporting, not choosing).
 */
import * as path from 'node:path';
import { RollingCalibrationOptions, backtestDayAhead, calendarInfo } from '@halve/forecasting';
import { BuildingData, readBuildingsFolder, readWeatherFolder } from './building-data';
import { median } from './stats';

function main(): void {
  const i = process.argv.indexOf('--data');
  const w = process.argv.indexOf('--weather');
  const dir =
    i > 0 ? path.resolve(process.argv[i + 1]) : path.resolve(__dirname, '../../../shared/data/buildings');
  if (w > 0) return weatherMinDays(readWeatherFolder(path.resolve(process.argv[w + 1])));
  const buildings = readBuildingsFolder(dir);
  const configs: [string, RollingCalibrationOptions | false][] = [['static', false]];
  const year2017 = process.argv.includes('--year-2017');
  if (year2017) configs.push(['rolling (defaults)', {}]);
  else if (process.argv.includes('--min-days'))
    for (const minDays of [1, 2, 4, 7]) configs.push([`K56 g0.05 min${minDays}`, { minDays }]);
  else
    for (const windowDays of [28, 56, 112])
      for (const adaptRate of [0, 0.02, 0.05, 0.1])
        configs.push([`K${windowDays} g${adaptRate}`, { windowDays, adaptRate }]);
  const res: Record<string, Record<string, { cov: number[]; crps: number[] }>> = {};
  for (const b of buildings) {
    const s = b.series;
    const cal = calendarInfo(s, s.valuesKwh.length);
    const at = (y: number, m: number): number =>
      cal.dayStarts.find((d) => s.startMs + d * s.intervalMinutes * 60_000 >= Date.UTC(y, m, 1))!;
    // --year-2017: the evaluation the benchmark does (fit on 2016, test on 2017), static vs the defaults
    const testStart = year2017 ? at(2017, 0) : at(2016, 6);
    const testEnd = year2017 ? s.valuesKwh.length : at(2017, 0);
    let sum = 0;
    let n = 0;
    for (let t = testStart; t < testEnd; t++)
      if (Number.isFinite(s.valuesKwh[t])) {
        sum += s.valuesKwh[t];
        n++;
      }
    for (const [name, rollingCalibration] of configs) {
      const r = backtestDayAhead(s, { testStart, testEnd, rollingCalibration });
      for (const [baseline, score] of Object.entries(r.baselines)) {
        if (!Number.isFinite(score.cvRmse)) continue;
        const cell = ((res[name] ??= {})[baseline] ??= { cov: [], crps: [] });
        cell.cov.push(score.coverageP10P90);
        cell.crps.push((2 * score.pinball) / (sum / n));
      }
    }
  }
  console.log(
    `${buildings.length} buildings; ${year2017 ? '2016 → 2017' : '2016-01..06 → 2016-07..12'}; median coverage, CRPS ÷ mean load %`,
  );
  for (const [name, byBaseline] of Object.entries(res))
    console.log(
      name.padEnd(12),
      Object.entries(byBaseline)
        .map(([b, v]) => `${b} cov ${median(v.cov).toFixed(3)} crps ${(100 * median(v.crps)).toFixed(2)}`)
        .join(' | '),
    );
}

/** `--weather`: minimum days 1, 2, 4, 7 per building and baseline, coverage and CRPS ÷ mean load. */
function weatherMinDays(buildings: BuildingData[]): void {
  const splits: [string, number, number][] = [['days 40-70 %', 0.4, 0.7]];
  if (process.argv.includes('--weather-test')) splits.push(['days 70-100 % (bench test)', 0.7, 1]);
  for (const [label, from, to] of splits) {
    console.log(`${buildings.length} buildings with temperature; fit before, test ${label}`);
    for (const b of buildings) {
      const s = b.series;
      const cal = calendarInfo(s, s.valuesKwh.length);
      const at = (f: number) =>
        f >= 1 ? s.valuesKwh.length : cal.dayStarts[Math.floor(cal.dayStarts.length * f)];
      const testStart = at(from);
      const testEnd = at(to);
      const measured = s.valuesKwh.slice(testStart, testEnd).filter(Number.isFinite);
      const mean = measured.reduce((a, v) => a + v, 0) / measured.length;
      const cells: string[] = [];
      for (const minDays of [0, 1, 2, 4, 7]) {
        const rollingCalibration = minDays === 0 ? false : { minDays };
        const r = backtestDayAhead(s, { testStart, testEnd, rollingCalibration });
        const t = r.baselines.hourOfWeekTemperature;
        cells.push(
          `${minDays ? `min${minDays}` : 'static'} ${t.coverageP10P90.toFixed(3)}/${((200 * t.pinball) / mean).toFixed(1)}`,
        );
      }
      console.log(`  ${b.name.padEnd(18)} hourOfWeekTemperature cov/CRPS% ${cells.join('  ')}`);
    }
  }
}

main();
