/**
 * M&V without weather: on every building of a BDG2-style folder (`<building>.csv` with
 * `timestamp,kwh` over 2016–2017 + `metadata.csv` with `building`, `tz`), fit the baseline on
 * 2016 and verify a known 10 % cut made on the real 2017 readings (reporting = 2017 × 0.9)
 * with the time-of-week model (no temperature: BDG2's weather is not obtainable here).
 * Prints, per building and in total: the verified fraction F, its 90 % FSU, whether the true
 * 0.10 lies within F ± FSU·F, and whether the baseline meets ASHRAE Guideline 14.
 *
 *   node --require ./scripts/swc-register.js test/bench/mv-without-weather.ts [--data DIR]
 *
 * Also the control: the same verification on the unreduced 2017 (true saving 0).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { type VerificationPoint, verifySavings } from '@halve/recommendations';

const argv = process.argv.slice(2);
const dataDir =
  argv[0] === '--data' ? path.resolve(argv[1]) : path.resolve(__dirname, '../../../shared/data/buildings');
const meta = fs.readFileSync(path.join(dataDir, 'metadata.csv'), 'utf8').trim().split('\n');
const head = meta[0].split(',');
const zoneOf = new Map(
  meta
    .slice(1)
    .map((l) => l.split(','))
    .map((c) => [c[head.indexOf('building')], c[head.indexOf('tz')]]),
);

let within = 0;
let g14 = 0;
let defined = 0;
let total = 0;
let controlWithin = 0;
const rows: string[] = [];
for (const file of fs
  .readdirSync(dataDir)
  .filter((f) => f.endsWith('.csv') && f !== 'metadata.csv')
  .sort()) {
  const name = file.replace(/\.csv$/, '');
  const zone = zoneOf.get(name);
  if (!zone) continue;
  const lines = fs.readFileSync(path.join(dataDir, file), 'utf8').trim().split('\n').slice(1);
  const points: VerificationPoint[] = [];
  for (const line of lines) {
    const [t, v] = line.split(',');
    const kwh = Number(v);
    if (v === '' || !Number.isFinite(kwh) || kwh < 0) continue;
    const ts = DateTime.fromFormat(t.slice(0, 19), 'yyyy-MM-dd HH:mm:ss', { zone });
    if (!ts.isValid) continue;
    points.push({ ts: ts.toJSDate(), energyKwh: kwh, temperatureC: null });
  }
  const split = DateTime.fromISO('2017-01-01', { zone }).toJSDate().getTime();
  const baseline = points.filter((p) => p.ts.getTime() < split);
  const reporting = points.filter((p) => p.ts.getTime() >= split);
  total++;
  try {
    const r = verifySavings({
      baseline,
      reporting: reporting.map((p) => ({ ...p, energyKwh: 0.9 * p.energyKwh })),
      resolution: 'hourly',
      zone,
    });
    const control = verifySavings({ baseline, reporting, resolution: 'hourly', zone });
    const fsu = r.fractionalSavingsUncertainty;
    const ok = fsu !== null && Math.abs(r.savingsFraction - 0.1) <= fsu * r.savingsFraction;
    if (fsu !== null) defined++;
    if (ok) within++;
    if (r.meetsGuideline14) g14++;
    if (r.savingUncertaintyKwh !== null && Math.abs(control.verifiedSavingKwh) <= r.savingUncertaintyKwh)
      controlWithin++;
    rows.push(
      `${name.padEnd(34)} ${r.method.segmentation?.padEnd(20)} F ${(100 * r.savingsFraction).toFixed(1).padStart(6)} %  FSU90 ${fsu === null ? '     –' : (100 * fsu).toFixed(0).padStart(4) + ' %'}  CV ${(100 * r.baselineCvRmse).toFixed(1).padStart(5)} %  ${ok ? 'within' : 'OUT   '}  G14 ${r.meetsGuideline14 ? 'yes' : 'no '}`,
    );
  } catch (e) {
    rows.push(`${name.padEnd(34)} not verifiable: ${(e as Error).message}`);
  }
}
console.log(rows.join('\n'));
console.log(
  `\n${total} buildings, baseline 2016, reporting 2017 × 0.9, time-of-week model (not weather-normalised):`,
);
console.log(
  `  FSU defined (positive saving): ${defined}; true 10 % within F ± FSU(90 %): ${within}; baseline + FSU meet G14: ${g14}`,
);
console.log(`  control (2017 unreduced): |saving| within the reduced run's stated ±kWh: ${controlWithin}`);
