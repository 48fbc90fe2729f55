/**
 * PV sizing for a site without PV: the system size that maximises the value of the energy the
 * site uses itself (plus any export income) against its cost.
 *
 * Generation per kWp for every hour of the site's data: Ineichen clear-sky irradiance at the
 * hour's midpoint (@halve/forecasting solar helpers, DOMAIN.md §4), isotropic plane of array
 * (south-facing in the northern hemisphere, tilt = |latitude| capped at 35°), SAPM cell
 * temperature (measured outdoor temperature when given, else 15 °C; wind 1 m/s), PVWatts DC
 * with γ = −0.0037/°C, the PVWatts default losses (14.08 %), the PVWatts inverter at DC/AC
 * 1.2, times a clearness factor (actual ÷ clear-sky energy; ✘ {@link defaultClearnessFactor}). An hour for
 * which the site's weather has global horizontal irradiance uses it instead of the clear sky and the clearness
 * factor: GHI split into beam and diffuse by Erbs, the same plane of array and PVWatts chain (on TMY3 Greensboro
 * within 1.5 % of the plane of array from its measured DNI and DHI, where clear sky × 0.75 is 8.7 % high; README).
 * For each candidate size: self-consumed = Σ min(generation, load), exported = the rest;
 * annual value = self-consumed × the tariff's price at that hour + exported × export price.
 * The proposed size maximises the net present value over the lifetime at the discount rate among
 * the sizes whose self-consumed kWh stay within {@link PV_MAX_SELF_CONSUMED_SHARE_OF_USE} of the
 * site's annual electricity use; when that ceiling binds, the evidence keeps the unconstrained optimum.
 * CO2 avoided = self-consumed kWh × the site's annual location-based factor (the inventory's, as
 * for every suggestion); exported
 * energy is not subtracted from the site's footprint (DOMAIN.md §8 vector 40).
 * annualSavingKwh = grid electricity avoided (self-consumed), not a cut in use.
 */
import {
  HOURS_PER_YEAR,
  type HourPoint,
  MS_PER_HOUR,
  currentTariff,
  fmt,
  fmtMoney,
  pricesAt,
  siteElectricityHourly,
  suggestionKey,
} from './common';
import type { EvidenceSeries, SiteAnalysisInput, Suggestion } from './types';
import { defaultClearnessFactor, pvKwhPerKwp } from './pv-yield';

export * from './pv-yield';

/**
 * ✘ Installed cost per kWp of a small commercial rooftop system, by currency: our rough
 * 2024 figures, not a quote. Enter a real quote through pvEconomics.costPerKwp.
 */
export const DEFAULT_PV_COST_PER_KWP: Record<string, number> = { GBP: 1100, EUR: 1200, USD: 1800, CNY: 4000 };
export const DEFAULT_PV_LIFETIME_YEARS = 25;
/** ✘ Roof area per kWp of modules including access and spacing, m². */
export const ROOF_M2_PER_KWP = 6;
/**
 * ✘ Usable roof as a share of the floor area when the roof area is not entered: about a
 * 2–3 storey building with three quarters of its roof usable.
 */
export const DEFAULT_USABLE_ROOF_SHARE_OF_FLOOR_AREA = 0.3;
export const DEFAULT_PV_DISCOUNT_RATE = 0.05;

export interface PvOption {
  kwp: number;
  generationKwh: number;
  selfConsumedKwh: number;
  exportedKwh: number;
  annualValue: number;
  npv: number;
}

/**
 * Largest share of the site's annual electricity use the PV suggestion's self-consumed
 * generation may make up. A first phase sized on the daytime load a site survey can confirm:
 * the roof (✘ 0.3 × floor area unless entered) and the load profile are assumptions, and a
 * larger system relies on both. The other suggestions follow the same 30 % ceiling
 * (test/bench/suggestions.ts checks all of them, PV included, on the 68 shared buildings).
 */
export const PV_MAX_SELF_CONSUMED_SHARE_OF_USE = 0.3;

