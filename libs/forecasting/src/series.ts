/**
 * The regular-interval series every forecaster works on, and small pure helpers over it.
 * A reading at index i covers [startMs + i·interval, startMs + (i+1)·interval) (UTC);
 * NaN marks a missing value.
 */
import { IANAZone } from 'luxon';

export interface MeterSeries {
  /** UTC epoch ms of the start of the first interval. */
  startMs: number;
  intervalMinutes: number;
  /** Energy per interval, kWh; NaN = missing. */
  valuesKwh: number[];
  /** IANA time zone of the site (calendar features, local-midnight origins). */
  timeZone: string;
  /** ISO 3166-1 alpha-2 country of the site, for public holidays (e.g. 'US', 'GB'). */
  countryCode?: string;
  /** Outdoor temperature aligned with valuesKwh, °C; NaN = missing. */
  temperatureC?: number[];
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;

export function intervalMs(series: Pick<MeterSeries, 'intervalMinutes'>): number {
  return series.intervalMinutes * MS_PER_MINUTE;
}

export function stepsPerDay(intervalMinutes: number): number {
  const steps = 1440 / intervalMinutes;
  if (!Number.isInteger(steps))
    throw new RangeError(`interval of ${intervalMinutes} min does not divide a day`);
  return steps;
}

export function timeAt(series: Pick<MeterSeries, 'startMs' | 'intervalMinutes'>, index: number): number {
  return series.startMs + index * series.intervalMinutes * MS_PER_MINUTE;
}

/**
 * A zone's UTC offsets (minutes) at hour starts, with one `Intl` look-up per UTC day instead of one
 * per hour (luxon's offset is an `Intl` call; per hour it blocked the event loop for 0.3–1.6 s after
 * an import's site analysis). A day whose offset is the same at its start and at the next day's start
 * has no transition inside it (zones change offset at most once a day); only the days with a change
 * are looked up hour by hour.
 */
export class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly days = new Map<number, number | null>();
  private readonly hours = new Map<number, number>();

  constructor(timeZone: string) {
    this.zone = IANAZone.create(timeZone);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
  }

  /** The offset in force at the instant `ms`. */
  at(ms: number): number {
    const day = this.day(Math.floor(ms / (24 * MS_PER_HOUR)));
    return day !== null ? day : this.zone.offset(ms);
  }

  private day(dayKey: number): number | null {
    let day = this.days.get(dayKey);
    if (day === undefined) {
      const start = this.zone.offset(dayKey * 24 * MS_PER_HOUR);
      day = start === this.zone.offset((dayKey + 1) * 24 * MS_PER_HOUR) ? start : null;
      this.days.set(dayKey, day);
    }
    return day;
  }

  /** The offset in force at the start of the UTC hour that holds `ms`. */
  atHour(ms: number): number {
    const hourKey = Math.floor(ms / MS_PER_HOUR);
    const day = this.day(Math.floor(hourKey / 24));
    if (day !== null) return day;
    let offset = this.hours.get(hourKey);
    if (offset === undefined) {
      offset = this.zone.offset(hourKey * MS_PER_HOUR);
      this.hours.set(hourKey, offset);
    }
    return offset;
  }
}

/** Local-time offsets in minutes for a run of UTC instants (each instant's hour; see ZoneOffsets). */
export function localOffsetsMinutes(timeZone: string, timesMs: readonly number[]): Int32Array {
  const offsets = new ZoneOffsets(timeZone);
  const out = new Int32Array(timesMs.length);
  for (let i = 0; i < timesMs.length; i++) out[i] = offsets.atHour(timesMs[i]);
  return out;
}

/** The fewest resolution steps above zero at which a run of one exact value is a stuck meter, not a quiet one. */
export const STUCK_MIN_RESOLUTION_STEPS = 50;

/**
 * A meter's resolution: 10^−d, d the decimals (at most 6) that 95 % of its non-zero values need (up to 2,000 of
 * them, evenly spaced); 1 for a meter that reports whole numbers.
 */
