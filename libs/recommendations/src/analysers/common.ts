/**
 * Shared helpers of the analysers: hourly series, local calendar, occupancy inferred from the
 * data, prices and emission factors per hour, formatting. All pure.
 */
import { ZoneOffsets } from '@halve/forecasting';
import { type Tariff, energyCharge } from '../tariffs';
import type { EnergyPoint, EvidenceSeries, MeterInput, SiteAnalysisInput, TariffOption } from './types';

export const MS_PER_HOUR = 3_600_000;
export const HOURS_PER_YEAR = 8760;
export const HOURS_PER_WEEK = 168;

/** One complete hour of a meter with its local calendar. */
export interface HourPoint {
  ts: Date;
  energyKwh: number;
  /** 0 = Monday 00:00 local … 167 */
  hourOfWeek: number;
  /** local hour 0–23 */
  hour: number;
  /** ISO weekday 1 = Monday … 7 = Sunday */
  weekday: number;
  /** local calendar month 1–12 */
  month: number;
  /** local date, yyyy-mm-dd */
  dateKey: string;
}

/** Local calendar fields of an instant. */
export function localCalendar(ts: Date, zone: string): Omit<HourPoint, 'ts' | 'energyKwh'> {
  const ms = ts.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid instant or zone ${zone}`);
  let offsets = zoneOffsets.get(zone);
  if (!offsets) {
    offsets = new ZoneOffsets(zone);
    zoneOffsets.set(zone, offsets);
  }
  // the local wall-clock time, read with the UTC getters (one Intl look-up a day, not one per point)
  const local = new Date(ms + offsets.at(ms) * 60_000);
  const weekday = ((local.getUTCDay() + 6) % 7) + 1;
  const hour = local.getUTCHours();
  return {
    hourOfWeek: (weekday - 1) * 24 + hour,
    hour,
    weekday,
    month: local.getUTCMonth() + 1,
    dateKey: local.toISOString().slice(0, 10),
  };
}

/** One offset table per zone, shared by every analysis in this process. */
const zoneOffsets = new Map<string, ZoneOffsets>();

/**
 * Interval readings summed into complete UTC hours (an hour is kept only when its intervals
 * cover all 60 minutes). Meters with intervals longer than an hour give no hourly series.
 * ✘ In zones with a non-whole-hour offset (e.g. Asia/Kolkata) UTC hours straddle local hours.
 */
export function hourlySeries(
  readings: readonly EnergyPoint[],
  intervalMinutes: number,
  zone: string,
): HourPoint[] {
  if (!(intervalMinutes > 0) || intervalMinutes > 60 || 60 % intervalMinutes !== 0) return [];
  const perHour = 60 / intervalMinutes;
  const hours = new Map<number, { energyKwh: number; count: number }>();
  for (const r of readings) {
    if (!Number.isFinite(r.energyKwh)) continue;
    const key = Math.floor(r.ts.getTime() / MS_PER_HOUR);
    const h = hours.get(key) ?? { energyKwh: 0, count: 0 };
    h.energyKwh += r.energyKwh;
    h.count++;
    hours.set(key, h);
  }
  return [...hours.entries()]
    .filter(([, h]) => h.count === perHour)
    .sort(([a], [b]) => a - b)
    .map(([key, h]) => {
      const ts = new Date(key * MS_PER_HOUR);
      return { ts, energyKwh: h.energyKwh, ...localCalendar(ts, zone) };
    });
}

export function electricityMeters(input: SiteAnalysisInput): MeterInput[] {
  return input.meters.filter((m) => (m.energyType ?? 'electricity') === 'electricity');
}

/** The site's electricity load: hourly sum of its electricity meters over hours every meter covers. */
export function siteElectricityHourly(input: SiteAnalysisInput): HourPoint[] {
  const meters = electricityMeters(input).map((m) =>
    hourlySeries(m.readings, m.intervalMinutes, input.site.timezone),
  );
  if (meters.length === 0) return [];
  if (meters.length === 1) return meters[0];
  const sums = new Map<number, { point: HourPoint; count: number }>();
  for (const series of meters) {
    for (const p of series) {
      const entry = sums.get(p.ts.getTime());
      if (entry) {
        entry.point = { ...entry.point, energyKwh: entry.point.energyKwh + p.energyKwh };
        entry.count++;
      } else sums.set(p.ts.getTime(), { point: p, count: 1 });
    }
  }
  return [...sums.values()]
    .filter((e) => e.count === meters.length)
    .map((e) => e.point)
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/** Linear-interpolated quantile (q in [0, 1]) of finite values; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface Occupancy {
  /** occupied flag per local hour of week */
  occupied: boolean[];
  /** median hourly energy (= mean kW) per hour of week; NaN where never seen */
  medianKwByHourOfWeek: number[];
  /** median kW over occupied hours and over unoccupied hours */
  occupiedKw: number;
  unoccupiedKw: number;
  /** occupiedKw − unoccupiedKw */
  swingKw: number;
  /** false when the profile shows no clear schedule (swing < 10 % of the occupied level) */
  clearSchedule: boolean;
}

/**
 * The site's operating schedule inferred from its own data: per local hour of week the median
 * load; with low = 10th and high = 90th percentile of those medians, an hour of week is
 * occupied when its median is above low + ½(high − low). Hourly points carry kWh per hour =
 * mean kW.
 */
export function inferOccupancy(hours: readonly HourPoint[]): Occupancy {
  const byHow: number[][] = Array.from({ length: HOURS_PER_WEEK }, () => []);
  for (const h of hours) byHow[h.hourOfWeek].push(h.energyKwh);
  const medians = byHow.map((v) => median(v));
  const low = quantile(medians, 0.1);
  const high = quantile(medians, 0.9);
  const threshold = low + 0.5 * (high - low);
  const occupied = medians.map((m) => Number.isFinite(m) && m > threshold);
  const occ: number[] = [];
  const unocc: number[] = [];
  for (const h of hours) (occupied[h.hourOfWeek] ? occ : unocc).push(h.energyKwh);
  const occupiedKw = occ.length ? median(occ) : Number.NaN;
  const unoccupiedKw = unocc.length ? median(unocc) : Number.NaN;
  const swingKw = occupiedKw - unoccupiedKw;
  return {
    occupied,
    medianKwByHourOfWeek: medians,
    occupiedKw,
    unoccupiedKw,
    swingKw,
    clearSchedule: Number.isFinite(swingKw) && swingKw > 0.1 * occupiedKw,
  };
}

/** The tariff the site pays now: the one marked current, else the first entered. */
export function currentTariff(tariffs: readonly TariffOption[]): TariffOption | null {
  return tariffs.find((t) => t.current) ?? tariffs[0] ?? null;
}

/** Energy cost of `points` (interval energy at their start times) under `tariff`; null without a tariff. */
export function energyCost(
  tariff: Tariff | null,
  points: readonly EnergyPoint[],
  zone: string,
): number | null {
  if (!tariff) return null;
  return energyCharge(
    tariff,
    points.map((p) => ({ start: p.ts, energyKwh: p.energyKwh })),
    zone,
  ).cost;
}

/** Price per kWh at each instant under `tariff` (null without a tariff). */
export function pricesAt(tariff: Tariff | null, times: readonly Date[], zone: string): number[] | null {
  if (!tariff) return null;
  return times.map((ts) => energyCharge(tariff, [{ start: ts, energyKwh: 1 }], zone).cost);
}

/**
 * kg CO2e per kWh at each hour, for measures that move energy between hours (load shifting).
 * Every suggestion's CO2 is on the site's one factor for the year (input.emissionFactor, the
 * inventory's): an hourly profile only supplies the shape.
 * - 'average' profiles (the default; e.g. EIA-930 life-cycle average intensity): each hour's
 *   value × (annual factor ÷ the profile's mean over these hours), so a flat load gets exactly
 *   the annual factor;
 * - 'marginal' profiles are used as they are (they measure a different thing: the plant that
 *   answers a change), and are labelled so by the caller.
 * Per hour: the profile's value for that UTC hour when given; else its mean for the same
 * (local month, local hour) — ✘ a typical-day stand-in when the profile's year differs; else
 * the annual factor.
 */
export function factorsAt(input: SiteAnalysisInput, hours: readonly HourPoint[]): number[] {
  const flat = input.emissionFactor.kgCo2ePerKwh;
  const profile = input.gridIntensity;
  if (!profile || profile.length === 0) return hours.map(() => flat);
  const exact = new Map<number, number>();
  const sums = new Map<string, { sum: number; n: number }>();
  for (const p of profile) {
    if (!Number.isFinite(p.kgCo2ePerKwh)) continue;
    exact.set(Math.floor(p.ts.getTime() / MS_PER_HOUR), p.kgCo2ePerKwh);
    const cal = localCalendar(p.ts, input.site.timezone);
    const key = `${cal.month}:${cal.hour}`;
    const s = sums.get(key) ?? { sum: 0, n: 0 };
    s.sum += p.kgCo2ePerKwh;
    s.n++;
    sums.set(key, s);
  }
  const raw = hours.map((h) => {
    const e = exact.get(Math.floor(h.ts.getTime() / MS_PER_HOUR));
    if (e !== undefined) return e;
    const s = sums.get(`${h.month}:${h.hour}`);
    return s ? s.sum / s.n : Number.NaN;
  });
  if ((input.gridIntensityBasis ?? 'average') === 'marginal')
    return raw.map((v) => (Number.isFinite(v) ? v : flat));
  const known = raw.filter((v) => Number.isFinite(v));
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const k = known.length && mean > 0 ? flat / mean : 1;
  return raw.map((v) => (Number.isFinite(v) ? v * k : flat));
}

/** Years of data the hourly series covers, counting present hours only. */
export function coveredYears(hours: readonly { ts: Date }[]): number {
  return hours.length / HOURS_PER_YEAR;
}

/** A number for a sentence: thousands separators, `digits` decimals at most. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function fmtMoney(value: number | null, currency: string): string {
  if (value === null) return 'an unknown amount (no tariff entered)';
  return `${currency} ${fmt(value, 0)}`;
}

/** Typical week (median kW per local hour of week) as an evidence series, Monday 00:00 first. */
export function typicalWeekSeries(name: string, medians: readonly number[]): EvidenceSeries {
  const monday = Date.UTC(2024, 0, 1); // a Monday; labels the hour of week
  return {
    name,
    unit: 'kW',
    points: medians
      .map((value, how) => ({ ts: new Date(monday + how * MS_PER_HOUR).toISOString(), value }))
      .filter((p) => Number.isFinite(p.value)),
  };
}

/** Daily totals as an evidence series. */
export function dailySeries(
  name: string,
  hours: readonly HourPoint[],
  value: (h: HourPoint) => number = (h) => h.energyKwh,
  unit = 'kWh',
): EvidenceSeries {
  const days = new Map<string, number>();
  for (const h of hours) days.set(h.dateKey, (days.get(h.dateKey) ?? 0) + value(h));
  return { name, unit, points: [...days.entries()].map(([ts, v]) => ({ ts, value: v })) };
}

export function suggestionKey(type: string, siteId: string, meterId?: string, extra?: string): string {
  return [type, siteId, meterId ?? 'site', extra].filter((p) => p !== undefined).join(':');
}
