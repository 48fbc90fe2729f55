import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The M&V case shared by the recommendations and certification suites: a New York dormitory (BDG1
 * UnivDorm_Prince, 2015, hourly, with temperature) whose readings from the implementation day on are
 * cut by a known 10 %.
 */
export const DORM = readFileSync(
  join(
    __dirname,
    '..',
    '..',
    'libs',
    'recommendations',
    'src',
    'mv',
    '__fixtures__',
    'univdorm-prince-2015.csv',
  ),
  'utf8',
);

export const DORM_SITE = {
  name: 'Prince dormitory',
  country: 'US',
  timezone: 'America/New_York',
  gridRegion: 'NYUP',
  latitude: 40.35,
  longitude: -74.65,
  floorAreaM2: 8144,
  tariff: { type: 'flat', currency: 'USD', pricePerKwh: 0.18 },
};

/** The meter file (10 % less from local midnight of `implementedOn`) and the site's temperature file. */
export function dormFiles(implementedOn: string): { energyCsv: string; weatherCsv: string } {
  const rows = DORM.trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const energy = rows.map(
    ([ts, kwh]) => `${ts},${ts >= `${implementedOn} 00:00` ? Number(kwh) * 0.9 : Number(kwh)}`,
  );
  const weather = rows.filter(([, , c]) => c !== '').map(([ts, , c]) => `${ts},${c}`);
  return {
    energyCsv: `timestamp,kwh\n${energy.join('\n')}\n`,
    weatherCsv: `timestamp,temperature_c\n${weather.join('\n')}\n`,
  };
}
