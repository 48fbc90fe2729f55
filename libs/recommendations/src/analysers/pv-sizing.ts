/**
 * PV sizing for a site without PV: the system size that maximises the value of the energy the
 * site uses itself (plus any export income) against its cost.
 *
 * Generation per kWp for every hour of the site's data: Ineichen clear-sky irradiance at the
 * hour's midpoint (@halve/forecasting solar helpers, DOMAIN.md §4), isotropic plane of array
 * (south-facing in the northern hemisphere, tilt = |latitude| capped at 35°), SAPM cell
 * temperature (measured outdoor temperature when given, else 15 °C; wind 1 m/s), PVWatts DC
 * with γ = −0.0037/°C, the PVWatts default losses (14.08 %), the PVWatts inverter at DC/AC
 * 1.2, times a clearness factor (actual ÷ clear-sky energy; ✘ {@link defaultClearnessFactor}).
 * For each candidate size: self-consumed = Σ min(generation, load), exported = the rest;
 * annual value = self-consumed × the tariff's price at that hour + exported × export price.
 * The chosen size maximises the net present value over the lifetime at the discount rate.
 * CO2 avoided = self-consumed kWh × the site's annual location-based factor (the inventory's, as
 * for every suggestion); exported
 * energy is not subtracted from the site's footprint (DOMAIN.md §8 vector 40).
 * annualSavingKwh = grid electricity avoided (self-consumed), not a cut in use.
 */
import {
  PVWATTS_DEFAULT_LOSSES_PERCENT,
  clearSkyAt,
  poaIsotropic,
  pvwattsDcW,
  pvwattsInverterW,
  pvwattsLossesPercent,
  sapmCellTemperatureC,
} from '@halve/forecasting';
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
import type { SiteAnalysisInput, Suggestion } from './types';

/** ✘ Module temperature coefficient of a typical crystalline-silicon module, per °C. */
export const PV_GAMMA_PER_C = -0.0037;
/** ✘ PVWatts-style DC/AC ratio (DOMAIN.md §4 marks the 1.2 default unconfirmed). */
export const PV_DC_AC_RATIO = 1.2;

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

/**
 * ✘ Clearness factor (annual actual ÷ clear-sky PV energy) by latitude band: a rough
 * climatology, about 0.55 in north-west Europe to 0.8 in sunny subtropical deserts.
 * Override with options.pvSizing.clearnessFactor from measured irradiance where known.
 */
export function defaultClearnessFactor(latitudeDeg: number): number {
  const lat = Math.abs(latitudeDeg);
  if (lat >= 50) return 0.55;
  if (lat >= 40) return 0.65;
  if (lat >= 25) return 0.75;
  return 0.7;
}

/** AC energy (kWh) per kWp of DC nameplate for each hour, clear-sky × clearness. */
export function pvKwhPerKwp(
  hours: readonly { ts: Date }[],
  site: { latitude: number; longitude: number; altitudeM?: number },
  options: { tiltDeg: number; clearnessFactor: number; temperatureC?: (ts: Date) => number | undefined },
): number[] {
  const azimuth = site.latitude >= 0 ? 180 : 0;
  const lossFactor = 1 - pvwattsLossesPercent(PVWATTS_DEFAULT_LOSSES_PERCENT) / 100;
  const pdc0W = 1000;
  const inverterDcRatingW = pdc0W / PV_DC_AC_RATIO / 0.96; // P_ac0 = P_dc0/1.2; pvwattsInverterW takes P_ac0/η_nom
  return hours.map((h) => {
    const mid = h.ts.getTime() + MS_PER_HOUR / 2;
    const sky = clearSkyAt(mid, site.latitude, site.longitude, site.altitudeM ?? 0);
    if (sky.ghiWm2 <= 0) return 0;
    const poa = poaIsotropic({
      tiltDeg: options.tiltDeg,
      surfaceAzimuthDeg: azimuth,
      sunZenithDeg: sky.position.zenithDeg,
      sunAzimuthDeg: sky.position.azimuthDeg,
      dniWm2: sky.dniWm2,
      ghiWm2: sky.ghiWm2,
      dhiWm2: sky.dhiWm2,
    }).poaWm2;
    const ambient = options.temperatureC?.(h.ts) ?? 15;
    const cell = sapmCellTemperatureC(poa, ambient, 1);
    const dc = pvwattsDcW(poa, cell, pdc0W, PV_GAMMA_PER_C) * lossFactor;
    const ac = pvwattsInverterW(dc, inverterDcRatingW, 0.96);
    return (ac / 1000) * options.clearnessFactor;
  });
}

