/**
 * After-hours use and schedule drift: consumption outside the operating schedule.
 *
 * The schedule (occupied hours of week) and each hour of week's normal level (median kW) are
 * learned from a reference period: the data before the most recent `windowDays` (default 28);
 * with less than two weeks of it there is no suggestion. In the recent window, an unoccupied
 * hour counts as "operating" when it exceeds its normal level by more than half the occupancy
 * swing; its excess over the normal level is after-hours energy. Schedule drift is the
 * change in operating hours per week between the reference and the window.
 *
 * Annual saving: the excess in hours of week that ran late in at least half the window's weeks
 * (a habit) × 365 / window days, plus the rest (one-offs) counted once; capped at
 * {@link OPERATIONAL_MAX_SHARE_OF_USE} of the meter's annual use (a 28-day window scaled to a
 * year can otherwise turn a seasonal pattern, e.g. electric heating in December, into a claim
 * on the whole year).
 */
import {
  type HourPoint,
  MS_PER_HOUR,
  currentTariff,
  electricityMeters,
  energyCost,
  fmt,
  fmtMoney,
  hourlySeries,
  inferOccupancy,
  median,
  suggestionKey,
  typicalWeekSeries,
} from './common';
import { BASELOAD_MAX_SHARE_OF_USE } from './baseload';
import type { MeterInput, SiteAnalysisInput, Suggestion } from './types';

/** Ceiling on an out-of-hours saving as a share of the meter's annual use: the baseload measures' published 5–15 % range (baseload.ts). */
export const OPERATIONAL_MAX_SHARE_OF_USE = BASELOAD_MAX_SHARE_OF_USE;

export const DEFAULT_AFTER_HOURS_WINDOW_DAYS = 28;
/** No suggestion below this share of the window's consumption. */
const MIN_SHARE_OF_CONSUMPTION = 0.02;

function operatingHoursPerWeek(hours: readonly HourPoint[], thresholdKwByHow: readonly number[]): number {
  if (hours.length === 0) return 0;
  const operating = hours.filter((h) => h.energyKwh > thresholdKwByHow[h.hourOfWeek]).length;
  return (operating / hours.length) * 168;
}

/** Drift: operating hours per week (any hour above its unoccupied threshold, occupied hours counted as operating). */
function scheduleDrift(
  reference: readonly HourPoint[],
  window: readonly HourPoint[],
  normalKw: readonly number[],
  thresholdKw: readonly number[],
  occupied: readonly boolean[],
) {
  const operatingThreshold = normalKw.map((_, how) =>
    occupied[how] ? Number.NEGATIVE_INFINITY : thresholdKw[how],
  );
  const referenceOperatingHoursPerWeek = operatingHoursPerWeek(reference, operatingThreshold);
  const windowOperatingHoursPerWeek = operatingHoursPerWeek(window, operatingThreshold);
  return {
    referenceOperatingHoursPerWeek,
    windowOperatingHoursPerWeek,
    driftHoursPerWeek: windowOperatingHoursPerWeek - referenceOperatingHoursPerWeek,
  };
}

function afterHoursSeries(
  normalKw: readonly number[],
  excessPoints: readonly { ts: Date; energyKwh: number }[],
) {
  return [
    typicalWeekSeries('normal week (reference period, median kW)', normalKw),
    {
      name: 'after-hours excess',
      unit: 'kWh',
      points: excessPoints.map((p) => ({ ts: p.ts.toISOString(), value: p.energyKwh })),
    },
  ];
}

