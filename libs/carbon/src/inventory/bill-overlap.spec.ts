import { billCover, describeBills, type BillCoverage } from './bill-overlap';

const bill = (over: Partial<BillCoverage> = {}): BillCoverage => ({
  billId: 'b1',
  siteId: 's1',
  commodity: 'electricity',
  periodFrom: '2024-01-15',
  periodTo: '2024-02-14',
  supplier: 'EDF',
  ...over,
});
const year = { from: '2024-01-01', to: '2025-01-01' };

describe('billCover: a bill covers the electricity/gas activity of its days (the bill wins)', () => {
  it('covers an activity of the same site and days wholly (15 Jan – 14 Feb is 31 days, activity [15 Jan, 15 Feb))', () => {
    const cover = billCover(
      { activity: 'electricity', siteId: 's1', periodFrom: '2024-01-15', periodTo: '2024-02-15' },
      year,
      [bill()],
    );
    expect(cover).toMatchObject({ coveredDays: 31, countedDays: 31 });
  });

  it('covers part of a quarter: January activity [1 Jan, 1 Apr) = 91 days (2024 leap), bill 15 Jan – 14 Feb = 31 days', () => {
    const cover = billCover(
      { activity: 'electricity', siteId: null, periodFrom: '2024-01-01', periodTo: '2024-04-01' },
      year,
      [bill({ siteId: 'elsewhere' })],
    );
    // an activity without a site is covered by bills at any site
    expect(cover).toMatchObject({ coveredDays: 31, countedDays: 31 + 29 + 31 });
  });

  it('counts days two overlapping-in-time bills share once, clipped to the inventory period', () => {
    const cover = billCover(
      { activity: 'natural_gas', siteId: 's1', periodFrom: '2023-12-01', periodTo: '2024-03-01' },
      year,
      [
        bill({ billId: 'g1', commodity: 'gas', periodFrom: '2023-12-01', periodTo: '2024-01-31' }),
        bill({ billId: 'g2', commodity: 'gas', periodFrom: '2024-01-20', periodTo: '2024-02-10' }),
      ],
    );
    // counted: 1 Jan – 29 Feb = 60 days; covered: 1 Jan – 10 Feb = 41 days
    expect(cover).toMatchObject({ coveredDays: 41, countedDays: 60 });
    expect(cover?.bills.map((b) => b.billId)).toEqual(['g1', 'g2']);
  });

  it('leaves other commodities, other sites, other days and other activities alone', () => {
    const elec = { activity: 'electricity', siteId: 's1', periodFrom: '2024-01-15', periodTo: '2024-02-15' };
    expect(billCover(elec, year, [bill({ commodity: 'gas' })])).toBeNull();
    expect(billCover(elec, year, [bill({ siteId: 's2' })])).toBeNull();
    expect(billCover(elec, year, [bill({ periodFrom: '2024-03-01', periodTo: '2024-03-31' })])).toBeNull();
    // the bill's last day is 14 Feb: an activity from 15 Feb is not covered
    expect(
      billCover({ ...elec, periodFrom: '2024-02-15', periodTo: '2024-03-01' }, year, [bill()]),
    ).toBeNull();
    expect(billCover({ ...elec, activity: 'diesel' }, year, [bill()])).toBeNull();
  });

  it('names the bills in words', () => {
    expect(describeBills([bill(), bill({ billId: 'b2', supplier: null })])).toBe(
      'bill b1 (EDF, 2024-01-15 – 2024-02-14), bill b2 (2024-01-15 – 2024-02-14)',
    );
  });
});
