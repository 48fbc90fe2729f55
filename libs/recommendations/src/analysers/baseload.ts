/**
 * Baseload: the always-on load, seen at night and at weekends, far above what buildings of the
 * same type keep on.
 *
 * From the meter's hourly data: the operating schedule (see inferOccupancy), the always-on
 * load B = median kW of the unoccupied hours and the occupied load D = median kW of the
 * occupied hours. The target always-on load is the night/day ratio of the building type,
 * T = r(type) × D ({@link BASELOAD_NIGHT_DAY_RATIO}). An always-on load runs in every hour, so
 * the excess E = B − T is counted in every hour of the data, but never below the target:
 * saving_h = min(E, max(load_h − T, 0)) (a quiet night already near the target saves less),
 * annualised by 8,760 / hours of data. The result is capped at
 * {@link BASELOAD_MAX_SHARE_OF_USE} of the meter's annual use, the top of the range published
 * baseload measures achieve.
 *
 * Range: low counts the excess only in unoccupied hours (equipment needed by day and merely
 * left on at night), high is the central value (already the ceiling of what the hours allow).
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
  suggestionKey,
  typicalWeekSeries,
} from './common';
import type { MeterInput, SiteAnalysisInput, Suggestion } from './types';

/**
 * Target night/day ratio (median unoccupied kW ÷ median occupied kW) by building type.
 *
 * ✘ Our measurement, not a published table: the median ratio of the BDG2 buildings in
 * ../shared/data/buildings (2017, this module's occupancy inference) that have a clear
 * schedule, by BDG2 primary use — offices n = 7 (0.33, 0.35, 0.38, 0.49, 0.55, 0.58, 0.70 →
 * 0.5), education n = 14 (median 0.54 → 0.55), public services n = 4 (0.21–0.31 → 0.3),
 * entertainment/public assembly n = 4 (0.42–0.66 → 0.65). Types with fewer than 4 such
 * buildings use 'default' (0.5, the median of all 33). The median, not the better quarter: a
 * building is asked to come down to typical peers, not to the best of them.
 */
export const BASELOAD_NIGHT_DAY_RATIO: Readonly<Record<string, number>> = {
  office: 0.5,
  school: 0.55,
  education: 0.55,
  university: 0.55,
  public: 0.3,
  public_services: 0.3,
  entertainment: 0.65,
  public_assembly: 0.65,
  entertainment_public_assembly: 0.65,
  default: 0.5,
};

/** The night/day ratio for a building type ('default' when the type is unknown or not given). */
export function baseloadNightDayRatio(buildingType: string | undefined): { ratio: number; type: string } {
  const type = (buildingType ?? '').toLowerCase().replace(/[\s/-]+/g, '_');
  if (type && BASELOAD_NIGHT_DAY_RATIO[type] !== undefined)
    return { ratio: BASELOAD_NIGHT_DAY_RATIO[type], type };
  return { ratio: BASELOAD_NIGHT_DAY_RATIO.default, type: 'default' };
}

/**
 * Ceiling on the saving, as a share of the meter's annual use. Published measures that cut
 * baseload and out-of-hours running save about 5–15 % of a building's electricity
 * (✘ the range quoted by the domain review of issue 16; e.g. PNNL's building re-tuning
 * guides (Katipamula et al., PNNL-22225, 2012) and LBNL's retro-commissioning meta-analysis
 * (Mills, 2009: median whole-building saving 16 %) report savings of this order; not re-read here).
 */
export const BASELOAD_MAX_SHARE_OF_USE = 0.15;

/** Below this excess (kW, and share of the always-on load) no suggestion is made. */
export const DEFAULT_BASELOAD_MIN_EXCESS_KW = 0.5;
const MIN_EXCESS_SHARE = 0.1;
/**
 * The comparison needs a building that visibly switches off: its swing must be at least this
 * share of its occupied load (a dormitory, hospital or 24/7 plant has none to compare with).
 */
export const BASELOAD_MIN_SWING_SHARE = 0.3;

/**
 * kWh of an always-on excess of `excessKw` above a target of `targetKw`, hour by hour: each
 * hour gives min(excess, load − target), never less than 0. A flat 5 kW excess over the 8,760
 * hours of a year gives 5 × 8,760 = 43,800 kWh.
 */
export function excessAboveTargetKwh(
  hours: readonly { energyKwh: number }[],
  targetKw: number,
  excessKw: number,
): number[] {
  return hours.map((h) => Math.max(Math.min(excessKw, h.energyKwh - targetKw), 0));
}

/** The buildings the target ratio comes from, in words: the type's benchmark, or buildings in general (default or a ratio given). */
function benchmarkWords(type: string, ratioGiven: boolean): string {
  return type === 'default' || ratioGiven ? 'buildings in general' : `${type.replace(/_/g, ' ')} buildings`;
}

