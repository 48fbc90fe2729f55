/** Test helper: the committed six-week office slice with outdoor temperature (see __fixtures__/SOURCE.txt). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeterSeries, markMissing } from '../series';

export const WEATHER_FIXTURE = 'office-abigail-2015-6w-weather.csv';

/** BDG1 Office_Abigail (Phoenix), 2015-07-06 .. 2015-08-16, hourly kWh and °C (−9999 → missing). */
export function loadWeatherFixtureSeries(): MeterSeries {
  const text = fs.readFileSync(path.join(__dirname, '..', '__fixtures__', WEATHER_FIXTURE), 'utf8');
  const rows = text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((r) => r.split(','));
  const [d, t] = rows[0][0].split(' ');
  const [y, m, day] = d.split('-').map(Number);
  const temperature = (raw: string): number => {
    const v = raw === '' ? Number.NaN : Number(raw);
    return v > -50 ? v : Number.NaN;
  };
  return {
    // wall-clock labels read as a floating local clock (see test/bench/building-data.ts)
    startMs: Date.UTC(y, m - 1, day, Number(t.slice(0, 2))),
    intervalMinutes: 60,
    valuesKwh: markMissing(rows.map((r) => Number(r[1]))),
    timeZone: 'UTC',
    countryCode: 'US',
    temperatureC: rows.map((r) => temperature(r[2])),
  };
}