/** What one candidate size is evaluated against: per-hour unit generation, load and price, and the economics. */
export interface PvEvaluationInput {
  /** AC kWh per kWp for each hour */
  unit: readonly number[];
  /** the site's load for the same hours */
  hours: readonly { energyKwh: number }[];
  /** import price for each hour */
  prices: readonly number[];
  exportPrice: number;
  /** hours → a year (8,760 ÷ hours analysed) */
  scale: number;
  costPerKwp: number;
  /** present value of 1 a year over the lifetime at the discount rate */
  annuity: number;
}

/** One candidate size: self-consumed = Σ min(generation, load), the rest exported; annual figures scaled to a year. */
export function evaluatePvSize(kwp: number, e: PvEvaluationInput): PvOption {
  let gen = 0;
  let self = 0;
  let value = 0;
  for (let i = 0; i < e.hours.length; i++) {
    const g = kwp * e.unit[i];
    const s = Math.min(g, e.hours[i].energyKwh);
    gen += g;
    self += s;
    value += s * e.prices[i] + (g - s) * e.exportPrice;
  }
  const annualValue = value * e.scale;
  return {
    kwp,
    generationKwh: gen * e.scale,
    selfConsumedKwh: self * e.scale,
    exportedKwh: (gen - self) * e.scale,
    annualValue,
    npv: annualValue * e.annuity - kwp * e.costPerKwp,
  };
}

/** The size proposed and the unconstrained NPV optimum (the same option when the cap does not bind). */
export interface PvChoice {
  proposed: PvOption;
  optimum: PvOption;
  /** the optimum self-consumes more than the cap allows, so a smaller size is proposed */
  capBinds: boolean;
  /** the cap in kWh a year: maxShare × annual use */
  capKwh: number;
}

const npvBest = (options: readonly PvOption[]): PvOption | null =>
  options.reduce<PvOption | null>((a, b) => (a === null || b.npv > a.npv ? b : a), null);

/**
 * The NPV-best size among those whose self-consumed kWh is at most maxShare of the annual use
 * ({@link PV_MAX_SELF_CONSUMED_SHARE_OF_USE}); null when no such size has a positive NPV.
 */
export function choosePvSize(
  options: readonly PvOption[],
  annualUseKwh: number,
  maxShare = PV_MAX_SELF_CONSUMED_SHARE_OF_USE,
): PvChoice | null {
  const capKwh = maxShare * annualUseKwh;
  const optimum = npvBest(options);
  const proposed = npvBest(options.filter((o) => o.selfConsumedKwh <= capKwh));
  if (!optimum || !proposed || !(proposed.npv > 0)) return null;
  return { proposed, optimum, capBinds: optimum.selfConsumedKwh > capKwh, capKwh };
}

/** Everything the size choice and the suggestion text need for one site. */
interface PvContext extends PvEvaluationInput {
  input: SiteAnalysisInput;
  hours: readonly HourPoint[];
  latitude: number;
  lifetime: number;
  rate: number;
  clearness: number;
  /** for each hour: whether its generation comes from the site's measured irradiance (else clear sky × clearness) */
  measured: readonly boolean[];
  /** share of the daytime hours (sun above the horizon at the hour's middle) with measured irradiance */
  measuredShare: number;
  tiltDeg: number;
  /** roof room in kWp; +∞ when neither roof nor floor area is known */
  roofKwp: number;
  annualUseKwh: number;
}

/** Usable roof in kWp: the entered roof area, else a share of the floor area, else unlimited. */
function roofLimitKwp(site: SiteAnalysisInput['site']): number {
  const roofM2 =
    site.roofAreaM2 ??
    (site.floorAreaM2 !== undefined ? site.floorAreaM2 * DEFAULT_USABLE_ROOF_SHARE_OF_FLOOR_AREA : undefined);
  return roofM2 === undefined ? Number.POSITIVE_INFINITY : roofM2 / ROOF_M2_PER_KWP;
}

