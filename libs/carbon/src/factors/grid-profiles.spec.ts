import { type GridProfileIndexRow, selectGridProfile } from './grid-profiles';

const row = (
  region: string,
  year: number,
  subregions: string[] = [],
  basis = 'production-based life-cycle',
): GridProfileIndexRow => ({
  region,
  year,
  file: `${region}-${year}.csv`,
  subregions,
  basis,
  licence: 'test',
});

describe('selectGridProfile: the one choice of an hourly grid-intensity profile', () => {
  const rows = [
    row('US-X', 2020, ['XSUB']),
    row('US-X', 2022, ['XSUB']),
    row('US-M', 2022, [], 'marginal operating'),
  ];

  it('takes the year asked for, else the latest earlier year, else the earliest', () => {
    expect(selectGridProfile('US-X', 2022, rows)).toMatchObject({
      region: 'US-X',
      year: 2022,
      requestedYear: 2022,
      years: [2020, 2022],
      file: 'US-X-2022.csv',
    });
    expect(selectGridProfile('US-X', 2021, rows)?.year).toBe(2020); // 2020 ≤ 2021 < 2022
    expect(selectGridProfile('US-X', 2030, rows)?.year).toBe(2022); // latest earlier
    expect(selectGridProfile('US-X', 2019, rows)?.year).toBe(2020); // nothing earlier: the earliest
  });

  it('finds the balancing authority covering an eGRID subregion; none for a region without a profile', () => {
    expect(selectGridProfile('XSUB', 2022, rows)?.region).toBe('US-X');
    expect(selectGridProfile('GB', 2022, rows)).toBeNull();
  });

  it('reads average or marginal from the basis', () => {
    expect(selectGridProfile('US-X', 2022, rows)?.intensityKind).toBe('average');
    expect(selectGridProfile('US-M', 2022, rows)?.intensityKind).toBe('marginal');
  });

  it('the shipped index: CAMX is covered by US-CISO 2022 (a proxy for 2016)', () => {
    expect(selectGridProfile('CAMX', 2016)).toMatchObject({
      region: 'US-CISO',
      year: 2022,
      requestedYear: 2016,
    });
  });
});
