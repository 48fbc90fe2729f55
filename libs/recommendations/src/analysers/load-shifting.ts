/**
 * Load shifting: move the flexible part of the load (✘ default 10 % of each hour's use:
 * water heating, charging, pumps, batch processes) to hours of on-site PV surplus or of low
 * grid carbon intensity, within the same local day.
 *
 * Per day, each hour can give its flexible share; hours can take energy up to the day's own
 * peak (no new peak) and, where there is PV surplus, up to that surplus at zero carbon and
 * the export price. Donors and receivers are paired greedily, dearest donor with cheapest
 * receiver, by carbon when an hourly grid profile or PV surplus is available, else by price
 * (TOU). CO2 saved = Σ kWh moved × (factor_from − factor_to) by the hourly factors (factorsAt:
 * the site's annual factor, shaped by the hourly profile; an average-intensity profile says so,
 * since the marginal plant that answers a moved kWh can differ from the average); money =
 * Σ kWh moved × (price_from − price_to). The energy is moved, not saved: annualSavingKwh = 0.
 * Annual = totals × 8,760 / hours of data.
 *
 * On-site generation: the metered generation when given; else the PV forecast's mean per
 * (local hour of day) applied to every day (✘ a typical-day stand-in for history).
 */
import {
  HOURS_PER_YEAR,
  type HourPoint,
  currentTariff,
  factorsAt,
  fmt,
  fmtMoney,
  hourlySeries,
  localCalendar,
  pricesAt,
  siteElectricityHourly,
  suggestionKey,
} from './common';
import type { SiteAnalysisInput, Suggestion } from './types';

/** ✘ Assumption: share of each hour's consumption that can move within the day. */
export const DEFAULT_FLEXIBLE_SHARE = 0.1;
/** No suggestion when less than this share of consumption would move. */
const MIN_MOVED_SHARE = 0.01;

function generationByHour(input: SiteAnalysisInput, hours: readonly HourPoint[]): number[] | null {
  if (input.generation && input.generation.readings.length > 0) {
    const gen = new Map(
      hourlySeries(input.generation.readings, input.generation.intervalMinutes, input.site.timezone).map(
        (g) => [g.ts.getTime(), g.energyKwh],
      ),
    );
    return hours.map((h) => Math.max(gen.get(h.ts.getTime()) ?? 0, 0));
  }
  if (input.pvForecast && input.pvForecast.length > 0) {
    const sums = new Array<number>(24).fill(0);
    const counts = new Array<number>(24).fill(0);
    for (const p of input.pvForecast) {
      const hour = localCalendar(p.ts, input.site.timezone).hour;
      sums[hour] += Math.max(p.energyKwh, 0);
      counts[hour]++;
    }
    const typical = sums.map((s, i) => (counts[i] ? s / counts[i] : 0));
    return hours.map((h) => typical[h.hour]);
  }
  return null;
}

interface Slot {
  capacityKwh: number;
  carbon: number;
  price: number;
}

export interface ShiftResult {
  movedKwh: number;
  carbonSavedKg: number;
  moneySaved: number | null;
  /** kWh moved into PV surplus */
  movedIntoPvKwh: number;
}

/**
 * Greedy same-day shifting (exported for tests). `objective` decides which hours give and take.
 */
export function shiftWithinDays(
  hours: readonly HourPoint[],
  factors: readonly number[],
  prices: readonly number[] | null,
  generationKwh: readonly number[] | null,
  flexibleShare: number,
  exportPrice: number,
  objective: 'carbon' | 'price',
): ShiftResult {
  const days = new Map<string, number[]>();
  hours.forEach((h, i) => {
    const list = days.get(h.dateKey) ?? [];
    list.push(i);
    days.set(h.dateKey, list);
  });
  let movedKwh = 0;
  let carbonSavedKg = 0;
  let moneySaved = 0;
  let movedIntoPvKwh = 0;
  const priceAt = (i: number) => (prices ? prices[i] : 0);
  for (const idx of days.values()) {
    const peak = Math.max(...idx.map((i) => hours[i].energyKwh));
    const donors: (Slot & { i: number })[] = [];
    const receivers: (Slot & { pv: boolean })[] = [];
    for (const i of idx) {
      const load = hours[i].energyKwh;
      const gen = generationKwh ? generationKwh[i] : 0;
      const gridImport = Math.max(load - gen, 0);
      const surplus = Math.max(gen - load, 0);
      // Only grid-supplied energy is worth moving.
      const give = Math.min(flexibleShare * load, gridImport);
      if (give > 0) donors.push({ i, capacityKwh: give, carbon: factors[i], price: priceAt(i) });
      if (surplus > 0) receivers.push({ pv: true, capacityKwh: surplus, carbon: 0, price: exportPrice });
      const headroom = peak - Math.max(load, gen);
      if (headroom > 0)
        receivers.push({ pv: false, capacityKwh: headroom, carbon: factors[i], price: priceAt(i) });
    }
    const value = (s: Slot) => (objective === 'carbon' ? s.carbon : s.price);
    donors.sort((a, b) => value(b) - value(a));
    receivers.sort((a, b) => value(a) - value(b));
    // A donor hour cannot also receive its own energy: receivers with the same value give no gain and are skipped by the strict test.
    let r = 0;
    for (const d of donors) {
      while (d.capacityKwh > 1e-12 && r < receivers.length && value(d) > value(receivers[r]) + 1e-12) {
        const rec = receivers[r];
        const kwh = Math.min(d.capacityKwh, rec.capacityKwh);
        d.capacityKwh -= kwh;
        rec.capacityKwh -= kwh;
        movedKwh += kwh;
        carbonSavedKg += kwh * (d.carbon - rec.carbon);
        moneySaved += kwh * (d.price - rec.price);
        if (rec.pv) movedIntoPvKwh += kwh;
        if (rec.capacityKwh <= 1e-12) r++;
      }
    }
  }
  return { movedKwh, carbonSavedKg, moneySaved: prices ? moneySaved : null, movedIntoPvKwh };
}

