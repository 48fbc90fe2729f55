// Hourly grid-intensity profiles (EIA-930 only). Part of scripts/build-factor-library.mjs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import { sharedDir, outDir } from './common.mjs';

// ---------------------------------------------------------------- Hourly grid intensity (EIA-930 only)
export const EIA_BA = [
  { ba: 'CISO', region: 'US-CISO', egrid: 'CAMX' },
  { ba: 'ERCO', region: 'US-ERCO', egrid: 'ERCT' },
  { ba: 'PJM', region: 'US-PJM', egrid: 'RFCE RFCW RFCM SRVC' },
];

export function buildGridIntensity() {
  const dir = join(outDir, 'grid-intensity');
  mkdirSync(dir, { recursive: true });
  const index = [
    'region,year,file,balancingAuthority,approxEgridSubregions,hours,gapHours,meanGCo2PerKwh,basis,licence',
  ];
  for (const { ba, region, egrid } of EIA_BA) {
    const file = join(sharedDir, `grid-intensity/us-eia930-2022/${ba}_NG_&_avgCI.csv`);
    const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true });
    const out = ['hourUtc,gCo2PerKwh,carbonFreeShare'];
    let gaps = 0;
    let sum = new Decimal(0);
    let n = 0;
    for (const r of records) {
      const hour = r.timestamp.replace(' ', 'T').replace('+00:00', 'Z');
      if (r.avg_CI === '' || r.avg_CI === undefined) {
        out.push(`${hour},,`);
        gaps++;
        continue;
      }
      const g = (k) => Decimal.max(0, new Decimal(r[k] === '' ? 0 : r[k]));
      const clean = g('WND').plus(g('SUN')).plus(g('WAT')).plus(g('NUC'));
      const total = clean.plus(g('OIL')).plus(g('NG')).plus(g('COL')).plus(g('OTH'));
      const share = total.isZero() ? '' : clean.div(total).toDecimalPlaces(6).toFixed();
      const ci = new Decimal(r.avg_CI).toDecimalPlaces(4);
      sum = sum.plus(ci);
      n++;
      out.push(`${hour},${ci.toFixed()},${share}`);
    }
    const name = `${region}-2022.csv`;
    writeFileSync(join(dir, name), out.join('\n') + '\n');
    index.push(
      [
        region,
        2022,
        name,
        ba,
        egrid,
        records.length,
        gaps,
        sum.div(n).toDecimalPlaces(3).toFixed(),
        'production-based life-cycle (IPCC AR5 median per fuel)',
        'EIA-930 public domain; avg_CI derivation MIT (HPE dc-rl)',
      ].join(','),
    );
  }
  writeFileSync(join(dir, 'index.csv'), index.join('\n') + '\n');
}