/** The site's hours, unit generation, prices and economics; null when PV sizing does not apply. */
function pvContext(input: SiteAnalysisInput): PvContext | null {
  const { site } = input;
  if (site.latitude === undefined || site.longitude === undefined) return null;
  if ((input.generation?.readings.length ?? 0) > 0 || (input.pvForecast?.length ?? 0) > 0) return null; // already has PV
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const hours = siteElectricityHourly(input);
  if (!tariff || hours.length < 24 * 28) return null;
  const costPerKwp = input.pvEconomics?.costPerKwp ?? DEFAULT_PV_COST_PER_KWP[input.currency];
  if (costPerKwp === undefined) return null;
  const lifetime = input.pvEconomics?.lifetimeYears ?? DEFAULT_PV_LIFETIME_YEARS;
  const rate = input.pvEconomics?.discountRate ?? DEFAULT_PV_DISCOUNT_RATE;
  const clearness = input.options?.pvSizing?.clearnessFactor ?? defaultClearnessFactor(site.latitude);
  const tiltDeg = input.options?.pvSizing?.tiltDeg ?? Math.min(Math.round(Math.abs(site.latitude)), 35);
  const temps = new Map(
    (input.temperature ?? []).map((t) => [Math.floor(t.ts.getTime() / MS_PER_HOUR), t.temperatureC]),
  );
  const ghi = new Map(
    (input.irradiance ?? []).map((r) => [Math.floor(r.ts.getTime() / MS_PER_HOUR), r.ghiWm2]),
  );
  const pv = pvKwhPerKwp(
    hours,
    { latitude: site.latitude, longitude: site.longitude, altitudeM: site.altitudeM },
    {
      tiltDeg,
      clearnessFactor: clearness,
      temperatureC: (ts) => temps.get(Math.floor(ts.getTime() / MS_PER_HOUR)),
      ghiWm2: (ts) => ghi.get(Math.floor(ts.getTime() / MS_PER_HOUR)),
    },
  );
  const scale = HOURS_PER_YEAR / hours.length;
  return {
    input,
    hours,
    unit: pv.kwhPerKwp,
    prices: pricesAt(
      tariff,
      hours.map((h) => h.ts),
      site.timezone,
    )!,
    exportPrice: input.pvEconomics?.exportPricePerKwh ?? 0,
    scale,
    costPerKwp,
    annuity: rate === 0 ? lifetime : (1 - (1 + rate) ** -lifetime) / rate,
    latitude: site.latitude,
    lifetime,
    rate,
    clearness,
    measured: pv.measured,
    measuredShare: pv.measuredDaytimeShare,
    tiltDeg,
    roofKwp: roofLimitKwp(site),
    annualUseKwh: hours.reduce((s, h) => s + h.energyKwh, 0) * scale,
  };
}

/** Every candidate size within the roof, evaluated: 40 steps up to min(2 × peak kW, roof) unless given. */
function pvOptions(ctx: PvContext): PvOption[] {
  const peakKw = Math.max(...ctx.hours.map((h) => h.energyKwh));
  const maxKwp = Math.max(1, Math.min(2 * peakKw, ctx.roofKwp));
  const candidates =
    ctx.input.options?.pvSizing?.candidateKwp ??
    Array.from({ length: 40 }, (_, i) => Number((((i + 1) * maxKwp) / 40).toPrecision(3)));
  return candidates.filter((kwp) => kwp <= ctx.roofKwp + 1e-9).map((kwp) => evaluatePvSize(kwp, ctx));
}

/**
 * ✘ How much a year's sunshine differs from the year measured (about ±5 % for annual irradiation at one place):
 * the range of hours from measured irradiance.
 */
export const PV_MEASURED_YEAR_SPREAD = 0.05;

/**
 * Money range: the proposed size with the clear-sky hours' clearness factor 0.1 lower / higher and the measured
 * hours' generation {@link PV_MEASURED_YEAR_SPREAD} lower / higher.
 */
function pvRange(ctx: PvContext, best: PvOption): { low: number; high: number } {
  const at = (sign: -1 | 1) => {
    const c = Math.min(Math.max(ctx.clearness + sign * 0.1, 0.1), 1);
    const unit = ctx.unit.map((u, i) =>
      ctx.measured[i] ? u * (1 + sign * PV_MEASURED_YEAR_SPREAD) : (u * c) / ctx.clearness,
    );
    return evaluatePvSize(best.kwp, { ...ctx, unit }).annualValue;
  };
  return { low: Math.min(at(-1), best.annualValue), high: Math.max(at(1), best.annualValue) };
}

