/**
 * Peak demand: the peaks that set demand charges, and the kW and money of shaving them.
 *
 * Interval energy is summed into fixed demand blocks (default 15 min, or the meter's interval
 * when longer; ✘ then the block average understates the true 15-minute peak), kW = kWh × 60 /
 * block minutes, grouped by local calendar month (the billing period, ✘ calendar months assumed).
 * Each month's cap is the level its blocks exceed at most `allowedShareAboveCap` of the time
 * (default 0.5 %, about 3½ hours a month: rare peaks that load control or a small battery can
 * take), or an explicit `capKw`. DOMAIN.md §7: saving = (D_max,before − D_max,after) × price per
 * month; the energy above the cap is moved, not saved, so annualSavingKwh is 0.
 * Annual = Σ monthly savings × 12 / months of data. ✘ Ratchets are not modelled.
 */
import { DateTime } from 'luxon';
import { peakCapSaving } from '../tariffs';
import { MS_PER_HOUR, currentTariff, electricityMeters, fmt, suggestionKey } from './common';
import type { EvidenceSeries, MeterInput, SiteAnalysisInput, Suggestion } from './types';

export const DEFAULT_ALLOWED_SHARE_ABOVE_CAP = 0.005;
export const DEFAULT_DEMAND_BLOCK_MINUTES = 15;

interface Block {
  ts: Date;
  powerKw: number;
}

/** Fixed demand blocks aligned to the epoch (= local clock for whole-hour offsets), complete blocks only. */
export function demandBlocks(
  meter: MeterInput,
  blockMinutes: number,
): { blocks: Block[]; blockMinutes: number } {
  const minutes = Math.max(blockMinutes, meter.intervalMinutes);
  if (minutes % meter.intervalMinutes !== 0) return { blocks: [], blockMinutes: minutes };
  const perBlock = minutes / meter.intervalMinutes;
  const blockMs = minutes * 60_000;
  const sums = new Map<number, { energyKwh: number; count: number }>();
  for (const r of meter.readings) {
    if (!Number.isFinite(r.energyKwh)) continue;
    const key = Math.floor(r.ts.getTime() / blockMs);
    const b = sums.get(key) ?? { energyKwh: 0, count: 0 };
    b.energyKwh += r.energyKwh;
    b.count++;
    sums.set(key, b);
  }
  const blocks = [...sums.entries()]
    .filter(([, b]) => b.count === perBlock)
    .sort(([a], [b]) => a - b)
    .map(([key, b]) => ({ ts: new Date(key * blockMs), powerKw: (b.energyKwh * 60) / minutes }));
  return { blocks, blockMinutes: minutes };
}

/** The lowest observed level that at most ⌊share × n⌋ blocks exceed. */
export function capAtShare(powersKw: readonly number[], share: number): number {
  const sorted = [...powersKw].sort((a, b) => a - b);
  const allowedAbove = Math.floor(share * sorted.length);
  return sorted[Math.max(sorted.length - 1 - allowedAbove, 0)];
}

interface MonthResult {
  month: string;
  demandBeforeKw: number;
  capKw: number;
  saving: number;
  shavedEnergyKwh: number;
  intervalsAboveCap: number;
  peakAt: Date;
}

function monthlyShaving(
  byMonth: Map<string, Block[]>,
  price: number,
  blockMinutes: number,
  cap: (powers: number[]) => number,
): MonthResult[] {
  return [...byMonth.entries()].map(([month, blocks]) => {
    const powers = blocks.map((b) => b.powerKw);
    const demandBeforeKw = Math.max(...powers);
    const capKw = Math.min(cap(powers), demandBeforeKw);
    const r = peakCapSaving(powers, capKw, price, blockMinutes);
    const peakAt = blocks[powers.indexOf(demandBeforeKw)].ts;
    return {
      month,
      demandBeforeKw,
      capKw,
      saving: r.saving,
      shavedEnergyKwh: r.shavedEnergyKwh,
      intervalsAboveCap: r.intervalsAboveCap,
      peakAt,
    };
  });
}

/** Demand blocks grouped by local calendar month (yyyy-MM). */
function blocksByMonth(blocks: readonly Block[], zone: string): Map<string, Block[]> {
  const byMonth = new Map<string, Block[]>();
  for (const b of blocks) {
    const month = DateTime.fromJSDate(b.ts, { zone }).toFormat('yyyy-MM');
    const list = byMonth.get(month) ?? [];
    list.push(b);
    byMonth.set(month, list);
  }
  return byMonth;
}

