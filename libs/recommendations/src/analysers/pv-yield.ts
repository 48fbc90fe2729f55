/**
 * The PV sizing's generation model: AC kWh per kWp for each hour, from the site's measured irradiance or from the
 * clear sky × a clearness factor (see pv-sizing.ts).
 */
import {
  PVWATTS_DEFAULT_LOSSES_PERCENT,
  clearSkyAt,
  dayOfYearUtc,
  erbsDecomposition,
  poaAt,
  pvwattsDcW,
  pvwattsInverterW,
  pvwattsLossesPercent,
  sapmCellTemperatureC,
} from '@halve/forecasting';
import { MS_PER_HOUR } from './common';

/** ✘ Module temperature coefficient of a typical crystalline-silicon module, per °C. */
export const PV_GAMMA_PER_C = -0.0037;
/** ✘ PVWatts-style DC/AC ratio (DOMAIN.md §4 marks the 1.2 default unconfirmed). */
export const PV_DC_AC_RATIO = 1.2;

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

/** The hourly yield of 1 kWp and where it came from. */
export interface PvHourlyYield {
  /** AC kWh per kWp for each hour */
  kwhPerKwp: number[];
  /** for each hour: whether it came from the site's measured irradiance (else clear sky × clearness) */
  measured: boolean[];
  /** share of the daytime hours (sun above the horizon at the hour's middle) with measured irradiance */
  measuredDaytimeShare: number;
}

/**
 * AC energy (kWh) per kWp of DC nameplate for each hour: from the hour's measured GHI (mean W/m², `ghiWm2`)
 * where there is one, else clear-sky × clearness.
 */
export function pvKwhPerKwp(
  hours: readonly { ts: Date }[],
  site: { latitude: number; longitude: number; altitudeM?: number },
  options: {
    tiltDeg: number;
    clearnessFactor: number;
    temperatureC?: (ts: Date) => number | undefined;
    ghiWm2?: (ts: Date) => number | undefined;
  },
): PvHourlyYield {
  const azimuth = site.latitude >= 0 ? 180 : 0;
  const lossFactor = 1 - pvwattsLossesPercent(PVWATTS_DEFAULT_LOSSES_PERCENT) / 100;
  const inverterDcRatingW = 1000 / PV_DC_AC_RATIO / 0.96; // P_ac0 = P_dc0/1.2; pvwattsInverterW takes P_ac0/η_nom
  const measured: boolean[] = [];
  let daytime = 0;
  let measuredDaytime = 0;
  const kwhPerKwp = hours.map((h) => {
    const mid = h.ts.getTime() + MS_PER_HOUR / 2;
    const sky = clearSkyAt(mid, site.latitude, site.longitude, site.altitudeM ?? 0);
    const measuredGhi = options.ghiWm2?.(h.ts);
    measured.push(measuredGhi !== undefined);
    const up = sky.position.zenithDeg < 90;
    if (up) daytime++;
    const ambientC = options.temperatureC?.(h.ts) ?? 15;
    if (measuredGhi !== undefined) {
      if (up) measuredDaytime++;
      const ghi = Math.max(measuredGhi, 0);
      if (ghi === 0 || !up) return 0;
      const split = erbsDecomposition(ghi, sky.position.zenithDeg, dayOfYearUtc(mid));
      const poa = poaAt(sky.position, options.tiltDeg, azimuth, { ...split, ghiWm2: ghi });
      return acKwhPerKwp(poa, ambientC, lossFactor, inverterDcRatingW);
    }
    if (sky.ghiWm2 <= 0) return 0;
    const poa = poaAt(sky.position, options.tiltDeg, azimuth, sky);
    return acKwhPerKwp(poa, ambientC, lossFactor, inverterDcRatingW) * options.clearnessFactor;
  });
  return { kwhPerKwp, measured, measuredDaytimeShare: daytime ? measuredDaytime / daytime : 0 };
}

/** One hour's AC kWh of 1 kWp at a plane-of-array irradiance: SAPM cell temperature, PVWatts DC, losses, inverter. */
function acKwhPerKwp(
  poaWm2: number,
  ambientC: number,
  lossFactor: number,
  inverterDcRatingW: number,
): number {
  const cell = sapmCellTemperatureC(poaWm2, ambientC, 1);
  const dc = pvwattsDcW(poaWm2, cell, 1000, PV_GAMMA_PER_C) * lossFactor;
  return pvwattsInverterW(dc, inverterDcRatingW, 0.96) / 1000;
}
