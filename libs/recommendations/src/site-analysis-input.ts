/**
 * The pure parts of a site analysis's input: which meters and tariffs count, the analysis window,
 * the grid-intensity profile chosen, the generation total and the anomaly forecast.
 */
import { DateTime } from 'luxon';
import type { MeterEntity, SiteEntity } from '@halve/metering';
import { normaliseRegion, selectGridFactor, selectGridProfile } from '@halve/carbon';
import { type FittedBaseline, calendarInfo, fitHourOfWeekTemperature } from '@halve/forecasting';
import type {
  EnergyPoint,
  LoadForecast,
  MeterInput,
  TariffOption,
  TemperaturePoint,
} from './analysers/types';
import type { RecommendationBasis } from './entities/recommendation.entities';
import type { Tariff } from './tariffs';

const MS_PER_HOUR = 3_600_000;
/** Anomalies compare the most recent weeks with a forecast fitted on the months before them. */
export const ANOMALY_WINDOW_DAYS = 28;

/**
 * The hourly grid-intensity profile of a grid region for a year, as @halve/carbon's
 * selectGridProfile chooses it for hourly Scope 2, described for the suggestions' basis.
 */
export function gridProfileFor(
  region: string,
  year: number,
): { region: string; year: number; dataset: string; basis: 'average' | 'marginal' } | null {
  const p = selectGridProfile(region, year);
  if (!p) return null;
  return {
    region: p.region,
    year: p.year,
    dataset: `${p.file} (${p.basis}); ${p.year === year ? 'same year' : `used for ${year} by month and local hour`}`,
    basis: p.intensityKind,
  };
}

type TariffSite = Pick<SiteEntity, 'id' | 'name' | 'tariff' | 'gridRegion' | 'country'>;
const market = (s: TariffSite) => normaliseRegion(s.gridRegion ?? s.country);

/**
 * The site's tariff first (current), then the organisation's other distinct tariffs for sites on the
 * same grid region and in the same currency, as the alternatives to compare (a tariff of a site on
 * another grid is most likely another supplier's, not one this site could take).
 */
export function tariffOptions(site: TariffSite, others: readonly TariffSite[]): TariffOption[] {
  if (!site.tariff) return [];
  const options: TariffOption[] = [
    {
      id: `site:${site.id}`,
      name: `${site.name} tariff (current)`,
      tariff: site.tariff as Tariff,
      current: true,
    },
  ];
  const seen = new Set([JSON.stringify(site.tariff)]);
  for (const other of others) {
    if (!other.tariff || other.id === site.id || other.tariff.currency !== site.tariff.currency) continue;
    if (market(other) !== market(site)) continue; // another grid region: most likely another supplier's offer
    const key = JSON.stringify(other.tariff);
    if (seen.has(key)) continue;
    seen.add(key);
    options.push({
      id: `site:${other.id}`,
      name: `the tariff of ${other.name}`,
      tariff: other.tariff as Tariff,
    });
  }
  return options;
}

/**
 * A P50/P90 load forecast of the last {@link ANOMALY_WINDOW_DAYS} days from the forecasting module's
 * hour-of-week-and-temperature baseline fitted on the hours before them (quantiles from its
 * training residuals). Null when there is too little history.
 */
export function recentLoadForecast(
  meter: MeterInput,
  temperature: readonly TemperaturePoint[],
  zone: string,
  country: string,
): LoadForecast | null {
  if (meter.intervalMinutes > 60 || 60 % meter.intervalMinutes !== 0 || meter.readings.length === 0)
    return null;
  const hours = new Map<number, { kwh: number; n: number }>();
  for (const r of meter.readings) {
    const k = Math.floor(r.ts.getTime() / MS_PER_HOUR);
    const h = hours.get(k) ?? { kwh: 0, n: 0 };
    h.kwh += r.energyKwh;
    h.n++;
    hours.set(k, h);
  }
  const keys = [...hours.keys()].sort((a, b) => a - b);
  const first = keys[0];
  const length = keys[keys.length - 1] - first + 1;
  const perHour = 60 / meter.intervalMinutes;
  const valuesKwh = new Array<number>(length).fill(Number.NaN);
  for (const [k, h] of hours) if (h.n === perHour) valuesKwh[k - first] = h.kwh;
  const temperatureC = new Array<number>(length).fill(Number.NaN);
  for (const t of temperature) {
    const i = Math.floor(t.ts.getTime() / MS_PER_HOUR) - first;
    if (i >= 0 && i < length) temperatureC[i] = t.temperatureC;
  }
  const windowHours = ANOMALY_WINDOW_DAYS * 24;
  const trainEnd = length - windowHours;
  if (trainEnd < 8 * 7 * 24) return null; // under eight weeks of history: no forecast
  const series = {
    startMs: first * MS_PER_HOUR,
    intervalMinutes: 60,
    valuesKwh,
    timeZone: zone,
    countryCode: country,
    temperatureC: temperature.length ? temperatureC : undefined,
  };
  const calendar = calendarInfo(series, length);
  const train = Array.from({ length: trainEnd }, (_, i) => ({ target: i, origin: i }));
  let model: FittedBaseline;
  try {
    model = fitHourOfWeekTemperature(series, calendar, train);
  } catch {
    return null;
  }
  const points = Array.from({ length: windowHours }, (_, j) => ({ target: trainEnd + j, origin: trainEnd }));
  const f = model.forecast(series, calendar, points);
  return {
    meterId: meter.id,
    intervalMinutes: 60,
    points: points.map((p, j) => ({
      ts: new Date((first + p.target) * MS_PER_HOUR),
      p50Kwh: f.p50[j],
      p90Kwh: f.p90[j],
    })),
  };
}

