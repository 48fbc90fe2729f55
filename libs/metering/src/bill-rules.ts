/**
 * Pure rules of utility bills (issue 18): the split of a billing period over calendar months, the
 * readings a bill writes on a bill-period meter, unit conversion into the meter's unit, the
 * reconciliation against interval data, and the reading of one bulk-file row.
 *
 * Dates: a bill's period is printed as "15 Jan – 14 Feb", both days included, so `periodFrom` and
 * `periodTo` are local calendar dates and **`periodTo` is inclusive**. Readings' `periodEnd` is an
 * exclusive instant, so a bill's readings end at local midnight of the day after `periodTo`.
 *
 * Split by days: every calendar day of the period gets an equal share of the billed quantity
 * (quantity ÷ days, whatever the day's length across a clock change); a month receives its days' shares.
 */
import { DateTime } from 'luxon';
import { type MeterKind, UnitConversionError, findUnit, resolveConversion } from './units/units';

export const BILL_METER_KINDS: readonly MeterKind[] = ['electricity_import', 'natural_gas'];
/** Units a bill may state its quantity in, by meter kind (canonical spellings of the unit table). */
export const BILL_UNITS: Readonly<Record<string, readonly string[]>> = {
  electricity_import: ['kWh', 'MWh'],
  natural_gas: ['kWh', 'MWh', 'therm', 'm3'],
};
/** A bill differing from the interval data by more than this (percent of the bill) is flagged. */
export const RECONCILIATION_TOLERANCE_PERCENT = 2;
/** Longer periods are refused: no supplier bills more than a year at once. */
export const MAX_BILL_DAYS = 366;

export class BillRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BillMonthShare {
  /** local calendar month 'YYYY-MM' */
  month: string;
  /** first day of the period in this month, ISO date */
  from: string;
  /** last day of the period in this month, ISO date, inclusive */
  to: string;
  days: number;
  quantity: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function calendarDate(value: string, field: string): DateTime {
  const d = ISO_DATE.test(value) ? DateTime.fromISO(value, { zone: 'UTC' }) : null;
  if (!d || !d.isValid)
    throw new BillRuleError(field, `${field} must be a date such as 2025-01-15, got "${value}"`);
  return d;
}

/** Number of calendar days of the period, both ends included; refuses an empty or too long period. */
export function billDays(periodFrom: string, periodTo: string): number {
  const from = calendarDate(periodFrom, 'periodFrom');
  const to = calendarDate(periodTo, 'periodTo');
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days < 1)
    throw new BillRuleError('periodTo', 'periodTo must not be before periodFrom (both days are included)');
  if (days > MAX_BILL_DAYS)
    throw new BillRuleError('periodTo', `a bill covers at most ${MAX_BILL_DAYS} days, this one ${days}`);
  return days;
}

/** The period's months, each with its days and its share (quantity × days ÷ period days). */
export function splitBillByDays(periodFrom: string, periodTo: string, quantity: number): BillMonthShare[] {
  const total = billDays(periodFrom, periodTo);
  const last = calendarDate(periodTo, 'periodTo');
  const shares: BillMonthShare[] = [];
  let start = calendarDate(periodFrom, 'periodFrom');
  while (start <= last) {
    const monthEnd = start.endOf('month').startOf('day');
    const end = monthEnd < last ? monthEnd : last;
    const days = Math.round(end.diff(start, 'days').days) + 1;
    shares.push({
      month: start.toFormat('yyyy-MM'),
      from: start.toISODate() ?? '',
      to: end.toISODate() ?? '',
      days,
      quantity: (quantity * days) / total,
    });
    start = end.plus({ days: 1 });
  }
  return shares;
}

/** Local midnight of an ISO date in `zone`, as an instant. */
export function localMidnight(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}

/** The bill's instants: [start, end), end = local midnight after the inclusive last day. */
export function billInstants(periodFrom: string, periodTo: string, zone: string): { start: Date; end: Date } {
  billDays(periodFrom, periodTo);
  const next = calendarDate(periodTo, 'periodTo').plus({ days: 1 }).toISODate() ?? periodTo;
  return { start: localMidnight(periodFrom, zone), end: localMidnight(next, zone) };
}

/**
 * The readings a bill writes on a bill-period meter: one per month share, from the share's first
 * local midnight to the midnight after its last day (periodEnd exclusive), so the monthly rollups
 * — what the inventory reads — hold exactly the days' shares.
 */
export function billReadings(
  shares: readonly BillMonthShare[],
  zone: string,
): { ts: Date; periodEnd: Date; value: number }[] {
  return shares.map((s) => {
    const { start, end } = billInstants(s.from, s.to, zone);
    return { ts: start, periodEnd: end, value: s.quantity };
  });
}

export interface BillMeter {
  kind: MeterKind;
  unit: string;
  intervalMinutes: number | null;
  gasCalorificValueKwhPerM3: number | null;
}

/** The bill's unit, canonical; refuses units a bill of this meter kind cannot be in. */
export function billUnit(unit: string, meter: BillMeter): string {
  if (!BILL_METER_KINDS.includes(meter.kind))
    throw new BillRuleError(
      'meterId',
      `bills are for electricity import and natural gas meters, not ${meter.kind}`,
    );
  const found = findUnit(unit);
  const allowed = BILL_UNITS[meter.kind];
  if (!found || !allowed.includes(found.unit))
    throw new BillRuleError('unit', `a ${meter.kind} bill is in ${allowed.join(', ')}, got "${unit}"`);
  return found.unit;
}

/** Factor from the bill's unit to `toUnit` for this meter (gas: the meter's calorific value, else the default). */
export function billFactor(unit: string, toUnit: string, meter: BillMeter): number {
  try {
    return resolveConversion({
      meterKind: meter.kind,
      meterUnit: toUnit,
      fileUnit: unit,
      intervalMinutes: meter.intervalMinutes,
      gasCalorificValueKwhPerM3: meter.gasCalorificValueKwhPerM3 ?? undefined,
    }).factor;
  } catch (err) {
    if (err instanceof UnitConversionError) throw new BillRuleError('unit', err.message);
    throw err;
  }
}

export interface Reconciliation {
  /** sum of the meter's interval readings over the bill period, in the meter's unit */
  intervalQuantity: number;
  /** (bill − interval) ÷ interval × 100; null when the interval data sums to 0 */
  differencePercent: number | null;
  flagged: boolean;
}

/** Bill against interval data, both in the meter's unit: flagged when they differ by more than 2 %. */
export function reconcile(billQuantity: number, intervalQuantity: number): Reconciliation {
  if (intervalQuantity === 0)
    return { intervalQuantity, differencePercent: null, flagged: billQuantity !== 0 };
  const differencePercent = ((billQuantity - intervalQuantity) / intervalQuantity) * 100;
  return {
    intervalQuantity,
    differencePercent,
    flagged: Math.abs(differencePercent) > RECONCILIATION_TOLERANCE_PERCENT,
  };
}
