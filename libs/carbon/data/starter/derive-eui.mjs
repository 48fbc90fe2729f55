/* global process, console */
// Derives electricity-use-intensity medians per BDG2 primary use from the building files in
// ../shared/data/buildings (metadata.csv + one hourly `timestamp,kwh` file per building).
// Usage: node libs/carbon/data/starter/derive-eui.mjs [buildingsDir] > libs/carbon/data/starter/electricity-eui-bdg2.csv
// Rule: calendar year 2017 (local time); a building counts when its 2017 hours are < 5 % missing and < 5 % zero
// (a raw BDG2 meter reads 0 when not reporting); its annual kWh = the sum of valid hours × 8760 / valid hours.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '../shared/data/buildings';
const YEAR = '2017';
const [head, ...rows] = readFileSync(join(dir, 'metadata.csv'), 'utf8').trim().split('\n');
const cols = head.split(',');
const at = (r, c) => r.split(',')[cols.indexOf(c)];
const byUse = new Map();
const skipped = [];
for (const r of rows) {
  const building = at(r, 'building');
  const use = at(r, 'use');
  const sqm = Number(at(r, 'sqm'));
  const lines = readFileSync(join(dir, `${building}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  let sum = 0,
    valid = 0,
    zero = 0,
    hours = 0;
  for (const l of lines) {
    const [ts, v] = l.split(',');
    if (!ts.startsWith(YEAR)) continue;
    hours++;
    if (v === '' || v === undefined || Number.isNaN(Number(v))) continue;
    const x = Number(v);
    if (x === 0) zero++;
    else {
      sum += x;
      valid++;
    }
  }
  const missingShare = (hours - valid - zero) / hours;
  if (!(sqm > 0) || missingShare >= 0.05 || zero / hours >= 0.05) {
    skipped.push(
      `${building} (missing ${(missingShare * 100).toFixed(1)} %, zero ${((zero / hours) * 100).toFixed(1)} %)`,
    );
    continue;
  }
  const eui = (sum * 8760) / valid / sqm;
  const list = byUse.get(use) ?? [];
  list.push(eui);
  byUse.set(use, list);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log('primaryUse,buildings,medianKwhPerM2Year,minKwhPerM2Year,maxKwhPerM2Year');
for (const [use, xs] of [...byUse].sort((a, b) => a[0].localeCompare(b[0]))) {
  const q = (x) => x.toFixed(1);
  const name = use.includes(',') ? `"${use}"` : use;
  console.log(`${name},${xs.length},${q(median(xs))},${q(Math.min(...xs))},${q(Math.max(...xs))}`);
}
console.error(`excluded ${skipped.length}: ${skipped.join('; ')}`);