/** The analysis window: the most recent 12 months of data the site's electricity meters have. */
export function analysisWindow(
  lastDayStarts: readonly Date[],
  zone: string,
): { from: Date; to: Date } | null {
  if (!lastDayStarts.length) return null;
  const last = DateTime.fromMillis(Math.max(...lastDayStarts.map((d) => d.getTime())), { zone }).startOf(
    'day',
  );
  const to = last.plus({ days: 1 });
  return { from: to.minus({ years: 1 }).toJSDate(), to: to.toJSDate() };
}

export const ELECTRICITY_LOAD_KINDS = new Set(['electricity_import']);
export const GENERATION_KINDS = new Set(['pv_generation']);

/** The site's meters of these kinds with hourly (or finer) readings. */
export function hourlyMetersOf(
  meters: readonly MeterEntity[],
  kinds: ReadonlySet<string>,
  withData: { has(meterId: string): boolean },
): MeterEntity[] {
  return meters.filter(
    (m) => kinds.has(m.kind) && m.intervalMinutes !== null && m.intervalMinutes <= 60 && withData.has(m.id),
  );
}

/** Generation meters' readings summed per interval of the coarsest meter; undefined when there are none. */
export function summedGeneration(
  perMeter: readonly (readonly EnergyPoint[])[],
  interval: number,
): { intervalMinutes: number; readings: EnergyPoint[] } | undefined {
  const sum = new Map<number, number>();
  for (const readings of perMeter) {
    for (const r of readings) {
      const k = Math.floor(r.ts.getTime() / (interval * 60_000));
      sum.set(k, (sum.get(k) ?? 0) + r.energyKwh);
    }
  }
  const readings = [...sum.entries()]
    .sort(([a], [b]) => a - b)
    .map(([k, v]) => ({ ts: new Date(k * interval * 60_000), energyKwh: v }));
  return readings.length ? { intervalMinutes: interval, readings } : undefined;
}

/** The selected grid factor as the suggestions' basis records it. */
export function emissionFactorBasis(
  selection: ReturnType<typeof selectGridFactor>,
): RecommendationBasis['emissionFactor'] {
  const f = selection.factor;
  return {
    kgCo2ePerKwh: Number(f.kgCo2ePerUnit),
    source: `${f.source} ${f.edition} (${f.id})`,
    factorId: f.id,
    region: f.region,
    year: f.year,
  };
}

/**
 * The site's global horizontal irradiance as hourly means (W/m², ts = the hour's start) of the weather rows
 * (period starts, as MeterUsageService.weather gives them) that have it; PV sizing uses them for those hours.
 */
export function hourlyIrradiance(
  rows: readonly { ts: Date; ghiWM2: number | null }[],
): { ts: Date; ghiWm2: number }[] {
  const hours = new Map<number, { sum: number; n: number }>();
  for (const r of rows) {
    if (r.ghiWM2 === null || !Number.isFinite(r.ghiWM2)) continue;
    const k = Math.floor(r.ts.getTime() / MS_PER_HOUR);
    const h = hours.get(k) ?? { sum: 0, n: 0 };
    h.sum += r.ghiWM2;
    h.n++;
    hours.set(k, h);
  }
  return [...hours.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, h]) => ({ ts: new Date(k * MS_PER_HOUR), ghiWm2: h.sum / h.n }));
}
