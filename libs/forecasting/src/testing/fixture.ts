/** Test helper: loads the committed six-week building slice (see __fixtures__/SOURCE.txt). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeterSeries, markMissing } from '../series';

export function loadFixtureSeries(): MeterSeries {
  const text = fs.readFileSync(
    path.join(__dirname, '..', '__fixtures__', 'bear-education-alvaro-2017-6w.csv'),
    'utf8',
  );
  const rows = text.trim().split(/\r?\n/).slice(1);
  const first = rows[0].split(',')[0];
  const [d, t] = first.split(' ');
  const [y, m, day] = d.split('-').map(Number);
  const startMs = Date.UTC(y, m - 1, day, Number(t.slice(0, 2)));
  // wall-clock labels read as a floating local clock (see test/bench/building-data.ts)
  return {
    startMs,
    intervalMinutes: 60,
    valuesKwh: markMissing(rows.map((r) => Number(r.split(',')[1]))),
    timeZone: 'UTC',
    countryCode: 'US',
  };
}
