/**
 * Feature engineering, pure functions over a MeterSeries (no I/O):
 * - calendar: hour of day and hour of week as sin/cos pairs, day of week, weekend,
 *   public holidays of the site's country (date-holidays), year-end break;
 * - origin-honest lags: for a target at index t forecast from an origin o (the first
 *   index not known), every load feature reads only indices < o, so one model serves
 *   horizons from the next interval to 7 days ahead;
 * - temperature when the series has it;
 * - for PV: solar position and clear-sky irradiance at the site.
 */
import type HolidaysModule from 'date-holidays';
import { clearSkyAt } from './solar';
import { MeterSeries, finiteMean, lagBeforeOrigin, localOffsetsMinutes, stepsPerDay, timeAt } from './series';
import {
  HorizonTemperature,
  TEMPERATURE_FEATURES,
  TemperatureFeature,
  isTemperatureFeature,
  writeTemperatureFeatures,
} from './temperature-features';

export * from './temperature-features';

const MS_PER_DAY = 86_400_000;

export interface CalendarInfo {
  /** Local hour of day, fractional (13.25 = 13:15). */
  hourOfDay: Float64Array;
  /** 0 = Monday … 6 = Sunday (local). */
  dayOfWeek: Uint8Array;
  /** Local calendar day number (days since 1970-01-01 in local time). */
  dayNumber: Int32Array;
  holiday: Uint8Array;
  /** Weekend or public holiday. */
  offDay: Uint8Array;
  /** 24 Dec – 1 Jan. */
  yearEnd: Uint8Array;
  /** Index of the first interval of each local day present in the series, ascending. */
  dayStarts: number[];
  /** For each index, the position in `dayStarts` of its day (−1 if its day starts before the series). */
  dayOrdinal: Int32Array;
}

const holidayCache = new Map<string, Set<string>>();

