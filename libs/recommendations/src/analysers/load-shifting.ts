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
 *
 * The coming hours: with the site's net-load forecast (input.netLoadForecast, P50 load and PV +
 * wind per hour after the data), the same shifting runs on the forecast hours (forecastShiftPlan)
 * and the suggestion names the windows to move load into (largest first: where forecast PV
 * surplus is, else the cleanest or cheapest hours with headroom) with that plan's kWh, CO2e and
 * money. The annual figures stay those of the measured year.
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
  /** kWh each hour (by index) gives, takes in, and takes into PV surplus */
  givenKwh: number[];
  receivedKwh: number[];
  receivedIntoPvKwh: number[];
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
  const givenKwh = new Array<number>(hours.length).fill(0);
  const receivedKwh = new Array<number>(hours.length).fill(0);
  const receivedIntoPvKwh = new Array<number>(hours.length).fill(0);
  const priceAt = (i: number) => (prices ? prices[i] : 0);
  for (const idx of days.values()) {
    const peak = Math.max(...idx.map((i) => hours[i].energyKwh));
    const donors: (Slot & { i: number })[] = [];
    const receivers: (Slot & { i: number; pv: boolean })[] = [];
    for (const i of idx) {
      const load = hours[i].energyKwh;
      const gen = generationKwh ? generationKwh[i] : 0;
      const gridImport = Math.max(load - gen, 0);
      const surplus = Math.max(gen - load, 0);
      // Only grid-supplied energy is worth moving.
      const give = Math.min(flexibleShare * load, gridImport);
      if (give > 0) donors.push({ i, capacityKwh: give, carbon: factors[i], price: priceAt(i) });
      if (surplus > 0) receivers.push({ i, pv: true, capacityKwh: surplus, carbon: 0, price: exportPrice });
      const headroom = peak - Math.max(load, gen);
      if (headroom > 0)
        receivers.push({ i, pv: false, capacityKwh: headroom, carbon: factors[i], price: priceAt(i) });
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
        givenKwh[d.i] += kwh;
        receivedKwh[rec.i] += kwh;
        if (rec.pv) {
          movedIntoPvKwh += kwh;
          receivedIntoPvKwh[rec.i] += kwh;
        }
        if (rec.capacityKwh <= 1e-12) r++;
      }
    }
  }
  return {
    movedKwh,
    carbonSavedKg,
    moneySaved: prices ? moneySaved : null,
    movedIntoPvKwh,
    givenKwh,
    receivedKwh,
    receivedIntoPvKwh,
  };
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

/** The coming hours' shifting by the site's net-load forecast (see forecastShiftPlan). */
export interface ForecastShiftPlan {
  hours: number;
  movedKwh: number;
  movedIntoPvKwh: number;
  carbonSavedKg: number;
  moneySaved: number | null;
  objective: 'carbon' | 'price';
  /** runs of consecutive hours that take load, largest first; local time in `label` */
  windows: { from: Date; to: Date; kwh: number; intoPvKwh: number; label: string }[];
  /** per forecast hour: the forecast net load (P50) and what moves in (+) or out (−) */
  series: { ts: Date; netKwh: number; shiftedKwh: number }[];
}

/**
 * The same same-day shifting (shiftWithinDays) on the forecast hours instead of history: the
 * forecast load gives the flexible share, the forecast PV and wind the surplus, the grid profile's
 * (month, hour) shape and the tariff the hours' carbon and price. Null without a forecast, or when
 * nothing in those hours varies (no profile, no generation, no time-of-use tariff).
 */