/** Where the kWh per kWp come from: the clear-sky model × clearness, the site's irradiance, or both. */
function yieldBasis(ctx: PvContext): string {
  const share = ctx.measuredShare;
  if (share === 0) return `clear-sky model × ${ctx.clearness} for clouds`;
  if (share === 1) return "from the site's measured irradiance";
  return `from the site's measured irradiance for ${fmt(share * 100, 1)} % of the daytime hours, clear-sky model × ${ctx.clearness} for the rest`;
}

/** Why this size: the NPV optimum, or (when the ceiling binds) the best within it, naming the larger option. */
function sizeReason(ctx: PvContext, choice: PvChoice): string {
  const { currency } = ctx.input;
  const roof = Number.isFinite(ctx.roofKwp)
    ? ` within the roof's room for about ${fmt(ctx.roofKwp)} kWp`
    : '';
  const over = `over ${ctx.lifetime} years at ${fmt(ctx.rate * 100, 1)} %`;
  if (!choice.capBinds) return `This size gives the best value ${over}${roof}; `;
  const o = choice.optimum;
  return (
    `This size gives the best value ${over}${roof} among sizes whose self-consumed generation stays within ` +
    `${fmt(PV_MAX_SELF_CONSUMED_SHARE_OF_USE * 100)} % of the site's annual use (${fmt(choice.capKwh)} kWh): a first phase ` +
    `sized on the daytime load a survey can confirm. Without that ceiling the best value would be about ${fmt(o.kwp, 1)} kWp ` +
    `(${fmt(o.selfConsumedKwh)} kWh a year self-consumed, net present value ${currency} ${fmt(o.npv)}), worth considering once the survey confirms the load; `
  );
}

function pvExplanation(ctx: PvContext, choice: PvChoice, kg: number): string {
  const best = choice.proposed;
  const { currency } = ctx.input;
  const costMoney = best.kwp * ctx.costPerKwp;
  return (
    `A ${fmt(best.kwp, 1)} kWp roof system facing ${ctx.latitude >= 0 ? 'south' : 'north'} at ${ctx.tiltDeg}° would generate about ${fmt(best.generationKwh)} kWh a year ` +
    `(${fmt(best.generationKwh / best.kwp)} kWh per kWp, ${yieldBasis(ctx)}). The site would use ${fmt(best.selfConsumedKwh)} kWh of it ` +
    `(${fmt((100 * best.selfConsumedKwh) / best.generationKwh)} %) instead of buying it, avoiding ${fmt(kg)} kg CO2e, and export ${fmt(best.exportedKwh)} kWh. ` +
    `Worth ${fmtMoney(best.annualValue, currency)} a year against an estimated ${currency} ${fmt(costMoney)} to install ` +
    `(${currency} ${fmt(ctx.costPerKwp)} per kWp, an assumption: get a quote): payback ${fmt(costMoney / best.annualValue, 1)} years. ` +
    sizeReason(ctx, choice) +
    `the kWh figure is grid electricity avoided, not a cut in use.`
  );
}

/** NPV and self-consumption by system size (x = kWp as a string, ascending; the portal draws them on a value axis). */
function pvSeries(ctx: PvContext, options: readonly PvOption[]): EvidenceSeries[] {
  const bySize = [...options].sort((a, b) => a.kwp - b.kwp);
  const xLabel = 'system size (kWp)';
  return [
    {
      name: 'net present value by system size',
      unit: ctx.input.currency,
      xLabel,
      points: bySize.map((o) => ({ ts: String(o.kwp), value: o.npv })),
    },
    {
      name: 'self-consumed by system size',
      unit: 'kWh/yr',
      xLabel,
      points: bySize.map((o) => ({ ts: String(o.kwp), value: o.selfConsumedKwh })),
    },
  ];
}