/** Monthly billed demand before and after shaving, and the demand on the day of the highest peak. */
function peakSeries(
  central: readonly MonthResult[],
  blocks: readonly Block[],
  peakAt: Date,
): EvidenceSeries[] {
  return [
    {
      name: 'monthly billed demand',
      unit: 'kW',
      points: central.map((r) => ({ ts: r.month, value: r.demandBeforeKw })),
    },
    {
      name: 'monthly demand after shaving',
      unit: 'kW',
      points: central.map((r) => ({ ts: r.month, value: r.capKw })),
    },
    {
      name: 'peak day demand',
      unit: 'kW',
      points: blocks
        .filter((b) => Math.abs(b.ts.getTime() - peakAt.getTime()) < 12 * MS_PER_HOUR)
        .map((b) => ({ ts: b.ts.toISOString(), value: b.powerKw })),
    },
  ];
}

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput): Suggestion | null {
  const tariff = currentTariff(input.tariffs)?.tariff;
  const price = tariff?.demandChargePerKw;
  if (!tariff || !price || !(price > 0)) return null;
  const opts = input.options?.peakDemand ?? {};
  const { blocks, blockMinutes } = demandBlocks(
    meter,
    opts.demandBlockMinutes ?? DEFAULT_DEMAND_BLOCK_MINUTES,
  );
  if (blocks.length === 0) return null;
  const byMonth = blocksByMonth(blocks, input.site.timezone);
  const share = opts.allowedShareAboveCap ?? DEFAULT_ALLOWED_SHARE_ABOVE_CAP;
  const capFor = (s: number) => (powers: number[]) =>
    opts.capKw !== undefined ? opts.capKw : capAtShare(powers, s);
  const central = monthlyShaving(byMonth, price, blockMinutes, capFor(share));
  const low = monthlyShaving(byMonth, price, blockMinutes, capFor(share / 2));
  const high = monthlyShaving(byMonth, price, blockMinutes, capFor(share * 2));
  const months = central.length;
  // ✘ A partial calendar month counts as a whole billing month.
  const annual = (rs: MonthResult[]) => (rs.reduce((s, r) => s + r.saving, 0) * 12) / months;
  const annualSavingMoney = annual(central);
  if (!(annualSavingMoney > 0)) return null;
  const shavedKwh = central.reduce((s, r) => s + r.shavedEnergyKwh, 0);
  const meanShaveKw = central.reduce((s, r) => s + (r.demandBeforeKw - r.capKw), 0) / months;
  const worst = central.reduce((a, b) => (b.demandBeforeKw > a.demandBeforeKw ? b : a));
  const annualDemandCost = (central.reduce((s, r) => s + r.demandBeforeKw * price, 0) * 12) / months;

  return {
    type: 'peak_demand',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('peak_demand', input.site.id, meter.id),
    title: `Shave demand peaks on ${meter.name ?? 'this meter'} by about ${fmt(meanShaveKw, 1)} kW`,
    explanation:
      `Demand charges (${input.currency} ${fmt(price, 2)} per kW each month) are set by the highest ${blockMinutes}-minute average. ` +
      `The highest was ${fmt(worst.demandBeforeKw, 1)} kW (${worst.peakAt.toISOString()}). In a typical month the load is above ` +
      `${fmt(central.reduce((s, r) => s + r.capKw, 0) / months, 1)} kW for only ${fmt(central.reduce((s, r) => s + r.intervalsAboveCap, 0) / months, 1)} ` +
      `${blockMinutes}-minute periods; holding the load under that cap (staggering start-ups, load control or a battery) lowers billed demand by ` +
      `${fmt(meanShaveKw, 1)} kW a month and saves about ${input.currency} ${fmt(annualSavingMoney)} a year of the ${input.currency} ${fmt(annualDemandCost)} demand charges. ` +
      `It moves ${fmt(shavedKwh)} kWh out of the peaks rather than saving energy, so the energy and CO2 savings are 0.`,
    annualSavingKwh: 0,
    annualSavingKgCo2e: 0,
    annualSavingMoney,
    currency: input.currency,
    range: { low: Math.min(annual(low), annualSavingMoney), high: Math.max(annual(high), annualSavingMoney) },
    confidence: months >= 6 ? 'medium' : 'low',
    evidence: {
      series: peakSeries(central, blocks, worst.peakAt),
      numbers: {
        demandChargePerKw: price,
        blockMinutes,
        months,
        allowedShareAboveCap: share,
        maxDemandKw: worst.demandBeforeKw,
        meanShaveKw,
        energyToShiftKwh: shavedKwh,
        annualDemandCost,
        assumption: 'billing period = calendar month; no ratchet',
      },
    },
  };
}

/** Peak-demand analyser (see the file comment); needs a current tariff with a demand charge. */
export function analysePeakDemand(input: SiteAnalysisInput): Suggestion[] {
  return electricityMeters(input)
    .map((meter) => analyseMeter(input, meter))
    .filter((s): s is Suggestion => s !== null);
}
