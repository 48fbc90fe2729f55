import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDemoDir, pvFileInYear } from './demo.seeder';

describe('the demo PV file replayed in the reporting year', () => {
  const csv =
    'measured_on,ac_power_w\n2012-02-28 12:00:00-07:00,1500\n2012-02-29 12:00:00-07:00,1400\n2012-03-01 12:00:00-07:00,1600\n';

  it('moves every timestamp to the year, keeping the header, the time, the offset and the value', () => {
    expect(pvFileInYear(csv, 2016)).toBe(csv.replace(/2012-/g, '2016-'));
  });

  it('drops 29 February in a year without one', () => {
    expect(pvFileInYear(csv, 2017).split('\n')).toEqual([
      'measured_on,ac_power_w',
      '2017-02-28 12:00:00-07:00,1500',
      '2017-03-01 12:00:00-07:00,1600',
      '',
    ]);
  });

  it('keeps the published file’s values: 2012 minus its 29 February', () => {
    const published = readFileSync(join(findDemoDir(), 'pvdaq-system50-2012.csv'), 'utf8');
    const moved = pvFileInYear(published, 2017).split('\n');
    const original = published.split('\n').filter((l) => !l.startsWith('2012-02-29'));
    expect(moved).toHaveLength(original.length);
    expect(moved.map((l) => l.slice(4))).toEqual(original.map((l) => l.slice(4)));
    expect(moved.slice(1).every((l) => l === '' || l.startsWith('2017-'))).toBe(true);
  });
});
