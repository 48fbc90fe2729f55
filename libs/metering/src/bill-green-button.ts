/**
 * Green Button billing feeds → bills (issue 18: "Green Button billing feeds land here too"). The feed
 * is parsed by the import's own reader (green-button.ts) and its series chosen as for a meter import
 * (service kind and flow direction of the meter); each reading of a day or longer is one bill: its
 * period is the local dates, in the site's zone, from its start to the instant before its end (so a
 * reading of 1 Jan 00:00 – 1 Feb 00:00 is the bill 1 Jan – 31 Jan), its cost the ESPI cost. Shorter
 * readings are interval data, which a meter import takes, not bills. Pure.
 */
import { DateTime } from 'luxon';
import { BillRuleError, type BillMeter } from './bill-rules';
import type { CreateBillDto } from './dto/bills.dto';
import { FileRejectedError } from './import/file-rejected-error';
import type { GreenButtonFeed } from './import/green-button';
import { selectGreenButtonSeries } from './import/parse-meter-file';
import { findUnit } from './units/units';

const DAY_SECONDS = 86_400;
/** ISO 4217 numeric codes of the currencies Green Button feeds carry. */
const CURRENCIES: Readonly<Record<number, string>> = {
  36: 'AUD',
  124: 'CAD',
  826: 'GBP',
  840: 'USD',
  978: 'EUR',
};

export interface BillEntry {
  /** the reading's ordinal in the series, reported as its line */
  line: number;
  bill: CreateBillDto | BillRuleError;
}

/** Bill units: energy in kWh, volume in m³, converted from the feed's unit (Wh, ft³, ...) when needed. */
function billQuantity(value: number, unit: string | null): { quantity: number; unit: string } {
  const from = unit ? findUnit(unit) : undefined;
  if (!from || from.dimension === 'power')
    throw new BillRuleError(
      'unit',
      `the feed's unit ${unit ?? '(none)'} is not an energy or gas volume unit`,
    );
  if (['kWh', 'MWh', 'therm', 'm3'].includes(from.unit)) return { quantity: value, unit: from.unit };
  const to = from.dimension === 'energy' ? 'kWh' : 'm3';
  return { quantity: (value * from.toBase) / (findUnit(to)?.toBase ?? 1), unit: to };
}

export function greenButtonBills(
  feed: GreenButtonFeed,
  meter: BillMeter & { id: string },
  zone: string,
): BillEntry[] {
  const series = selectGreenButtonSeries(feed, meter.kind);
  const short = series.readings.find((r) => r.durationSeconds < DAY_SECONDS);
  if (short)
    throw new FileRejectedError(
      'INTERVAL_MISMATCH',
      `the feed's series holds readings of ${Math.round(short.durationSeconds / 60)} minutes: that is interval data, imported as meter data (POST meters/{meterId}/imports), not bills`,
    );
  const currency = series.currency !== null ? CURRENCIES[series.currency] : undefined;
  return series.readings.map((r) => {
    try {
      if (!Number.isFinite(r.value) || r.value < 0)
        throw new BillRuleError(
          'quantity',
          `the reading's value ${r.valueText ?? r.value} is not a quantity`,
        );
      if (r.cost !== undefined && r.cost < 0)
        throw new BillRuleError('cost', `the reading's cost ${r.cost} is a credit, not a bill`);
      const start = DateTime.fromSeconds(r.startSeconds, { zone });
      const last = DateTime.fromSeconds(r.startSeconds + r.durationSeconds - 1, { zone });
      return {
        line: r.ordinal,
        bill: {
          meterId: meter.id,
          periodFrom: start.toISODate() ?? '',
          periodTo: last.toISODate() ?? '',
          ...billQuantity(r.value, series.unit),
          ...(r.cost !== undefined ? { cost: r.cost, ...(currency ? { currency } : {}) } : {}),
        },
      };
    } catch (err) {
      if (err instanceof BillRuleError) return { line: r.ordinal, bill: err };
      throw err;
    }
  });
}
