/**
 * Bills against electricity and gas activities (issue 18): the same supply entered twice, once as a
 * utility bill and once as a footprint activity, is counted once.
 *
 * The rule: **the bill wins.** A bill is metered supply — its readings (a meter without interval data)
 * or the interval data it was reconciled against — and the inventory counts it through the meter. An
 * `electricity` or `natural_gas` activity is covered by the bills of the same commodity at its site (an
 * activity without a site: at any site of the organisation) on the days they share:
 * - every counted day of the activity covered → the activity is excluded, its line flagged
 *   COVERED_BY_BILL with no kg, and a warning names the bill(s);
 * - some days covered → the activity keeps the share of its uncovered days (quantity × uncovered days ÷
 *   counted days), with a warning naming the bill(s).
 * Days are calendar dates: an activity's period is [from, to) (`to` exclusive), a bill's both days included.
 */
import type { BillUsageRow } from '../dto/meter-usage';
import type { ActivityEntity } from '../entities/carbon.entities';

/** A bill as the inventory sees it (metering's MeterUsageService.bills). */
export type BillCoverage = BillUsageRow;

const DAY_MS = 86_400_000;
const COMMODITY: Record<string, BillCoverage['commodity']> = {
  electricity: 'electricity',
  natural_gas: 'gas',
};

export interface BillCover {
  /** days of the counted period that some bill covers */
  coveredDays: number;
  /** days of the activity counted in the inventory's period */
  countedDays: number;
  bills: BillCoverage[];
}

const day = (iso: string) => Math.round(Date.parse(iso.slice(0, 10)) / DAY_MS);

/** Merged [from, to) day intervals. */
function merge(spans: [number, number][]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/**
 * Pure: how much of an activity's counted days (its period within the inventory's [from, to)) the
 * bills cover; null when the activity is not electricity or gas, or no bill touches it.
 */
export function billCover(
  activity: Pick<ActivityEntity, 'activity' | 'siteId' | 'periodFrom' | 'periodTo'>,
  period: { from: string; to: string },
  bills: readonly BillCoverage[],
): BillCover | null {
  const commodity = COMMODITY[activity.activity];
  if (!commodity) return null;
  const from = Math.max(day(activity.periodFrom), day(period.from));
  const to = Math.min(day(activity.periodTo), day(period.to));
  if (to <= from) return null;
  const touching = bills.filter(
    (b) =>
      b.commodity === commodity &&
      (!activity.siteId || activity.siteId === b.siteId) &&
      day(b.periodFrom) < to &&
      day(b.periodTo) + 1 > from,
  );
  if (!touching.length) return null;
  const spans = merge(
    touching.map((b) => [Math.max(day(b.periodFrom), from), Math.min(day(b.periodTo) + 1, to)]),
  );
  const coveredDays = spans.reduce((s, [a, b]) => s + (b - a), 0);
  return { coveredDays, countedDays: to - from, bills: touching };
}

/** The bills of a cover as a warning's words: "bill <id> (<supplier>, <from> – <to>)". */
export function describeBills(bills: readonly BillCoverage[]): string {
  return bills
    .map((b) => `bill ${b.billId} (${b.supplier ? `${b.supplier}, ` : ''}${b.periodFrom} – ${b.periodTo})`)
    .join(', ');
}