export function forecastShiftPlan(
  input: SiteAnalysisInput,
  share: number,
  exportPrice: number,
): ForecastShiftPlan | null {
  const points = input.netLoadForecast ?? [];
  if (!points.length) return null;
  const zone = input.site.timezone;
  const hours = hourlySeries(
    points.map((p) => ({ ts: p.ts, energyKwh: Math.max(p.loadKwh, 0) })),
    60,
    zone,
  );
  const byTs = new Map(points.map((p) => [p.ts.getTime(), Math.max(p.generationKwh, 0)]));
  const generation = hours.map((h) => byTs.get(h.ts.getTime()) ?? 0);
  const hasGeneration = generation.some((g) => g > 0);
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const hasProfile = (input.gridIntensity?.length ?? 0) > 0;
  if (!hasProfile && !hasGeneration && tariff?.type !== 'time_of_use') return null;
  const objective = hasProfile || hasGeneration ? 'carbon' : 'price';
  const prices = pricesAt(
    tariff,
    hours.map((h) => h.ts),
    zone,
  );
  const r = shiftWithinDays(
    hours,
    factorsAt(input, hours),
    prices,
    hasGeneration ? generation : null,
    share,
    exportPrice,
    objective,
  );
  const windows: ForecastShiftPlan['windows'] = [];
  for (let i = 0; i < hours.length; i++) {
    if (!(r.receivedKwh[i] > 1e-9)) continue;
    const last = windows[windows.length - 1];
    const ts = hours[i].ts;
    if (last && last.to.getTime() === ts.getTime()) {
      last.to = new Date(ts.getTime() + 3_600_000);
      last.kwh += r.receivedKwh[i];
      last.intoPvKwh += r.receivedIntoPvKwh[i];
    } else
      windows.push({
        from: ts,
        to: new Date(ts.getTime() + 3_600_000),
        kwh: r.receivedKwh[i],
        intoPvKwh: r.receivedIntoPvKwh[i],
        label: '',
      });
  }
  for (const w of windows) w.label = windowLabel(w.from, w.to, zone);
  windows.sort((a, b) => b.kwh - a.kwh);
  return {
    hours: hours.length,
    movedKwh: r.movedKwh,
    movedIntoPvKwh: r.movedIntoPvKwh,
    carbonSavedKg: r.carbonSavedKg,
    moneySaved: r.moneySaved,
    objective,
    windows,
    series: hours.map((h, i) => ({
      ts: h.ts,
      netKwh: h.energyKwh - generation[i],
      shiftedKwh: r.receivedKwh[i] - r.givenKwh[i],
    })),
  };
}

/** 'yyyy-mm-dd hh:00–hh:00' in the site's zone (24:00 for midnight at the end). */
function windowLabel(from: Date, to: Date, zone: string): string {
  const a = localCalendar(from, zone);
  const b = localCalendar(new Date(to.getTime() - 3_600_000), zone);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return `${a.dateKey} ${hh(a.hour)}–${hh(b.hour + 1)}`;
}

/** The forecast plan in words, for the explanation. */
function planWording(plan: ForecastShiftPlan, currency: string): string {
  if (!plan.windows.length || plan.movedKwh <= 0)
    return `In the ${plan.hours} forecast hours ahead, nothing is worth moving. `;
  const [best, ...rest] = plan.windows;
  const pv = best.intoPvKwh > 0 ? ` (${fmt(best.intoPvKwh, 1)} kWh of it into forecast PV surplus)` : '';
  return (
    `By the site's net-load forecast for the next ${plan.hours} hours, the best hours to move it into are ${best.label}${pv}` +
    `${rest.length ? `, then ${rest.map((w) => w.label).join(', ')}` : ''}: ` +
    `${fmt(plan.movedKwh, 1)} kWh moved, saving ${fmt(plan.carbonSavedKg, 1)} kg CO2e and ${plan.moneySaved === null ? fmtMoney(null, currency) : `${currency} ${fmt(plan.moneySaved, 2)}`} in those hours. `
  );
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
  const rangeMoney = (s: number) =>
    (shiftWithinDays(hours, factors, prices, generation, s, exportPrice, objective).moneySaved ?? 0) * scale;
  const money = result.moneySaved === null ? null : result.moneySaved * scale;
  return [
    shiftSuggestion(input, {
      result,
      scale,
      share,
      objective,
      hasProfile,
      generation: generation !== null,
      hoursAnalysed: hours.length,
      range:
        money === null
          ? null
          : {
              low: Math.min(rangeMoney(share / 2), money),
              high: Math.max(rangeMoney(Math.min(share * 2, 1)), money),
            },
      plan: forecastShiftPlan(input, share, exportPrice),
    }),
  ];
}