/** Where the load moves to and what the CO2 figure is based on, in words. */
function shiftWording(
  input: SiteAnalysisInput,
  generation: boolean,
  hasProfile: boolean,
): { target: string; marginal: boolean; carbonBasis: string } {
  const target = generation
    ? 'hours when the on-site PV produces more than the site uses'
    : hasProfile
      ? 'hours when the grid is cleanest'
      : 'cheaper tariff hours';
  const marginal = hasProfile && input.gridIntensityBasis === 'marginal';
  const profileName = input.gridIntensitySource ?? 'the hourly grid profile';
  const carbonBasis = !hasProfile
    ? `the annual factor ${input.emissionFactor.kgCo2ePerKwh} kg/kWh (${input.emissionFactor.source})`
    : marginal
      ? `hourly marginal intensity (${profileName})`
      : `hourly average intensity, not marginal (${profileName}, its shape scaled to the annual factor ${input.emissionFactor.kgCo2ePerKwh} kg/kWh of ${input.emissionFactor.source})`;
  return { target, marginal, carbonBasis };
}

/** Load-shifting analyser (see the file comment); one site-level suggestion at most. */
export function analyseLoadShifting(input: SiteAnalysisInput): Suggestion[] {
  const hours = siteElectricityHourly(input);
  if (hours.length < 24 * 7) return [];
  const generation = generationByHour(input, hours);
  const hasProfile = (input.gridIntensity?.length ?? 0) > 0;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const isTou = tariff?.type === 'time_of_use';
  if (!hasProfile && !generation && !isTou) return []; // nothing varies by hour: shifting gains nothing
  const factors = factorsAt(input, hours);
  const prices = pricesAt(
    tariff,
    hours.map((h) => h.ts),
    input.site.timezone,
  );
  const share = input.options?.loadShifting?.flexibleShare ?? DEFAULT_FLEXIBLE_SHARE;
  const exportPrice = input.pvEconomics?.exportPricePerKwh ?? 0;
  const objective = hasProfile || generation ? 'carbon' : 'price';
  const result = shiftWithinDays(hours, factors, prices, generation, share, exportPrice, objective);
  const totalKwh = hours.reduce((s, h) => s + h.energyKwh, 0);
  if (
    !(result.movedKwh >= MIN_MOVED_SHARE * totalKwh) ||
    !(result.carbonSavedKg > 0 || (result.moneySaved ?? 0) > 0)
  )
    return [];

  const scale = HOURS_PER_YEAR / hours.length;
  const kg = result.carbonSavedKg * scale;
  const money = result.moneySaved === null ? null : result.moneySaved * scale;
  const movedKwh = result.movedKwh * scale;
  const intoPv = result.movedIntoPvKwh * scale;
  const rangeMoney = (s: number) =>
    (shiftWithinDays(hours, factors, prices, generation, s, exportPrice, objective).moneySaved ?? 0) * scale;
  const { target, marginal, carbonBasis } = shiftWording(input, generation !== null, hasProfile);
  return [
    {
      type: 'load_shifting',
      siteId: input.site.id,
      key: suggestionKey('load_shifting', input.site.id),
      title: `Move flexible loads into ${generation ? 'PV surplus' : hasProfile ? 'low-carbon' : 'off-peak'} hours`,
      explanation:
        `If ${fmt(share * 100)} % of each hour's use is flexible (✘ our assumption: water heating, charging, pumps, batch work), moving it within the same day ` +
        `into ${target} shifts ${fmt(movedKwh)} kWh a year${intoPv > 0 ? ` (${fmt(intoPv)} kWh of it onto your own PV)` : ''}, ` +
        `saving ${fmt(kg)} kg CO2e (by ${carbonBasis}) and ${fmtMoney(money, input.currency)} a year. ` +
        (hasProfile && !marginal
          ? `Average intensity shows when the grid is cleaner, not which plant would answer the moved load: treat the CO2 figure as indicative. `
          : '') +
        `No energy is saved (the same kWh are used at other times), so the energy saving is 0; no hour goes above the day's existing peak.`,
      annualSavingKwh: 0,
      annualSavingKgCo2e: kg,
      annualSavingMoney: money,
      currency: input.currency,
      range:
        money === null
          ? null
          : {
              low: Math.min(rangeMoney(share / 2), money),
              high: Math.max(rangeMoney(Math.min(share * 2, 1)), money),
            },
      confidence: 'low',
      evidence: {
        series: [],
        numbers: {
          flexibleShare: share,
          objective,
          movedKwhPerYear: movedKwh,
          movedIntoPvKwhPerYear: intoPv,
          kgCo2eSavedPerYear: kg,
          hoursAnalysed: hours.length,
          hourlyFactors: carbonBasis,
          intensityBasis: !hasProfile ? 'annual factor' : marginal ? 'marginal' : 'average (not marginal)',
          kgCo2ePerKwh: input.emissionFactor.kgCo2ePerKwh,
          emissionFactorSource: input.emissionFactor.source,
          assumption:
            'flexible share of each hour is an assumption; the money range uses half and twice that share',
        },
      },
    },
  ];
}
