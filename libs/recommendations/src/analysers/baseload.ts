/**
 * Baseload: the always-on load, seen at night and at weekends, far above what the site's own
 * occupied-hours pattern suggests.
 *
 * From the meter's hourly data: the operating schedule (see inferOccupancy), the always-on
 * load B = median kW of the unoccupied hours, and the occupancy swing S = median occupied kW − B.
 * The target always-on load is a share of the swing, T = share × S (default share
 * {@link DEFAULT_BASELOAD_TARGET_SHARE_OF_SWING}). The swing is what the building adds when in
 * use, and does not change when a constant load is added around the clock, so a constant
 * extra load shows up one-for-one as B − T. The excess is always-on, so it runs all 8,760
 * hours of the year: annual saving = (B − T) × 8,760 h.
 *
 * Range: low uses the 25th percentile of unoccupied hours instead of the median (the part
 * present even on the quietest nights), high the mean.
 */
import {
  HOURS_PER_YEAR,
  type HourPoint,
  currentTariff,
  electricityMeters,
  energyCost,
  fmt,
  fmtMoney,
  hourlySeries,
  inferOccupancy,
  quantile,
  suggestionKey,
  typicalWeekSeries,
} from './common';
import type { MeterInput, SiteAnalysisInput, Suggestion } from './types';

/**
 * ✘ Assumption: a well-run building's always-on load is at most this share of its occupied-hours
 * swing. Measured with this module's occupancy inference on the 10 BDG2 offices in
 * ../shared/data/buildings (2017): shares 0.49, 0.53, 0.61, 0.97, 1.20, 1.39, 2.30, 2.33, 2.61,
 * 4.29 (median 1.3; the large ones carry 24/7 loads). 0.6, about the better quarter, is the
 * target; override per site with options.baseload.targetShareOfSwing.
 */
export const DEFAULT_BASELOAD_TARGET_SHARE_OF_SWING = 0.6;

/** Below this excess (kW, and share of the always-on load) no suggestion is made. */
export const DEFAULT_BASELOAD_MIN_EXCESS_KW = 0.5;
const MIN_EXCESS_SHARE = 0.1;
/**
 * The comparison needs a building that visibly switches off: its swing must be at least this
 * share of its occupied load (a dormitory, hospital or 24/7 plant has none to compare with).
 */
export const BASELOAD_MIN_SWING_SHARE = 0.3;

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput, hours: HourPoint[]): Suggestion | null {
  if (hours.length < 24 * 14) return null;
  const occupancy = inferOccupancy(hours);
  if (!occupancy.clearSchedule || !(occupancy.swingKw >= BASELOAD_MIN_SWING_SHARE * occupancy.occupiedKw)) return null;
  const share = input.options?.baseload?.targetShareOfSwing ?? DEFAULT_BASELOAD_TARGET_SHARE_OF_SWING;
  const minExcessKw = input.options?.baseload?.minExcessKw ?? DEFAULT_BASELOAD_MIN_EXCESS_KW;
  const unoccupied = hours.filter((h) => !occupancy.occupied[h.hourOfWeek]).map((h) => h.energyKwh);
  const baseloadKw = occupancy.unoccupiedKw;
  const targetKw = share * occupancy.swingKw;
  const excessKw = baseloadKw - targetKw;
  if (!(excessKw >= minExcessKw && excessKw >= MIN_EXCESS_SHARE * baseloadKw)) return null;

  const lowExcessKw = Math.max(quantile(unoccupied, 0.25) - targetKw, 0);
  const highExcessKw = Math.max(unoccupied.reduce((s, v) => s + v, 0) / unoccupied.length - targetKw, excessKw);
  const annualSavingKwh = excessKw * HOURS_PER_YEAR;
  const factor = input.emissionFactor.kgCo2ePerKwh;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  // The excess runs around the clock: price it as `excessKw` in every hour of the data, scaled to a year.
  const costPerKwAllHours = energyCost(tariff, hours.map((h) => ({ ts: h.ts, energyKwh: 1 })), input.site.timezone);
  const moneyPerKw = costPerKwAllHours === null ? null : (costPerKwAllHours * HOURS_PER_YEAR) / hours.length;
  const money = moneyPerKw === null ? null : moneyPerKw * excessKw;
  const occupiedHoursPerWeek = occupancy.occupied.filter(Boolean).length;

  return {
    type: 'baseload',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('baseload', input.site.id, meter.id),
    title: `Cut the always-on load of ${meter.name ?? 'this meter'} by ${fmt(excessKw, 1)} kW`,
    explanation:
      `Outside its ${occupiedHoursPerWeek} operating hours a week this meter still draws ${fmt(baseloadKw, 1)} kW (median of nights and weekends), ` +
      `while in use it rises to ${fmt(occupancy.occupiedKw, 1)} kW. For a building that adds ${fmt(occupancy.swingKw, 1)} kW when occupied, ` +
      `an always-on load of about ${fmt(targetKw, 1)} kW is expected. The extra ${fmt(excessKw, 1)} kW runs all 8,760 hours of the year: ` +
      `${fmt(annualSavingKwh)} kWh, ${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)} a year. ` +
      `Walk the site at night: equipment, lighting, ventilation or heating left on are the usual causes.`,
    annualSavingKwh,
    annualSavingKgCo2e: annualSavingKwh * factor,
    annualSavingMoney: money,
    currency: input.currency,
    range: moneyPerKw === null ? null : { low: moneyPerKw * lowExcessKw, high: moneyPerKw * highExcessKw },
    confidence: hours.length >= 24 * 300 ? 'high' : hours.length >= 24 * 56 ? 'medium' : 'low',
    evidence: {
      series: [typicalWeekSeries('typical week (median kW per hour of week)', occupancy.medianKwByHourOfWeek)],
      numbers: {
        baseloadKw,
        occupiedKw: occupancy.occupiedKw,
        swingKw: occupancy.swingKw,
        targetKw,
        targetShareOfSwing: share,
        excessKw,
        occupiedHoursPerWeek,
        hoursAnalysed: hours.length,
        kgCo2ePerKwh: factor,
        emissionFactorSource: input.emissionFactor.source,
        assumption: 'target always-on load = share × occupancy swing (✘ default share: the better quarter of 10 BDG2 offices)',
      },
    },
  };
}

/** Baseload analyser (see the file comment). One suggestion per electricity meter at most. */
export function analyseBaseload(input: SiteAnalysisInput): Suggestion[] {
  return electricityMeters(input)
    .map((meter) => analyseMeter(input, meter, hourlySeries(meter.readings, meter.intervalMinutes, input.site.timezone)))
    .filter((s): s is Suggestion => s !== null);
}