export function valueResolution(values: readonly number[]): number {
  const nonZero = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (!nonZero.length) return 1;
  const every = Math.max(1, Math.floor(nonZero.length / 2000));
  const decimals: number[] = [];
  for (let i = 0; i < nonZero.length; i += every) {
    const v = Math.abs(nonZero[i]);
    let d = 0;
    while (d < 6 && Math.abs(Math.round(v * 10 ** d) - v * 10 ** d) > 1e-6 * Math.max(1, v * 10 ** d)) d++;
    decimals.push(d);
  }
  decimals.sort((a, b) => a - b);
  return 10 ** -decimals[Math.min(decimals.length - 1, Math.floor(decimals.length * 0.95))];
}

/**
 * Cleans a raw meter series for training and scoring: NaN, infinite and negative values
 * are missing, and so are runs of exact zeros of at least `minZeroRunSteps` when the meter
 * otherwise reports positive load (BDG2 writes 0 where a meter was not reporting).
 * With `minStuckRunSteps`, so are runs of one exact non-zero value at least that long (a load meter: 6 hours, the
 * quality report's flat line, `@halve/metering` reading-quality.ts) whose value is at least
 * {@link STUCK_MIN_RESOLUTION_STEPS} steps of the meter's resolution or finer than it reports: a logger that
 * stopped and was filled with a constant (five BDG2 London buildings, which report tenths, share the same 72-, 48-
 * and 22-hour runs of values such as 1.309) or a day filled with its mean, not a night of 0.4 kWh on a meter that
 * reports tenths. Not for generation: an inverter at its limit is flat.
 */
export function markMissing(
  valuesKwh: readonly number[],
  minZeroRunSteps = 6,
  minStuckRunSteps?: number,
): number[] {
  const out = valuesKwh.map((v) => (Number.isFinite(v) && v >= 0 ? v : Number.NaN));
  const positives = out.filter((v) => v > 0).length;
  const keepZeros = positives < out.length * 0.5; // a meter that is mostly zero: keep its zeros
  const q = minStuckRunSteps ? valueResolution(out) : 1;
  // a run of one value is stuck when it is well above the meter's resolution, or finer than the meter reports
  // (a logger's fill such as 1.309 on a meter that reports tenths), not when it is a quiet meter's few steps
  const stuck = (v: number, run: number) =>
    minStuckRunSteps !== undefined &&
    run >= minStuckRunSteps &&
    (v >= STUCK_MIN_RESOLUTION_STEPS * q || Math.abs(v / q - Math.round(v / q)) > 1e-6 * Math.max(1, v / q));
  let i = 0;
  while (i < out.length) {
    const v = out[i];
    let j = i + 1;
    while (j < out.length && out[j] === v) j++;
    const missing = v === 0 ? !keepZeros && j - i >= minZeroRunSteps : v > 0 && stuck(v, j - i);
    if (missing) for (let k = i; k < j; k++) out[k] = Number.NaN;
    i = j;
  }
  return out;
}

/** Latest index t − k·period (k ≥ 1) strictly before the origin: a lag that reads no value at or after it. */
export function lagBeforeOrigin(target: number, origin: number, period: number): number {
  if (target < origin) return target - period;
  const k = Math.floor((target - origin) / period) + 1;
  return target - k * period;
}

