/**
 * A site's net-load forecast from its meters' forecasts, without I/O: which meters count and how
 * (siteMeterRole), and the hourly sum with its bands (combineNetLoad).
 *
 * Net load = Σ electricity import meters − Σ PV meters − Σ wind meters, kWh per hour. Halve's meter
 * model has no sub-meter relation (a meter belongs to a site, not to another meter) and the analysers
 * already sum a site's electricity import meters as its load, so each electricity import meter is one
 * supply of the site and all are added; exports, gas, heat and water are left out (and listed, with why).
 *
 * Bands of a sum are not the sums of the quantiles (that would assume every meter is wrong in the same
 * direction at once). Each meter's hourly forecast is read as a split normal: below the median with
 * σ₋ = (P50 − P10) / z, above with σ₊ = (P90 − P50) / z, z = 1.2816 (the normal's 90 % quantile).
 * Meters are taken as independent, so variances add; generation is subtracted, so its upper side
 * widens the net load's lower side and the other way round:
 *   P10 = P50 − √(Σ_load (P50 − P10)² + Σ_gen (P90 − P50)²)
 *   P90 = P50 + √(Σ_load (P90 − P50)² + Σ_gen (P50 − P10)²)
 * (z cancels). Within one meter the intervals of an hour (15- or 30-minute data) err together, so its
 * hourly quantiles are the sums of its intervals' quantiles. The P50 is the sum of the P50s.
 */

export type SiteMeterRole = 'load' | 'pv' | 'wind';

interface MeterLike {
  kind: string;
  intervalMinutes: number | null;
}

/** How a meter enters the site's net load, or why it does not. */
export function siteMeterRole(meter: MeterLike): { role: SiteMeterRole } | { excluded: string } {
  const role: SiteMeterRole | null =
    meter.kind === 'electricity_import'
      ? 'load'
      : meter.kind === 'pv_generation'
        ? 'pv'
        : meter.kind === 'wind_generation'
          ? 'wind'
          : null;
  if (!role) {
    if (meter.kind === 'electricity_export')
      return {
        excluded:
          'an export meter measures what the generation leaves after the site’s own use: subtracting it as well would count that generation twice',
      };
    return { excluded: `${meter.kind} is not electricity: outside the electricity net load` };
  }
  if (meter.intervalMinutes === null || meter.intervalMinutes > 60)
    return {
      excluded: `forecasts need interval data of an hour or less; this meter reports ${meter.intervalMinutes === null ? 'bill periods' : 'daily values'}`,
    };
  return { role };
}

export interface QuantilePoint {
  ts: Date;
  p10: number;
  p50: number;
  p90: number;
}

/** One meter's forecast, in kWh per interval. */
export interface ComponentForecast {
  role: SiteMeterRole;
  intervalMinutes: number;
  points: readonly QuantilePoint[];
}

export interface NetLoadPoint extends QuantilePoint {
  /** P50 of the electricity import meters, kWh */
  loadKwh: number;
  /** P50 of the PV meters, kWh */
  pvKwh: number;
  /** P50 of the wind meters, kWh */
  windKwh: number;
}

const HOUR_MS = 3_600_000;

/** A meter's hours in [fromMs, toMs): quantile sums over its intervals, null where an interval is missing. */
function hourlyOf(c: ComponentForecast, fromMs: number, hours: number) {
  const perHour = 60 / c.intervalMinutes;
  const acc = Array.from({ length: hours }, () => ({ p10: 0, p50: 0, p90: 0, n: 0 }));
  for (const p of c.points) {
    const h = Math.floor((p.ts.getTime() - fromMs) / HOUR_MS);
    if (h < 0 || h >= hours) continue;
    acc[h].p10 += p.p10;
    acc[h].p50 += p.p50;
    acc[h].p90 += Math.max(p.p90, p.p50);
    acc[h].n++;
  }
  return acc.map((a) => (a.n === perHour ? { p10: Math.min(a.p10, a.p50), p50: a.p50, p90: a.p90 } : null));
}

/**
 * The hourly net load of [fromMs, toMs) (both on the hour) from its components (see the file
 * comment for the bands). Hours some component does not fully cover are left out and counted.
 */
export function combineNetLoad(
  components: readonly ComponentForecast[],
  fromMs: number,
  toMs: number,
): { points: NetLoadPoint[]; incompleteHours: number } {
  const hours = Math.max(0, Math.round((toMs - fromMs) / HOUR_MS));
  const perComponent = components.map((c) => hourlyOf(c, fromMs, hours));
  const points: NetLoadPoint[] = [];
  let incompleteHours = 0;
  for (let h = 0; h < hours; h++) {
    if (perComponent.some((series) => series[h] === null)) {
      incompleteHours++;
      continue;
    }
    let p50 = 0;
    let lowerSq = 0;
    let upperSq = 0;
    const byRole = { load: 0, pv: 0, wind: 0 };
    components.forEach((c, k) => {
      const q = perComponent[k][h]!;
      const below = q.p50 - q.p10;
      const above = q.p90 - q.p50;
      byRole[c.role] += q.p50;
      if (c.role === 'load') {
        p50 += q.p50;
        lowerSq += below * below;
        upperSq += above * above;
      } else {
        p50 -= q.p50;
        lowerSq += above * above;
        upperSq += below * below;
      }
    });
    points.push({
      ts: new Date(fromMs + h * HOUR_MS),
      p10: p50 - Math.sqrt(lowerSq),
      p50,
      p90: p50 + Math.sqrt(upperSq),
      loadKwh: byRole.load,
      pvKwh: byRole.pv,
      windKwh: byRole.wind,
    });
  }
  return { points, incompleteHours };
}
