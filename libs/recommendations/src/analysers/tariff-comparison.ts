/**
 * Tariff comparison: the cheapest of the tariffs the organisation entered, for the meter's
 * real profile. Each tariff's bill is estimated month by month (local calendar months, ✘
 * assumed billing periods): energy charge + demand charge on the month's highest 15-minute
 * (or interval) demand (../tariffs estimateBill). Annual cost = Σ monthly bills × 8,760 /
 * hours of data. The range is the annual saving implied by the best and worst single month.
 * A tariff change re-prices energy: annualSavingKwh and annualSavingKgCo2e are 0.
 */
import { DateTime } from 'luxon';
import { estimateBill } from '../tariffs';
import { HOURS_PER_YEAR, currentTariff, electricityMeters, fmt, suggestionKey } from './common';
import type { MeterInput, SiteAnalysisInput, Suggestion, TariffOption } from './types';

export interface TariffCost {
  tariffId: string;
  name: string;
  annualCost: number;
  /** cost per local calendar month, yyyy-MM → amount */
  monthly: Map<string, number>;
}

/** Annualised cost of each tariff for a meter's readings (exported for tests). */
export function costTariffs(meter: MeterInput, tariffs: readonly TariffOption[], zone: string): TariffCost[] {
  const readings = meter.readings.filter((r) => Number.isFinite(r.energyKwh));
  const byMonth = new Map<string, { start: Date; energyKwh: number }[]>();
  for (const r of readings) {
    const key = DateTime.fromJSDate(r.ts, { zone }).toFormat('yyyy-MM');
    const list = byMonth.get(key) ?? [];
    list.push({ start: r.ts, energyKwh: r.energyKwh });
    byMonth.set(key, list);
  }
  const hours = (readings.length * meter.intervalMinutes) / 60;
  return tariffs.map((option) => {
    const monthly = new Map<string, number>();
    for (const [month, list] of byMonth) {
      monthly.set(
        month,
        estimateBill(option.tariff, list, { zone, intervalMinutes: meter.intervalMinutes }).totalCost,
      );
    }
    const total = [...monthly.values()].reduce((s, v) => s + v, 0);
    return { tariffId: option.id, name: option.name, annualCost: (total * HOURS_PER_YEAR) / hours, monthly };
  });
}

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput): Suggestion | null {
  const usable = input.tariffs.filter((t) => t.tariff.currency === input.currency);
  if (usable.length < 2 || meter.readings.length === 0) return null;
  const current = currentTariff(usable)!;
  const costs = costTariffs(meter, usable, input.site.timezone);
  const currentCost = costs.find((c) => c.tariffId === current.id)!;
  const best = costs.reduce((a, b) => (b.annualCost < a.annualCost ? b : a));
  if (best.tariffId === current.id) return null;
  const saving = currentCost.annualCost - best.annualCost;
  if (!(saving > 0)) return null;
  const monthsSeen = [...currentCost.monthly.keys()];
  const hoursPerMonth = new Map<string, number>();
  for (const r of meter.readings) {
    const key = DateTime.fromJSDate(r.ts, { zone: input.site.timezone }).toFormat('yyyy-MM');
    hoursPerMonth.set(key, (hoursPerMonth.get(key) ?? 0) + meter.intervalMinutes / 60);
  }
  const perMonthAnnual = monthsSeen.map(
    (m) => ((currentCost.monthly.get(m)! - best.monthly.get(m)!) * HOURS_PER_YEAR) / hoursPerMonth.get(m)!,
  );
  const others = costs.filter((c) => c.tariffId !== current.id && c.tariffId !== best.tariffId);
  return {
    type: 'tariff',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('tariff', input.site.id, meter.id),
    title: `Switch ${meter.name ?? 'this meter'} to ${best.name}`,
    explanation:
      `Priced on this meter's own consumption (${fmt(monthsSeen.length)} months of data, scaled to a year), ${current.name} costs about ${input.currency} ${fmt(currentCost.annualCost)} a year ` +
      `and ${best.name} ${input.currency} ${fmt(best.annualCost)}: ${input.currency} ${fmt(saving)} less` +
      `${others.length ? ` (also compared: ${others.map((o) => `${o.name} ${input.currency} ${fmt(o.annualCost)}`).join(', ')})` : ''}. ` +
      `Changing tariff re-prices the same energy: no kWh or CO2 is saved, so those figures are 0. Check contract terms and exit fees before switching.`,
    annualSavingKwh: 0,
    annualSavingKgCo2e: 0,
    annualSavingMoney: saving,
    currency: input.currency,
    range: { low: Math.min(...perMonthAnnual, saving), high: Math.max(...perMonthAnnual, saving) },
    confidence: monthsSeen.length >= 12 ? 'high' : monthsSeen.length >= 3 ? 'medium' : 'low',
    evidence: {
      series: costs.map((c) => ({
        name: c.name,
        unit: input.currency,
        points: [...c.monthly.entries()].map(([ts, value]) => ({ ts, value })),
      })),
      numbers: Object.fromEntries([
        ['currentTariffId', current.id],
        ['bestTariffId', best.tariffId],
        ...costs.map((c) => [`annualCost:${c.tariffId}`, c.annualCost] as const),
      ]),
    },
  };
}

/** Tariff-comparison analyser (see the file comment); needs two or more tariffs in the site currency. */
export function analyseTariffs(input: SiteAnalysisInput): Suggestion[] {
  return electricityMeters(input)
    .map((meter) => analyseMeter(input, meter))
    .filter((s): s is Suggestion => s !== null);
}