/** The window's hours above their usual level outside the schedule learnt from the weeks before; null when there is no clear case. */
function afterHoursExcess(input: SiteAnalysisInput, hours: HourPoint[]) {
  if (hours.length < 24 * 21) return null;
  const windowDays = input.options?.afterHours?.windowDays ?? DEFAULT_AFTER_HOURS_WINDOW_DAYS;
  const end = hours[hours.length - 1].ts.getTime() + MS_PER_HOUR;
  const windowStart = end - windowDays * 24 * MS_PER_HOUR;
  const before = hours.filter((h) => h.ts.getTime() < windowStart);
  const window = hours.filter((h) => h.ts.getTime() >= windowStart);
  // Drift needs history: at least two weeks before the window to learn the schedule from.
  if (before.length < 24 * 14 || window.length < 24 * 7) return null;
  const reference = before;
  const occupancy = inferOccupancy(reference);
  if (!occupancy.clearSchedule) return null;

  // Normal level per hour of week in the reference period, and the operating threshold.
  const byHow: number[][] = Array.from({ length: 168 }, () => []);
  for (const h of reference) byHow[h.hourOfWeek].push(h.energyKwh);
  const normalKw = byHow.map((v) => (v.length ? median(v) : occupancy.unoccupiedKw));
  const thresholdKw = normalKw.map((n, how) =>
    occupancy.occupied[how] ? Number.POSITIVE_INFINITY : n + 0.5 * occupancy.swingKw,
  );

  const excessPoints = window
    .filter((h) => h.energyKwh > thresholdKw[h.hourOfWeek])
    .map((h) => ({ ts: h.ts, energyKwh: h.energyKwh - normalKw[h.hourOfWeek] }));
  const excessKwh = excessPoints.reduce((s, p) => s + p.energyKwh, 0);
  const windowKwh = window.reduce((s, h) => s + h.energyKwh, 0);
  if (!(excessKwh > MIN_SHARE_OF_CONSUMPTION * windowKwh)) return null;
  return { before, reference, window, occupancy, normalKw, thresholdKw, excessPoints, excessKwh };
}

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput, hours: HourPoint[]): Suggestion | null {
  const found = afterHoursExcess(input, hours);
  if (!found) return null;
  const { before, reference, window, occupancy, normalKw, thresholdKw, excessPoints, excessKwh } = found;
  const windowDaysCovered = window.length / 24;
  const scale = 365 / windowDaysCovered;
  // Habit: hours of week that ran late in at least half the window's weeks; those are annualised, the rest counted once.
  const howOf = new Map(window.map((h) => [h.ts.getTime(), h.hourOfWeek]));
  const countsByHow = new Map<number, number>();
  for (const p of excessPoints) {
    const how = howOf.get(p.ts.getTime())!;
    countsByHow.set(how, (countsByHow.get(how) ?? 0) + 1);
  }
  const weeks = windowDaysCovered / 7;
  const habitual = (p: { ts: Date }) => (countsByHow.get(howOf.get(p.ts.getTime())!) ?? 0) >= weeks / 2;
  const recurringKwh = excessPoints.filter(habitual).reduce((s, p) => s + p.energyKwh, 0);
  const annualUseKwh = (hours.reduce((s, h) => s + h.energyKwh, 0) * 8760) / hours.length;
  const ceilingKwh = OPERATIONAL_MAX_SHARE_OF_USE * annualUseKwh;
  const uncappedKwh = recurringKwh * scale + (excessKwh - recurringKwh);
  const shrink = uncappedKwh > ceilingKwh ? ceilingKwh / uncappedKwh : 1;
  // Each excess hour's annual weight: × scale when habitual, once otherwise; × the cap's shrink.
  const annualPoints = excessPoints.map((p) => ({
    ts: p.ts,
    energyKwh: p.energyKwh * (habitual(p) ? scale : 1) * shrink,
  }));
  const annualSavingKwh = uncappedKwh * shrink;
  const factor = input.emissionFactor.kgCo2ePerKwh;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const money = energyCost(tariff, annualPoints, input.site.timezone);

  const drift = scheduleDrift(reference, window, normalKw, thresholdKw, occupancy.occupied);
  const afterHoursPerWeek = (excessPoints.length / window.length) * 168;

  // Range: low counts only the habit (annualised); high annualises every excess hour; both within the ceiling.
  const lowCost = energyCost(tariff, annualPoints.filter(habitual), input.site.timezone);
  const highKwh = Math.min(excessKwh * scale, Math.max(ceilingKwh, annualSavingKwh));
  const highCost = energyCost(
    tariff,
    excessPoints.map((p) => ({ ts: p.ts, energyKwh: (p.energyKwh * scale * highKwh) / (excessKwh * scale) })),
    input.site.timezone,
  );

  return {
    type: 'after_hours',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('after_hours', input.site.id, meter.id),
    title: `Switch off outside operating hours on ${meter.name ?? 'this meter'}`,
    explanation:
      `In the last ${fmt(windowDaysCovered)} days the site ran outside its usual schedule for about ${fmt(afterHoursPerWeek, 1)} hours a week ` +
      `(operating hours per week: ${fmt(drift.referenceOperatingHoursPerWeek, 1)} before, ${fmt(drift.windowOperatingHoursPerWeek, 1)} now). ` +
      `Those hours used ${fmt(excessKwh)} kWh more than the same hours normally do, ${fmt(recurringKwh)} kWh of it in hours that ran late in at least half the weeks (a habit, counted for the year; the rest counted once). ` +
      `If the habit continues it adds ${fmt(annualSavingKwh)} kWh${shrink < 1 ? ` (capped at ${fmt(OPERATIONAL_MAX_SHARE_OF_USE * 100)} % of the meter's use: a few weeks scaled to a year can overstate a seasonal pattern)` : ''}, ` +
      `${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)} a year. Check time switches, BMS schedules and holiday settings.`,
    annualSavingKwh,
    annualSavingKgCo2e: annualSavingKwh * factor,
    annualSavingMoney: money,
    currency: input.currency,
    range:
      money === null || lowCost === null || highCost === null
        ? null
        : { low: Math.min(lowCost, money), high: Math.max(highCost, money) },
    confidence: windowDaysCovered >= 21 && before.length >= 24 * 56 ? 'medium' : 'low',
    evidence: {
      series: afterHoursSeries(normalKw, excessPoints),
      numbers: {
        windowDays: windowDaysCovered,
        excessKwhInWindow: excessKwh,
        recurringExcessKwhInWindow: recurringKwh,
        annualUseKwh,
        shareOfAnnualUsePct: (100 * annualSavingKwh) / annualUseKwh,
        cappedAtShareOfUsePct: shrink < 1 ? OPERATIONAL_MAX_SHARE_OF_USE * 100 : 'no',
        afterHoursPerWeek,
        ...drift,
        swingKw: occupancy.swingKw,
        kgCo2ePerKwh: factor,
        emissionFactorSource: input.emissionFactor.source,
      },
    },
    savingProfile: { meterId: meter.id, kind: 'spike', scale: 1, points: annualPoints },
  };
}

/** After-hours and schedule-drift analyser (see the file comment). */
export function analyseAfterHours(input: SiteAnalysisInput): Suggestion[] {
  return electricityMeters(input)
    .map((meter) =>
      analyseMeter(input, meter, hourlySeries(meter.readings, meter.intervalMinutes, input.site.timezone)),
    )
    .filter((s): s is Suggestion => s !== null);
}