function analyseMeter(input: SiteAnalysisInput, meter: MeterInput, hours: HourPoint[]): Suggestion | null {
  if (hours.length < 24 * 14) return null;
  const occupancy = inferOccupancy(hours);
  if (!occupancy.clearSchedule || !(occupancy.swingKw >= BASELOAD_MIN_SWING_SHARE * occupancy.occupiedKw))
    return null;
  const bench = baseloadNightDayRatio(input.site.buildingType);
  const ratio = input.options?.baseload?.targetRatio ?? bench.ratio;
  const minExcessKw = input.options?.baseload?.minExcessKw ?? DEFAULT_BASELOAD_MIN_EXCESS_KW;
  const baseloadKw = occupancy.unoccupiedKw;
  const targetKw = ratio * occupancy.occupiedKw;
  const excessKw = baseloadKw - targetKw;
  if (!(excessKw >= minExcessKw && excessKw >= MIN_EXCESS_SHARE * baseloadKw)) return null;

  const scale = HOURS_PER_YEAR / hours.length;
  const perHour = excessAboveTargetKwh(hours, targetKw, excessKw);
  const uncappedKwh = perHour.reduce((s, v) => s + v, 0) * scale;
  const annualUseKwh = hours.reduce((s, h) => s + h.energyKwh, 0) * scale;
  const ceilingKwh = BASELOAD_MAX_SHARE_OF_USE * annualUseKwh;
  const capped = uncappedKwh > ceilingKwh;
  // Capping scales every hour alike, so the price and the hourly profile keep their shape.
  const shrink = capped ? ceilingKwh / uncappedKwh : 1;
  const savedPoints = hours.map((h, i) => ({ ts: h.ts, energyKwh: perHour[i] * shrink }));
  const annualSavingKwh = uncappedKwh * shrink;
  const unoccupiedKwh = savedPoints.filter((_, i) => !occupancy.occupied[hours[i].hourOfWeek]);
  const factor = input.emissionFactor.kgCo2ePerKwh;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const cost = energyCost(tariff, savedPoints, input.site.timezone);
  const money = cost === null ? null : cost * scale;
  const lowCost = energyCost(tariff, unoccupiedKwh, input.site.timezone);
  const occupiedHoursPerWeek = occupancy.occupied.filter(Boolean).length;
  const typeWords = benchmarkWords(bench.type, input.options?.baseload?.targetRatio !== undefined);

  return {
    type: 'baseload',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('baseload', input.site.id, meter.id),
    title: `Cut the always-on load of ${meter.name ?? 'this meter'} by ${fmt(excessKw, 1)} kW`,
    explanation:
      `Outside its ${occupiedHoursPerWeek} operating hours a week this meter still draws ${fmt(baseloadKw, 1)} kW (median of nights and weekends), ` +
      `${fmt((100 * baseloadKw) / occupancy.occupiedKw)} % of the ${fmt(occupancy.occupiedKw, 1)} kW it draws in use. Typical ${typeWords} keep about ` +
      `${fmt(ratio * 100)} % on (${fmt(targetKw, 1)} kW here). The extra ${fmt(excessKw, 1)} kW, counted hour by hour and never below that level, ` +
      `comes to ${fmt(annualSavingKwh)} kWh a year${capped ? ` (capped at ${fmt(BASELOAD_MAX_SHARE_OF_USE * 100)} % of the meter's use, the most published baseload measures achieve)` : ''}, ` +
      `${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)}. ` +
      `Walk the site at night: equipment, lighting, ventilation or heating left on are the usual causes.`,
    annualSavingKwh,
    annualSavingKgCo2e: annualSavingKwh * factor,
    annualSavingMoney: money,
    currency: input.currency,
    range: money === null || lowCost === null ? null : { low: Math.min(lowCost * scale, money), high: money },
    confidence: hours.length >= 24 * 300 ? 'high' : hours.length >= 24 * 56 ? 'medium' : 'low',
    evidence: {
      series: [
        typicalWeekSeries('typical week (median kW per hour of week)', occupancy.medianKwByHourOfWeek),
      ],
      numbers: {
        baseloadKw,
        occupiedKw: occupancy.occupiedKw,
        targetKw,
        targetNightDayRatio: ratio,
        benchmarkBuildingType: bench.type,
        excessKw,
        annualUseKwh,
        shareOfAnnualUsePct: (100 * annualSavingKwh) / annualUseKwh,
        cappedAtShareOfUsePct: capped ? BASELOAD_MAX_SHARE_OF_USE * 100 : 'no',
        occupiedHoursPerWeek,
        hoursAnalysed: hours.length,
        kgCo2ePerKwh: factor,
        emissionFactorSource: input.emissionFactor.source,
        assumption:
          'target = night/day ratio of the building type × occupied load (✘ median of BDG2 buildings of that use); ceiling 15 % of use',
      },
    },
    savingProfile: {
      meterId: meter.id,
      kind: 'reduction',
      scale,
      points: savedPoints.filter((p) => p.energyKwh > 0),
    },
  };
}

/** Baseload analyser (see the file comment). One suggestion per electricity meter at most. */
export function analyseBaseload(input: SiteAnalysisInput): Suggestion[] {
  return electricityMeters(input)
    .map((meter) =>
      analyseMeter(input, meter, hourlySeries(meter.readings, meter.intervalMinutes, input.site.timezone)),
    )
    .filter((s): s is Suggestion => s !== null);
}