/** The suggestion from the year's shifting (annual figures) and the forecast's plan (the coming hours). */
function shiftSuggestion(
  input: SiteAnalysisInput,
  a: {
    result: ShiftResult;
    scale: number;
    share: number;
    objective: 'carbon' | 'price';
    hasProfile: boolean;
    generation: boolean;
    hoursAnalysed: number;
    range: { low: number; high: number } | null;
    plan: ForecastShiftPlan | null;
  },
): Suggestion {
  const { result, scale, share, hasProfile, plan } = a;
  const kg = result.carbonSavedKg * scale;
  const money = result.moneySaved === null ? null : result.moneySaved * scale;
  const movedKwh = result.movedKwh * scale;
  const intoPv = result.movedIntoPvKwh * scale;
  const { target, marginal, carbonBasis } = shiftWording(input, a.generation, hasProfile);
  return {
    type: 'load_shifting',
    siteId: input.site.id,
    key: suggestionKey('load_shifting', input.site.id),
    title: `Move flexible loads into ${a.generation ? 'PV surplus' : hasProfile ? 'low-carbon' : 'off-peak'} hours`,
    explanation:
      `If ${fmt(share * 100)} % of each hour's use is flexible (✘ our assumption: water heating, charging, pumps, batch work), moving it within the same day ` +
      `into ${target} shifts ${fmt(movedKwh)} kWh a year${intoPv > 0 ? ` (${fmt(intoPv)} kWh of it onto your own PV)` : ''}, ` +
      `saving ${fmt(kg)} kg CO2e (by ${carbonBasis}) and ${fmtMoney(money, input.currency)} a year. ` +
      (plan ? planWording(plan, input.currency) : '') +
      (hasProfile && !marginal
        ? `Average intensity shows when the grid is cleaner, not which plant would answer the moved load: treat the CO2 figure as indicative. `
        : '') +
      `No energy is saved (the same kWh are used at other times), so the energy saving is 0; no hour goes above the day's existing peak.`,
    annualSavingKwh: 0,
    annualSavingKgCo2e: kg,
    annualSavingMoney: money,
    currency: input.currency,
    range: a.range,
    confidence: 'low',
    evidence: {
      series: plan ? planSeries(plan) : [],
      numbers: {
        flexibleShare: share,
        objective: a.objective,
        movedKwhPerYear: movedKwh,
        movedIntoPvKwhPerYear: intoPv,
        kgCo2eSavedPerYear: kg,
        hoursAnalysed: a.hoursAnalysed,
        hourlyFactors: carbonBasis,
        intensityBasis: !hasProfile ? 'annual factor' : marginal ? 'marginal' : 'average (not marginal)',
        kgCo2ePerKwh: input.emissionFactor.kgCo2ePerKwh,
        emissionFactorSource: input.emissionFactor.source,
        assumption:
          'flexible share of each hour is an assumption; the money range uses half and twice that share',
        ...(plan ? planNumbers(plan) : {}),
      },
    },
  };
}

function planNumbers(plan: ForecastShiftPlan): Record<string, number | string> {
  return {
    forecastHours: plan.hours,
    forecastObjective: plan.objective,
    forecastShiftWindow: plan.windows[0]?.label ?? 'none',
    forecastShiftWindows: plan.windows.map((w) => `${w.label} (${fmt(w.kwh, 1)} kWh)`).join('; ') || 'none',
    forecastMovedKwh: plan.movedKwh,
    forecastMovedIntoPvKwh: plan.movedIntoPvKwh,
    forecastKgCo2eSaved: plan.carbonSavedKg,
    ...(plan.moneySaved !== null ? { forecastMoneySaved: plan.moneySaved } : {}),
  };
}

function planSeries(plan: ForecastShiftPlan) {
  return [
    {
      name: 'net load forecast (P50)',
      unit: 'kWh',
      points: plan.series.map((p) => ({ ts: p.ts.toISOString(), value: p.netKwh })),
    },
    {
      name: 'flexible load moved (+ in, − out)',
      unit: 'kWh',
      points: plan.series.map((p) => ({ ts: p.ts.toISOString(), value: p.shiftedKwh })),
    },
  ];
}