export interface PvOption {
  kwp: number;
  generationKwh: number;
  selfConsumedKwh: number;
  exportedKwh: number;
  annualValue: number;
  npv: number;
}

function evaluate(
  kwp: number,
  unit: readonly number[],
  hours: readonly HourPoint[],
  prices: readonly number[],
  exportPrice: number,
  scale: number,
  cost: number,
  annuity: number,
): PvOption {
  let gen = 0;
  let self = 0;
  let value = 0;
  for (let i = 0; i < hours.length; i++) {
    const g = kwp * unit[i];
    const s = Math.min(g, hours[i].energyKwh);
    gen += g;
    self += s;
    value += s * prices[i] + (g - s) * exportPrice;
  }
  const annualValue = value * scale;
  return {
    kwp,
    generationKwh: gen * scale,
    selfConsumedKwh: self * scale,
    exportedKwh: (gen - self) * scale,
    annualValue,
    npv: annualValue * annuity - kwp * cost,
  };
}

/** PV-sizing analyser (see the file comment): sites without metered generation, with coordinates and a tariff. */
export function analysePvSizing(input: SiteAnalysisInput): Suggestion[] {
  const { site } = input;
  if (site.latitude === undefined || site.longitude === undefined) return [];
  if ((input.generation?.readings.length ?? 0) > 0 || (input.pvForecast?.length ?? 0) > 0) return []; // already has PV
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const hours = siteElectricityHourly(input);
  if (!tariff || hours.length < 24 * 28) return [];
  const cost = input.pvEconomics?.costPerKwp ?? DEFAULT_PV_COST_PER_KWP[input.currency];
  if (cost === undefined) return [];
  const lifetime = input.pvEconomics?.lifetimeYears ?? DEFAULT_PV_LIFETIME_YEARS;
  const rate = input.pvEconomics?.discountRate ?? DEFAULT_PV_DISCOUNT_RATE;
  const annuity = rate === 0 ? lifetime : (1 - (1 + rate) ** -lifetime) / rate;
  const exportPrice = input.pvEconomics?.exportPricePerKwh ?? 0;
  const clearness = input.options?.pvSizing?.clearnessFactor ?? defaultClearnessFactor(site.latitude);
  const tiltDeg = input.options?.pvSizing?.tiltDeg ?? Math.min(Math.round(Math.abs(site.latitude)), 35);
  const temps = new Map(
    (input.temperature ?? []).map((t) => [Math.floor(t.ts.getTime() / MS_PER_HOUR), t.temperatureC]),
  );
  const unit = pvKwhPerKwp(
    hours,
    { latitude: site.latitude, longitude: site.longitude, altitudeM: site.altitudeM },
    {
      tiltDeg,
      clearnessFactor: clearness,
      temperatureC: (ts) => temps.get(Math.floor(ts.getTime() / MS_PER_HOUR)),
    },
  );
  const prices = pricesAt(
    tariff,
    hours.map((h) => h.ts),
    site.timezone,
  )!;
  const scale = HOURS_PER_YEAR / hours.length;
  const peakKw = Math.max(...hours.map((h) => h.energyKwh));
  const roofM2 =
    site.roofAreaM2 ??
    (site.floorAreaM2 !== undefined ? site.floorAreaM2 * DEFAULT_USABLE_ROOF_SHARE_OF_FLOOR_AREA : undefined);
  const roofKwp = roofM2 === undefined ? Number.POSITIVE_INFINITY : roofM2 / ROOF_M2_PER_KWP;
  const maxKwp = Math.max(1, Math.min(2 * peakKw, roofKwp));
  const candidates =
    input.options?.pvSizing?.candidateKwp ??
    Array.from({ length: 40 }, (_, i) => Number((((i + 1) * maxKwp) / 40).toPrecision(3)));
  const options = candidates
    .filter((kwp) => kwp <= roofKwp + 1e-9)
    .map((kwp) => evaluate(kwp, unit, hours, prices, exportPrice, scale, cost, annuity));
  if (options.length === 0) return [];
  const best = options.reduce((a, b) => (b.npv > a.npv ? b : a));
  if (!(best.npv > 0)) return [];

  const factor = input.emissionFactor.kgCo2ePerKwh;
  const kg = best.selfConsumedKwh * factor;
  const costMoney = best.kwp * cost;
  const bySize = [...options].sort((a, b) => a.kwp - b.kwp);
  const selfByHour = hours.map((h, i) => {
    const g = best.kwp * unit[i];
    return { ts: h.ts, energyKwh: Math.min(g, h.energyKwh), generationKwh: g, loadKwh: h.energyKwh };
  });
  const paybackYears = costMoney / best.annualValue;
  const specificYield = best.generationKwh / best.kwp;
  // Range: the same size with a clearness factor 0.1 lower / higher.
  const at = (c: number) =>
    evaluate(
      best.kwp,
      unit.map((u) => (u * c) / clearness),
      hours,
      prices,
      exportPrice,
      scale,
      cost,
      annuity,
    ).annualValue;

  return [
    {
      type: 'pv_sizing',
      siteId: site.id,
      key: suggestionKey('pv_sizing', site.id),
      title: `Install about ${fmt(best.kwp, 1)} kWp of solar PV`,
      explanation:
        `A ${fmt(best.kwp, 1)} kWp roof system facing ${site.latitude >= 0 ? 'south' : 'north'} at ${tiltDeg}° would generate about ${fmt(best.generationKwh)} kWh a year ` +
        `(${fmt(specificYield)} kWh per kWp: clear-sky model × ${clearness} for clouds). The site would use ${fmt(best.selfConsumedKwh)} kWh of it ` +
        `(${fmt((100 * best.selfConsumedKwh) / best.generationKwh)} %) instead of buying it, avoiding ${fmt(kg)} kg CO2e, and export ${fmt(best.exportedKwh)} kWh. ` +
        `Worth ${fmtMoney(best.annualValue, input.currency)} a year against an estimated ${input.currency} ${fmt(costMoney)} to install ` +
        `(${input.currency} ${fmt(cost)} per kWp, an assumption: get a quote): payback ${fmt(paybackYears, 1)} years. ` +
        `This size gives the best value over ${lifetime} years at ${fmt(rate * 100, 1)} %${Number.isFinite(roofKwp) ? ` within the roof's room for about ${fmt(roofKwp)} kWp` : ''}; ` +
        `the kWh figure is grid electricity avoided, not a cut in use.`,
      annualSavingKwh: best.selfConsumedKwh,
      annualSavingKgCo2e: kg,
      annualSavingMoney: best.annualValue,
      currency: input.currency,
      range: {
        low: Math.min(at(Math.max(clearness - 0.1, 0.1)), best.annualValue),
        high: Math.max(at(Math.min(clearness + 0.1, 1)), best.annualValue),
      },
      costMoney,
      paybackYears,
      confidence: hours.length >= 24 * 300 ? 'medium' : 'low',
      evidence: {
        // x = system size in kWp (not an instant), ascending; the portal draws these on a value axis.
        series: [
          {
            name: 'net present value by system size',
            unit: input.currency,
            xLabel: 'system size (kWp)',
            points: bySize.map((o) => ({ ts: String(o.kwp), value: o.npv })),
          },
          {
            name: 'self-consumed by system size',
            unit: 'kWh/yr',
            xLabel: 'system size (kWp)',
            points: bySize.map((o) => ({ ts: String(o.kwp), value: o.selfConsumedKwh })),
          },
        ],
        numbers: {
          systemSizeKwp: best.kwp,
          generationKwh: best.generationKwh,
          selfConsumedKwh: best.selfConsumedKwh,
          exportedKwh: best.exportedKwh,
          specificYieldKwhPerKwp: specificYield,
          clearnessFactor: clearness,
          tiltDeg,
          costPerKwp: cost,
          exportPricePerKwh: exportPrice,
          lifetimeYears: lifetime,
          discountRate: rate,
          netPresentValue: best.npv,
          kgCo2ePerKwh: factor,
          emissionFactorSource: input.emissionFactor.source,
          hoursAnalysed: hours.length,
          roofLimitKwp: Number.isFinite(roofKwp) ? roofKwp : 'none (no roof or floor area)',
          roofAreaSource:
            site.roofAreaM2 !== undefined
              ? 'entered roof area'
              : site.floorAreaM2 !== undefined
                ? `${DEFAULT_USABLE_ROOF_SHARE_OF_FLOOR_AREA} × floor area (✘ no roof area entered)`
                : 'none',
          assumption:
            'roof share of floor area, 6 m²/kWp, cost per kWp, clearness factor, γ, DC/AC 1.2 and 15 °C default ambient are assumptions',
        },
      },
      savingProfile: { kind: 'supply', scale, points: selfByHour.filter((p) => p.generationKwh > 0) },
    },
  ];
}
