// The portal's footprint form (apps/portal/src/pages/footprint/categories.ts) checked against the factor
// library here, where the CSV can be read: every choice the footprint form offers (kind × class or route × unit) has a factor in the shipped
// DESNZ 2024 library for GB, so no offered entry is flagged "no factor" by construction (issue 18:
// rail, hotel nights, purchased heat, water and waste by type and route included).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCarbonDataDir } from '../factors/factor-library';
import {
  activityOf,
  CATEGORIES,
  detailOptions,
  FLIGHT,
  MONEY,
  usesDetail,
} from '../../../../apps/portal/src/pages/footprint/categories';

const csv = readFileSync(join(findCarbonDataDir(), 'emission-factors.csv'), 'utf8').split('\n');
const head = csv[0].split(',');
const col = (n: string) => head.indexOf(n);
const gb2024 = new Set(
  csv
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[col('region')] === 'GB' && c[col('year')] === '2024')
    .map((c) => `${c[col('activity')]}|${c[col('variant')]}|${c[col('unit')]}`),
);

describe('footprint categories', () => {
  it('offers only choices with a DESNZ 2024 GB factor', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const category of CATEGORIES.filter((c) => !c.free && c.key !== 'refrigerants')) {
      for (const kind of category.kinds.filter((x) => x.value !== FLIGHT)) {
        const details = usesDetail(category, kind.value)
          ? detailOptions(category, kind.value).map((o) => o.value)
          : [undefined];
        for (const detail of details)
          for (const unit of kind.units.filter((u) => u !== MONEY)) {
            const { activity, variant = '' } = activityOf(kind.value, detail);
            checked++;
            if (!gb2024.has(`${activity}|${variant}|${unit}`)) missing.push(`${activity}|${variant}|${unit}`);
          }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('covers rail, hotel nights, purchased heat, water and waste by type and route', () => {
    const kinds = CATEGORIES.flatMap((c) => c.kinds.map((k) => k.value));
    for (const v of [
      'business_travel_rail:national_rail',
      'hotel_stay',
      'heat_steam:district_heat',
      'water_supply',
      'water_treatment',
      'waste:glass',
    ])
      expect(kinds).toContain(v);
    const waste = CATEGORIES.find((c) => c.key === 'waste')!;
    expect(detailOptions(waste, 'waste:glass').map((o) => o.value)).toEqual([
      'landfill',
      'combustion',
      'closed_loop',
      'open_loop',
    ]);
  });
});
