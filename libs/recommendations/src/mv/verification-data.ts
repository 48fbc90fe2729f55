/**
 * The M&V data as the baseline models need it: the hourly points sorted, temperature gaps of up to
 * 6 h interpolated (CalTRACK), non-routine events and missing energy removed, and local-day totals.
 */
import { DateTime } from 'luxon';
import { interpolateTemperatureGaps } from './caltrack';
import type { NonRoutineEvent, VerificationPoint } from './verification';

export const MS_PER_HOUR = 3_600_000;

export interface Row {
  ts: Date;
  energyKwh: number;
  temperatureC: number;
}

export interface Prepared {
  /** rows with energy and a temperature (for the temperature models) */
  rows: Row[];
  dropped: number;
  /** rows with energy, temperature or not (for the time-of-week model) */
  all: { ts: Date; energyKwh: number }[];
  droppedAll: number;
  /** rows.length ÷ all.length */
  temperatureCoverage: number;
}

function inEvent(ts: Date, events: readonly NonRoutineEvent[]): boolean {
  const t = ts.getTime();
  return events.some((e) => t >= e.from.getTime() && t < e.to.getTime());
}

/**
 * Sort, interpolate temperature gaps ≤ 6 h on the hourly grid (CalTRACK), and drop non-routine
 * events, missing energy and hours whose temperature stays missing.
 */
export function prepare(points: readonly VerificationPoint[], events: readonly NonRoutineEvent[]): Prepared {
  const sorted = [...points].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  if (sorted.length === 0) return { rows: [], dropped: 0, all: [], droppedAll: 0, temperatureCoverage: 0 };
  const start = sorted[0].ts.getTime();
  const hours = Math.round((sorted[sorted.length - 1].ts.getTime() - start) / MS_PER_HOUR) + 1;
  const grid: (number | null)[] = new Array<number | null>(hours).fill(null);
  for (const p of sorted) {
    const i = Math.round((p.ts.getTime() - start) / MS_PER_HOUR);
    if (p.temperatureC !== null && Number.isFinite(p.temperatureC)) grid[i] = p.temperatureC;
  }
  const filled = interpolateTemperatureGaps(grid, 6);
  const rows: Row[] = [];
  const all: { ts: Date; energyKwh: number }[] = [];
  for (const p of sorted) {
    if (!Number.isFinite(p.energyKwh) || inEvent(p.ts, events)) continue;
    all.push({ ts: p.ts, energyKwh: p.energyKwh });
    const t = filled[Math.round((p.ts.getTime() - start) / MS_PER_HOUR)];
    if (t !== null) rows.push({ ts: p.ts, energyKwh: p.energyKwh, temperatureC: t });
  }
  return {
    rows,
    dropped: sorted.length - rows.length,
    all,
    droppedAll: sorted.length - all.length,
    temperatureCoverage: all.length === 0 ? 0 : rows.length / all.length,
  };
}

export interface Day {
  key: string;
  start: DateTime;
  energyKwh: number;
  temperatureSum: number;
  hours: number;
}

/** Local-day totals, keeping only complete days (every hour of the local day present). */
export function toDays(rows: readonly Row[], zone: string): Day[] {
  const days = new Map<string, Day>();
  for (const r of rows) {
    const local = DateTime.fromJSDate(r.ts, { zone });
    const key = local.toISODate()!;
    let day = days.get(key);
    if (!day) {
      day = { key, start: local.startOf('day'), energyKwh: 0, temperatureSum: 0, hours: 0 };
      days.set(key, day);
    }
    day.energyKwh += r.energyKwh;
    day.temperatureSum += r.temperatureC;
    day.hours++;
  }
  return [...days.values()]
    .filter((d) => d.hours === Math.round(d.start.plus({ days: 1 }).diff(d.start, 'hours').hours))
    .sort((a, b) => a.start.toMillis() - b.start.toMillis());
}