/** Public (and bank) holidays of a country in a year, as 'YYYY-MM-DD' local dates. */
export function publicHolidays(countryCode: string, year: number): Set<string> {
  const key = `${countryCode}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    set = new Set<string>();
    // loaded on first use: its rules for every country are ≈ 15 MB
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Holidays = require('date-holidays') as typeof HolidaysModule;
    const hd = new Holidays(countryCode);
    for (const h of hd.getHolidays(year) || []) {
      if (h.type === 'public' || h.type === 'bank') set.add(h.date.slice(0, 10));
    }
    holidayCache.set(key, set);
  }
  return set;
}

/** Calendar facts of every interval of a series, in the site's local time. */
export function calendarInfo(
  series: Pick<MeterSeries, 'startMs' | 'intervalMinutes' | 'timeZone' | 'countryCode'>,
  length: number,
): CalendarInfo {
  const times = new Array<number>(length);
  for (let i = 0; i < length; i++) times[i] = timeAt(series, i);
  const offsets = localOffsetsMinutes(series.timeZone, times);
  const hourOfDay = new Float64Array(length);
  const dayOfWeek = new Uint8Array(length);
  const dayNumber = new Int32Array(length);
  const holiday = new Uint8Array(length);
  const offDay = new Uint8Array(length);
  const yearEnd = new Uint8Array(length);
  const dayOrdinal = new Int32Array(length);
  const dayStarts: number[] = [];
  let lastDay = Number.NaN;
  let lastDayKey = '';
  let lastHoliday = 0;
  for (let i = 0; i < length; i++) {
    const localMs = times[i] + offsets[i] * 60_000;
    const day = Math.floor(localMs / MS_PER_DAY);
    hourOfDay[i] = (localMs - day * MS_PER_DAY) / 3_600_000;
    dayOfWeek[i] = (day + 3) % 7; // 1970-01-01 was a Thursday (3 with Monday = 0)
    dayNumber[i] = day;
    if (day !== lastDay) {
      const d = new Date(day * MS_PER_DAY);
      lastDayKey = d.toISOString().slice(0, 10);
      lastHoliday = series.countryCode
        ? publicHolidays(series.countryCode, d.getUTCFullYear()).has(lastDayKey)
          ? 1
          : 0
        : 0;
      // the series' first day counts only when it starts at local midnight
      if (i > 0 || hourOfDay[i] < 1e-9) dayStarts.push(i);
      lastDay = day;
    }
    const month = Number(lastDayKey.slice(5, 7));
    const dom = Number(lastDayKey.slice(8, 10));
    yearEnd[i] = (month === 12 && dom >= 24) || (month === 1 && dom === 1) ? 1 : 0;
    holiday[i] = lastHoliday;
    offDay[i] = lastHoliday || dayOfWeek[i] >= 5 ? 1 : 0;
    dayOrdinal[i] =
      dayStarts.length > 0 && dayNumber[dayStarts[dayStarts.length - 1]] === day ? dayStarts.length - 1 : -1;
  }
  return { hourOfDay, dayOfWeek, dayNumber, holiday, offDay, yearEnd, dayStarts, dayOrdinal };
}

/** Hour of week 0–167, Monday 00:00 = 0 (CalTRACK pins Monday; RMV2.0 Sunday). */
export function hourOfWeek(calendar: CalendarInfo, index: number): number {
  return calendar.dayOfWeek[index] * 24 + Math.floor(calendar.hourOfDay[index]);
}

/** Names of the calendar feature columns, in order. */
export const CALENDAR_FEATURES = [
  'hodSin1',
  'hodCos1',
  'hodSin2',
  'hodCos2',
  'hodSin3',
  'hodCos3',
  'howSin1',
  'howCos1',
  'howSin2',
  'howCos2',
  ...Array.from({ length: 7 }, (_, d) => `dow${d}`),
  ...Array.from({ length: 24 }, (_, h) => `hod${h}`),
  'weekend',
  'holiday',
  'yearEnd',
] as const;

/** Writes the calendar features of one interval into `out` at `offset`; returns the next offset. */
export function writeCalendarFeatures(
  calendar: CalendarInfo,
  index: number,
  out: Float32Array,
  offset: number,
): number {
  const hod = calendar.hourOfDay[index];
  const how = calendar.dayOfWeek[index] * 24 + hod;
  let o = offset;
  for (let k = 1; k <= 3; k++) {
    out[o++] = Math.sin((2 * Math.PI * k * hod) / 24);
    out[o++] = Math.cos((2 * Math.PI * k * hod) / 24);
  }
  for (let k = 1; k <= 2; k++) {
    out[o++] = Math.sin((2 * Math.PI * k * how) / 168);
    out[o++] = Math.cos((2 * Math.PI * k * how) / 168);
  }
  for (let d = 0; d < 7; d++) out[o++] = calendar.dayOfWeek[index] === d ? 1 : 0;
  const hour = Math.floor(hod);
  for (let h = 0; h < 24; h++) out[o++] = hour === h ? 1 : 0;
  out[o++] = calendar.dayOfWeek[index] >= 5 ? 1 : 0;
  out[o++] = calendar.holiday[index];
  out[o++] = calendar.yearEnd[index];
  return o;
}

export interface RecentLoad {
  /** Mean of the valid values of the 7 days before the origin (28 days when sparse). */
  levelKwh: number;
  /** Same time of day, latest day before the origin. */
  sameTimeLastDayKwh: number;
  /** Same time of week, latest week before the origin. */
  sameTimeLastWeekKwh: number;
  /** Mean of the same time of week over the 4 weeks before the origin. */
  sameTimeMean4WeeksKwh: number;
  /** Mean of the day before the origin. */
  lastDayMeanKwh: number;
  /** Last valid value before the origin. */
  lastValueKwh: number;
  /** Index of the same-time-last-day source (for its calendar). */
  lastDayIndex: number;
  /** Mean of the same time of day over the 7 days before the origin. */
  sameTimeMean7DaysKwh: number;
  /** Same time of day, two days before the latest day. */
  sameTimeTwoDaysKwh: number;
}

/**
 * Mean of the same time of day over the latest days before the origin whose off-day flag
 * (weekend/holiday) equals the target's: a working-day or a rest-day profile.
 */
export function sameDayTypeMean(
  values: readonly number[],
  offDay: Uint8Array,
  target: number,
  origin: number,
  spd: number,
  maxDays = 14,
  wanted = 5,
): number {
  let i = lagBeforeOrigin(target, origin, spd);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < maxDays && i >= 0 && n < wanted; k++, i -= spd) {
    if (offDay[i] === offDay[target] && Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/**
 * Recent-load facts for target t issued at origin o, reading only values[< o]. Missing
 * values are imputed in a fixed order (week lag → 4-week mean → level), so callers always
 * get finite numbers; `fallbackLevelKwh` is used when nothing before the origin is valid.
 */
export function recentLoad(
  values: readonly number[],
  target: number,
  origin: number,
  spd: number,
  fallbackLevelKwh: number,
): RecentLoad {
  const week = 7 * spd;
  let level = finiteMean(values, origin - week, origin);
  if (!Number.isFinite(level)) level = finiteMean(values, origin - 4 * week, origin);
  if (!Number.isFinite(level) || level <= 0) level = fallbackLevelKwh;
  const at = (i: number): number => (i >= 0 && i < origin ? values[i] : Number.NaN);
  const weekIndex = lagBeforeOrigin(target, origin, week);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < 4; k++) {
    const v = at(weekIndex - k * week);
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  const mean4 = n > 0 ? sum / n : level;
  let lastWeek = at(weekIndex);
  if (!Number.isFinite(lastWeek)) lastWeek = mean4;
  const dayIndex = lagBeforeOrigin(target, origin, spd);
  let lastDay = at(dayIndex);
  if (!Number.isFinite(lastDay)) lastDay = lastWeek;
  let dayMean = finiteMean(values, origin - spd, origin);
  if (!Number.isFinite(dayMean)) dayMean = level;
  let last = Number.NaN;
  for (let i = origin - 1; i >= Math.max(0, origin - spd) && !Number.isFinite(last); i--) last = values[i];
  if (!Number.isFinite(last)) last = dayMean;
  let sum7 = 0;
  let n7 = 0;
  for (let k = 0; k < 7; k++) {
    const v = at(dayIndex - k * spd);
    if (Number.isFinite(v)) {
      sum7 += v;
      n7++;
    }
  }
  let twoDays = at(dayIndex - spd);
  if (!Number.isFinite(twoDays)) twoDays = lastDay;
  return {
    sameTimeMean7DaysKwh: n7 > 0 ? sum7 / n7 : lastDay,
    sameTimeTwoDaysKwh: twoDays,
    levelKwh: level,
    sameTimeLastDayKwh: lastDay,
    sameTimeLastWeekKwh: lastWeek,
    sameTimeMean4WeeksKwh: mean4,
    lastDayMeanKwh: dayMean,
    lastValueKwh: last,
    lastDayIndex: dayIndex,
  };
}

/** A (target, origin) pair: forecast index `target` with everything before `origin` known. */
export interface ForecastPoint {
  target: number;
  origin: number;
}

export const LOAD_LAG_FEATURES = [
  'lastDay',
  'lastWeek',
  'mean4Weeks',
  'lastDayMean',
  'lastValue',
  'leadDays',
  'lastDayOff',
  'mean7Days',
  'twoDays',
  'sameDayType',
  'recentLevel',
] as const;

export interface LoadFeatureMatrix {
  /** Row-major, rows × columns. */
  x: Float32Array;
  rows: number;
  columns: number;
  /** Per-row normalising divisor (kWh): load inputs and targets are divided by it. */
  levelKwh: Float64Array;
  names: string[];
}

export interface LoadFeatureOptions {
  /** Add temperature features (needs series.temperatureC). */
  useTemperature: boolean;
  /** Level used when nothing before an origin is valid (the meter's scale). */
  fallbackLevelKwh: number;
  /**
   * Divide load features and targets by the meter's scale (`fallbackLevelKwh`, default)
   * or by the recent level of the week before each origin.
   */
  normaliseBy?: 'meterScale' | 'recentLevel';
  /**
   * The temperature columns, by name (with `useTemperature`): a stored model's own (older artifacts
   * have LEGACY_TEMPERATURE_FEATURES); default TEMPERATURE_FEATURES.
   */
  temperatureFeatures?: readonly string[];
  /** Temperatures at and after each origin: the series' (default) or yesterday's persisted. */
  horizonTemperature?: HorizonTemperature;
}

/** Column names for a load feature configuration. */
export function loadFeatureNames(
  useTemperature: boolean,
  temperatureFeatures: readonly string[] = TEMPERATURE_FEATURES,
): string[] {
  return [...CALENDAR_FEATURES, ...LOAD_LAG_FEATURES, ...(useTemperature ? temperatureFeatures : [])];
}

/** The temperature columns of a feature-name list (an artifact's), in order. */
export function temperatureFeaturesOf(featureNames: readonly string[]): TemperatureFeature[] {
  return featureNames.filter(isTemperatureFeature);
}

/**
 * Builds the load-model design matrix for a set of forecast points. Load features are
 * ratios to the recent level, so the same network serves meters of any size.
 * Temperature at and after the origin is the series' (a weather forecast in production, the
 * observation in backtests: a perfect forecast, stated in the benchmark output), or with
 * `horizonTemperature: 'persistence'` yesterday's; a missing forecast is persisted too
 * (temperature-features.ts).
 */
export function buildLoadFeatures(
  series: MeterSeries,
  calendar: CalendarInfo,
  points: readonly ForecastPoint[],
  options: LoadFeatureOptions,
): LoadFeatureMatrix {
  const temperatureNames = temperatureFeaturesOf(options.temperatureFeatures ?? TEMPERATURE_FEATURES);
  const names = loadFeatureNames(options.useTemperature, temperatureNames);
  const columns = names.length;
  const x = new Float32Array(points.length * columns);
  const levelKwh = new Float64Array(points.length);
  const spd = stepsPerDay(series.intervalMinutes);
  const temps = series.temperatureC ?? [];
  const horizon = options.horizonTemperature ?? 'forecast';
  // the last resort for a missing temperature: the mean before the first origin (else of all, else 15 °C)
  const firstOrigin = points.reduce((m, p) => Math.min(m, p.origin), temps.length);
  let fallbackC = finiteMean(temps, 0, firstOrigin);
  if (!Number.isFinite(fallbackC)) fallbackC = finiteMean(temps, 0, temps.length);
  if (!Number.isFinite(fallbackC)) fallbackC = 15;
  for (let r = 0; r < points.length; r++) {
    const { target, origin } = points[r];
    let o = writeCalendarFeatures(calendar, target, x, r * columns);
    const recent = recentLoad(series.valuesKwh, target, origin, spd, options.fallbackLevelKwh);
    const level = options.normaliseBy === 'recentLevel' ? recent.levelKwh : options.fallbackLevelKwh;
    levelKwh[r] = level;
    x[o++] = recent.sameTimeLastDayKwh / level;
    x[o++] = recent.sameTimeLastWeekKwh / level;
    x[o++] = recent.sameTimeMean4WeeksKwh / level;
    x[o++] = recent.lastDayMeanKwh / level;
    x[o++] = recent.lastValueKwh / level;
    x[o++] = (target - origin) / spd / 7;
    x[o++] = recent.lastDayIndex >= 0 ? calendar.offDay[recent.lastDayIndex] : 0;
    x[o++] = recent.sameTimeMean7DaysKwh / level;
    x[o++] = recent.sameTimeTwoDaysKwh / level;
    const typed = sameDayTypeMean(series.valuesKwh, calendar.offDay, target, origin, spd);
    x[o++] = (Number.isFinite(typed) ? typed : recent.sameTimeLastWeekKwh) / level;
    x[o++] = recent.levelKwh / level;
    if (options.useTemperature) {
      const point = { target, origin, lastDayIndex: recent.lastDayIndex };
      writeTemperatureFeatures(temperatureNames, temps, point, spd, horizon, fallbackC, x, o);
    }
  }
  return { x, rows: points.length, columns, levelKwh, names };
}

/**
 * Day-ahead forecast points: for every local day whose start index is in [fromIndex,
 * toIndex), the targets of that day issued at its local midnight.
 */
export function dayAheadPoints(
  calendar: CalendarInfo,
  fromIndex: number,
  toIndex: number,
  length: number,
): ForecastPoint[] {
  const points: ForecastPoint[] = [];
  const starts = calendar.dayStarts;
  for (let d = 0; d < starts.length; d++) {
    const origin = starts[d];
    if (origin < fromIndex || origin >= toIndex) continue;
    const end = d + 1 < starts.length ? starts[d + 1] : length;
    for (let t = origin; t < end; t++) points.push({ target: t, origin });
  }
  return points;
}

/** Per-interval solar features at a site: cos(zenith), clear-sky GHI/1000, extraterrestrial fraction. */
export interface SolarFeatures {
  cosZenith: Float64Array;
  clearSkyGhiWm2: Float64Array;
  clearSkyDniWm2: Float64Array;
  azimuthDeg: Float64Array;
}

/**
 * Sun position and Ineichen clear-sky irradiance at the middle of each interval
 * (`intervalStartsMs[i] + intervalMinutes/2`).
 */
export function solarFeatures(
  intervalStartsMs: readonly number[],
  intervalMinutes: number,
  latitudeDeg: number,
  longitudeDeg: number,
  altitudeM = 0,
): SolarFeatures {
  const n = intervalStartsMs.length;
  const cosZenith = new Float64Array(n);
  const ghi = new Float64Array(n);
  const dni = new Float64Array(n);
  const az = new Float64Array(n);
  const half = (intervalMinutes * 60_000) / 2;
  for (let i = 0; i < n; i++) {
    // average of three instants across the interval smooths sunrise/sunset hours
    let c = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (const f of [-0.5, 0, 0.5]) {
      const sky = clearSkyAt(intervalStartsMs[i] + half + f * half, latitudeDeg, longitudeDeg, altitudeM);
      c += Math.max(sky.position.cosZenith, 0) / 3;
      g += sky.ghiWm2 / 3;
      b += sky.dniWm2 / 3;
      a += sky.position.azimuthDeg / 3;
    }
    cosZenith[i] = c;
    ghi[i] = g;
    dni[i] = b;
    az[i] = a;
  }
  return { cosZenith, clearSkyGhiWm2: ghi, clearSkyDniWm2: dni, azimuthDeg: az };
}