/** The evidence numbers: all of the proposed size, plus the ceiling and the unconstrained optimum. */
function pvNumbers(ctx: PvContext, choice: PvChoice): Record<string, number | string> {
  const best = choice.proposed;
  const { site, emissionFactor } = ctx.input;
  return {
    systemSizeKwp: best.kwp,
    generationKwh: best.generationKwh,
    selfConsumedKwh: best.selfConsumedKwh,
    exportedKwh: best.exportedKwh,
    specificYieldKwhPerKwp: best.generationKwh / best.kwp,
    clearnessFactor: ctx.clearness,
    measuredIrradianceDaytimePct: 100 * ctx.measuredShare,
    tiltDeg: ctx.tiltDeg,
    costPerKwp: ctx.costPerKwp,
    exportPricePerKwh: ctx.exportPrice,
    lifetimeYears: ctx.lifetime,
    discountRate: ctx.rate,
    netPresentValue: best.npv,
    annualUseKwh: ctx.annualUseKwh,
    maxSelfConsumedShareOfUsePct: PV_MAX_SELF_CONSUMED_SHARE_OF_USE * 100,
    cappedAtShareOfUsePct: choice.capBinds ? PV_MAX_SELF_CONSUMED_SHARE_OF_USE * 100 : 'no',
    unconstrainedOptimumKwp: choice.optimum.kwp,
    unconstrainedOptimumSelfConsumedKwh: choice.optimum.selfConsumedKwh,
    unconstrainedOptimumNetPresentValue: choice.optimum.npv,
    kgCo2ePerKwh: emissionFactor.kgCo2ePerKwh,
    emissionFactorSource: emissionFactor.source,
    hoursAnalysed: ctx.hours.length,
    roofLimitKwp: Number.isFinite(ctx.roofKwp) ? ctx.roofKwp : 'none (no roof or floor area)',
    roofAreaSource:
      site.roofAreaM2 !== undefined
        ? 'entered roof area'
        : site.floorAreaM2 !== undefined
          ? `${DEFAULT_USABLE_ROOF_SHARE_OF_FLOOR_AREA} × floor area (✘ no roof area entered)`
          : 'none',
    assumption:
      'roof share of floor area, 6 m²/kWp, cost per kWp, clearness factor, γ, DC/AC 1.2 and 15 °C default ambient are assumptions',
  };
}

function pvSuggestion(ctx: PvContext, choice: PvChoice, options: readonly PvOption[]): Suggestion {
  const best = choice.proposed;
  const { input } = ctx;
  const kg = best.selfConsumedKwh * input.emissionFactor.kgCo2ePerKwh;
  const costMoney = best.kwp * ctx.costPerKwp;
  const selfByHour = ctx.hours.map((h, i) => {
    const g = best.kwp * ctx.unit[i];
    return { ts: h.ts, energyKwh: Math.min(g, h.energyKwh), generationKwh: g, loadKwh: h.energyKwh };
  });
  return {
    type: 'pv_sizing',
    siteId: input.site.id,
    key: suggestionKey('pv_sizing', input.site.id),
    title: `Install about ${fmt(best.kwp, 1)} kWp of solar PV`,
    explanation: pvExplanation(ctx, choice, kg),
    annualSavingKwh: best.selfConsumedKwh,
    annualSavingKgCo2e: kg,
    annualSavingMoney: best.annualValue,
    currency: input.currency,
    range: pvRange(ctx, best),
    costMoney,
    paybackYears: costMoney / best.annualValue,
    confidence: ctx.hours.length >= 24 * 300 ? 'medium' : 'low',
    evidence: { series: pvSeries(ctx, options), numbers: pvNumbers(ctx, choice) },
    savingProfile: {
      kind: 'supply',
      scale: ctx.scale,
      points: selfByHour.filter((p) => p.generationKwh > 0),
    },
  };
}

/** PV-sizing analyser (see the file comment): sites without metered generation, with coordinates and a tariff. */
export function analysePvSizing(input: SiteAnalysisInput): Suggestion[] {
  const ctx = pvContext(input);
  if (!ctx) return [];
  const options = pvOptions(ctx);
  const choice = choosePvSize(options, ctx.annualUseKwh);
  return choice ? [pvSuggestion(ctx, choice, options)] : [];
}
