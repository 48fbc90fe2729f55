/**
 * The savings report's sums (pure): estimates by review status, the open suggestions combined with
 * overlaps counted once, and the measured (M&V) savings of verified measures.
 */
import { combineSavings } from './analysers/combined';
import type { RecommendationsRepository } from './recommendations.repository';

type MoneyTotals = Record<string, number>;
interface Totals {
  count: number;
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  annualSavingMoney: MoneyTotals;
}
type Rows<K extends keyof RecommendationsRepository> = RecommendationsRepository[K] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

/** Estimated savings by status: open (new, accepted), implemented (implemented, verified, not achieved) and rejected. */
export function totalsByStatus(rows: Rows<'totalsByStatus'>): {
  estimated: Totals;
  implemented: Totals;
  rejected: Totals;
} {
  const empty = (): Totals => ({
    count: 0,
    annualSavingKwh: 0,
    annualSavingKgCo2e: 0,
    annualSavingMoney: {},
  });
  const estimated = empty();
  const implemented = empty();
  const rejected = empty();
  for (const r of rows) {
    const target =
      r.status === 'new' || r.status === 'accepted'
        ? estimated
        : r.status === 'rejected'
          ? rejected
          : implemented;
    target.count += r.count;
    target.annualSavingKwh += r.kwh;
    target.annualSavingKgCo2e += r.kg;
    if (r.money !== null)
      target.annualSavingMoney[r.currency] = (target.annualSavingMoney[r.currency] ?? 0) + r.money;
  }
  return { estimated, implemented, rejected };
}

/**
 * What implementing every open suggestion would save, overlaps counted once. Overlaps are recorded per
 * analysis between suggestions of one site; keys are unique per site, so one pass per currency is enough.
 */
export function combinedOpenSavings(open: Rows<'openForCombination'>) {
  const combined = {
    annualSavingKwh: 0,
    annualSavingKgCo2e: 0,
    annualSavingMoney: {} as MoneyTotals,
    overlapKwh: 0,
  };
  for (const currency of new Set(open.map((o) => o.currency))) {
    const c = combineSavings(open.filter((o) => o.currency === currency));
    combined.annualSavingKwh += c.annualSavingKwh;
    combined.annualSavingKgCo2e += c.annualSavingKgCo2e;
    combined.overlapKwh += c.overlapKwh;
    if (c.annualSavingMoney !== null) combined.annualSavingMoney[currency] = c.annualSavingMoney;
  }
  return combined;
}

/** Measured savings of verified measures, priced with each suggestion's own factor and price per kWh. */
export function verifiedSavings(verifiedRows: Rows<'verifiedWithResults'>) {
  const verified = {
    count: 0,
    measuredSavingKwh: 0,
    measuredSavingKgCo2e: 0,
    measuredSavingMoney: {} as MoneyTotals,
    annualisedSavingKwh: 0,
    byMeasure: [] as unknown[],
  };
  for (const { recommendation: r, verification: v } of verifiedRows) {
    verified.count++;
    const kwh = v?.status === 'succeeded' ? Number(v.verifiedSavingKwh) : 0;
    const kg = kwh * r.basis.emissionFactor.kgCo2ePerKwh;
    const pricePerKwh =
      r.annualSavingKwh > 0 && r.annualSavingMoney !== null ? r.annualSavingMoney / r.annualSavingKwh : null;
    const reportingHours =
      v?.reportingFrom && v.reportingTo
        ? (v.reportingTo.getTime() - v.reportingFrom.getTime()) / 3_600_000
        : 0;
    const annualised = reportingHours > 0 ? (kwh * 8760) / reportingHours : 0;
    verified.measuredSavingKwh += kwh;
    verified.measuredSavingKgCo2e += kg;
    verified.annualisedSavingKwh += annualised;
    if (pricePerKwh !== null)
      verified.measuredSavingMoney[r.currency] =
        (verified.measuredSavingMoney[r.currency] ?? 0) + kwh * pricePerKwh;
    verified.byMeasure.push({
      id: r.id,
      type: r.type,
      title: r.title,
      estimatedAnnualSavingKwh: r.annualSavingKwh,
      measuredSavingKwh: kwh,
      reportingFrom: v?.reportingFrom ?? null,
      reportingTo: v?.reportingTo ?? null,
      fractionalSavingsUncertainty: v?.fractionalSavingsUncertainty ?? null,
      meetsGuideline14: v?.meetsGuideline14 ?? null,
    });
  }
  return verified;
}