/** Mean of the finite values in [from, to), or NaN when there are none. */
export function finiteMean(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Typical magnitude of a meter (mean of its finite values), floored to stay positive. */
export function meterScale(values: readonly number[]): number {
  const m = finiteMean(values, 0, values.length);
  return Number.isFinite(m) && m > 1e-9 ? m : 1;
}

/** Slices a series to [from, to) indices, keeping its metadata. */
export function sliceSeries(series: MeterSeries, from: number, to: number): MeterSeries {
  return {
    ...series,
    startMs: timeAt(series, from),
    valuesKwh: series.valuesKwh.slice(from, to),
    temperatureC: series.temperatureC?.slice(from, to),
  };
}

/** Appends `steps` missing intervals (for forecasting beyond the last reading). */
export function extendSeries(
  series: MeterSeries,
  steps: number,
  temperatureC?: readonly number[],
): MeterSeries {
  const pad = new Array<number>(steps).fill(Number.NaN);
  let temperature: number[] | undefined;
  if (series.temperatureC) {
    temperature = series.temperatureC.concat(temperatureC ? Array.from(temperatureC).slice(0, steps) : pad);
    while (temperature.length < series.valuesKwh.length + steps) temperature.push(Number.NaN);
  }
  return { ...series, valuesKwh: series.valuesKwh.concat(pad), temperatureC: temperature };
}

/** Guess a country for holidays from an IANA zone (US/*, America/<US city>, Europe/London…). */
export function countryFromTimeZone(timeZone: string): string | undefined {
  if (timeZone.startsWith('US/')) return 'US';
  const known: Record<string, string> = {
    'America/New_York': 'US',
    'America/Chicago': 'US',
    'America/Denver': 'US',
    'America/Phoenix': 'US',
    'America/Los_Angeles': 'US',
    'America/Anchorage': 'US',
    'Pacific/Honolulu': 'US',
    'America/Toronto': 'CA',
    'America/Vancouver': 'CA',
    'America/Montreal': 'CA',
    'Europe/London': 'GB',
    'Europe/Dublin': 'IE',
    'Europe/Paris': 'FR',
    'Europe/Berlin': 'DE',
    'Europe/Madrid': 'ES',
    'Europe/Rome': 'IT',
    'Europe/Amsterdam': 'NL',
    'Europe/Brussels': 'BE',
    'Europe/Zurich': 'CH',
    'Europe/Vienna': 'AT',
    'Europe/Stockholm': 'SE',
    'Europe/Oslo': 'NO',
    'Europe/Copenhagen': 'DK',
    'Europe/Helsinki': 'FI',
    'Europe/Warsaw': 'PL',
    'Europe/Lisbon': 'PT',
    'Australia/Sydney': 'AU',
    'Australia/Melbourne': 'AU',
    'Asia/Singapore': 'SG',
    'Asia/Tokyo': 'JP',
    'Asia/Shanghai': 'CN',
  };
  return known[timeZone];
}

/**
 * A meter's regular series in [startMs, startMs + n·step) from its stored readings (NaN where none;
 * markMissing applies) and its site's hourly weather (temperature aligned by UTC hour; absent when the
 * weather has no temperature at all).
 */
export function seriesFromRows(
  grid: { startMs: number; n: number; intervalMinutes: number; timeZone: string; countryCode?: string },
  rows: readonly { ts: Date; value: number }[],
  weather: readonly { ts: Date; temperatureC: number | null }[],
  options: { stuckRuns?: boolean } = {},
): MeterSeries {
  const { startMs, n } = grid;
  const stepMs = grid.intervalMinutes * MS_PER_MINUTE;
  const values = new Array<number>(n).fill(Number.NaN);
  for (const r of rows) {
    const i = Math.round((r.ts.getTime() - startMs) / stepMs);
    if (i >= 0 && i < n) values[i] = r.value;
  }
  let temperatureC: number[] | undefined;
  if (weather.some((w) => w.temperatureC !== null)) {
    const byHour = new Map(
      weather
        .filter((w) => w.temperatureC !== null)
        .map((w) => [Math.floor(w.ts.getTime() / MS_PER_HOUR), w.temperatureC!]),
    );
    temperatureC = Array.from(
      { length: n },
      (_, i) => byHour.get(Math.floor((startMs + i * stepMs) / MS_PER_HOUR)) ?? Number.NaN,
    );
  }
  return {
    startMs,
    intervalMinutes: grid.intervalMinutes,
    valuesKwh: markMissing(
      values,
      6,
      options.stuckRuns ? Math.max(6, Math.ceil(360 / grid.intervalMinutes)) : undefined,
    ),
    timeZone: grid.timeZone,
    countryCode: grid.countryCode,
    ...(temperatureC ? { temperatureC } : {}),
  };
}
