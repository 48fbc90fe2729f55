/**
 * The demo's gas bills (issue 18 item 6): the campus teaching building has no gas interval meter, so
 * its gas comes as a quarterly bill from the utility, the way a small business's does. The bills name
 * no meter: the first makes the campus's "Gas (billed)" meter, as it would for a business without one.
 *
 * Real-looking, not real: PG&E's G-NR1 is its published small-commercial gas schedule; the meter-read
 * dates, account and quantities are made up for the demo (a heating-led profile: winter quarters high).
 * Read dates follow on without a gap, so a period that crosses months (and the year) is split by days.
 */
import type { CreateBillDto } from './dto/bills.dto';

/** Therms by quarter, per year: the base year 2016 and the reporting year 2017. */
const THERMS: Readonly<Record<number, readonly number[]>> = {
  2016: [7400, 5100, 2300, 6900],
  2017: [7150, 4980, 2260, 6720],
};
/** Meter reads: 6 Jan, 6 Apr, 7 Jul, 6 Oct; each bill runs to the day before the next read. */
const READS = ['01-06', '04-06', '07-07', '10-06'];
const PRICE_PER_THERM = 1.46;

const dayBefore = (iso: string) => new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10);

/** Pure: the four quarterly gas bills of `year` for the campus site (`siteId`). */
export function demoGasBills(year: number, siteId: string): CreateBillDto[] {
  const therms = THERMS[year];
  if (!therms) return [];
  return READS.map((read, q) => {
    const next = q < 3 ? `${year}-${READS[q + 1]}` : `${year + 1}-${READS[0]}`;
    return {
      commodity: 'gas' as const,
      siteId,
      supplier: 'PG&E',
      account: '4417220918-3',
      tariffName: 'G-NR1 (small commercial gas)',
      periodFrom: `${year}-${read}`,
      periodTo: dayBefore(next),
      quantity: therms[q],
      unit: 'therm',
      cost: Math.round(therms[q] * PRICE_PER_THERM * 100) / 100,
      currency: 'USD',
    };
  });
}
