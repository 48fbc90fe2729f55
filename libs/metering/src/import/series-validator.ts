import type { MeterKind } from '../units/units';
import type { ImportEvent, ReadingQuality, RegisterKind } from './import-types';
import { formatWall } from './timestamp-parser';
import { TimestampSet } from './timestamp-set';
import type { ZoneResolver } from './zone-resolver';

/**
 * The format-independent half of an import: one series of (time, value) rows in file order
 * → reading / missing / duplicate / error / warning events. It places local times in the
 * site's zone (rejecting times that do not exist, resolving the autumn repeat from the
 * file's order), checks the interval grid, future times, negative consumption and
 * duplicates, converts units and turns cumulative registers into interval values.
 */
export interface SeriesRow {
  line: number;
  /** the written date and time as if UTC (ms) */
  wallMs: number;
  /** explicit offset in the text (minutes east of UTC), or null for site-local time */
  offsetMinutes: number | null;
  /** in the file's unit; null = empty cell (a gap) */
  value: number | null;
  /** the timestamp as written, for messages */
  text: string;
  /** for bill periods: the end as UTC ms (Green Button) ... */
  periodEndMs?: number;
  /** ... or as a written wall time (tables), with its explicit offset if any */
  periodEndWallMs?: number;
  periodEndOffsetMinutes?: number | null;
  quality?: ReadingQuality;
  cost?: number;
}

export interface SeriesValidatorOptions {
  zone: ZoneResolver;
  intervalMinutes: number | null;
  register: RegisterKind;
  meterKind: MeterKind;
  /** value in meter unit = value in file unit × factor */
  factor: number;
  now: Date;
  timestampPosition?: 'start' | 'end';
  /** for messages: 'in column "kWh"' */
  valueLabel: string;
}

const DAY_MS = 86_400_000;
/**
 * The largest reading (in the meter's unit) stored: 10^15 kWh is more than the world uses in a year, so
 * a value above it is a broken cell, and sums of readings stay far from float overflow (rollups).
 */
export const MAX_READING = 1e15;
/** rows whose steps are counted for intervalMismatch() */
const STEP_SAMPLE = 5000;
const MINUTE_MS = 60_000;
const GENERATION_KINDS: ReadonlySet<MeterKind> = new Set<MeterKind>(['pv_generation', 'wind_generation']);

interface Resolved {
  row: SeriesRow;
  utcMs: number;
  /** site-local wall time of the (start) instant */
  localWallMs: number;
}

interface PendingRow {
  row: SeriesRow;
  earlierUtcMs: number;
  laterUtcMs: number;
}

export interface SeriesCounters {
  rows: number;
  /** rows refused because their time is off the meter's interval grid */
  offGrid: number;
  midnightShifted: number;
  rollovers: number;
  resets: number;
}

export class SeriesValidator {
  readonly counters: SeriesCounters = { rows: 0, offGrid: 0, midnightShifted: 0, rollovers: 0, resets: 0 };
  /** how often each step (ms) between consecutive written times occurs in the first rows */
  private readonly steps = new Map<number, number>();
  private stepRows = 0;
  private readonly intervalMs: number | null;
  private readonly futureLimitMs: number;
  private readonly seen: TimestampSet;
  private readonly allowNegative: boolean;
  private pending: PendingRow[] = [];
  private prevWallMs = Number.NaN;
  // cumulative state
  private prevRead: Resolved | null = null;
  private prevReadValue = 0;
  private maxRegister = 0;

  constructor(private readonly o: SeriesValidatorOptions) {
    this.intervalMs = o.intervalMinutes == null ? null : o.intervalMinutes * MINUTE_MS;
    this.futureLimitMs = o.now.getTime() + (this.intervalMs ?? 0);
    this.seen = new TimestampSet(this.intervalMs);
    this.allowNegative = GENERATION_KINDS.has(o.meterKind);
  }

  push(row: SeriesRow, out: ImportEvent[]): void {
    this.counters.rows++;
    const o = this.o;
    let wall = row.wallMs;
    // "midnight carries the previous day's date": a 00:00 row right after the last slot of
    // the same date is that day's closing midnight (seen in the UCI steel-plant file).
    const im = this.intervalMs;
    if (im !== null && im < DAY_MS && wall % DAY_MS === 0 && this.prevWallMs - wall === DAY_MS - im) {
      wall += DAY_MS;
      if (this.counters.midnightShifted++ === 0) {
        out.push({
          kind: 'warning',
          line: row.line,
          message: `line ${row.line}: "${row.text}" follows ${formatWall(this.prevWallMs)} of the same date: read as the midnight that ends that day (${formatWall(wall)}); every such row is read this way`,
        });
      }
    }
    if (this.stepRows < STEP_SAMPLE && wall > this.prevWallMs) {
      this.stepRows++;
      this.steps.set(wall - this.prevWallMs, (this.steps.get(wall - this.prevWallMs) ?? 0) + 1);
    }
    this.prevWallMs = wall;
    if (wall !== row.wallMs) row = { ...row, wallMs: wall };

    if (row.offsetMinutes !== null) {
      if (this.pending.length > 0) this.flushPending(out);
      this.accept(row, wall - row.offsetMinutes * MINUTE_MS, out);
      return;
    }
    const r = o.zone.resolve(this.endShiftWall(wall));
    if (r.kind === 'ambiguous') {
      this.pending.push({ row, earlierUtcMs: r.earlierUtcMs, laterUtcMs: r.laterUtcMs });
      return;
    }
    if (this.pending.length > 0) this.flushPending(out);
    if (r.kind === 'gap') {
      this.error(
        out,
        row,
        `"${row.text}" does not exist in ${o.zone.zone}: the clocks go forward at that time`,
      );
      return;
    }
    this.accept(row, r.utcMs, out);
  }

  /**
   * After the first rows: when most of them are off the meter's grid and the file's own step is finer
   * than the meter's interval (a 15-minute file for an hourly meter), the file does not belong to
   * this meter — a whole-file refusal says so once, instead of one rejected row per reading.
   */
  intervalMismatch(): { fileMinutes: number; meterMinutes: number } | null {
    const im = this.intervalMs;
    const c = this.counters;
    if (im === null || c.rows < 20 || c.offGrid < c.rows / 2) return null;
    let step = 0;
    let best = 0;
    for (const [s, n] of this.steps) {
      if (n > best) {
        best = n;
        step = s;
      }
    }
    if (step === 0 || step >= im) return null;
    return { fileMinutes: step / MINUTE_MS, meterMinutes: im / MINUTE_MS };
  }

  finish(out: ImportEvent[]): void {
    if (this.pending.length > 0) this.flushPending(out);
  }

  /** daily meters labelled at the interval end: the period is the local day before */
  private endShiftWall(wall: number): number {
    return this.o.timestampPosition === 'end' && this.intervalMs === DAY_MS ? wall - DAY_MS : wall;
  }

  /**
   * The autumn repeat: a local time that happens twice is placed by the file's order when
   * the file shows it twice (first = earlier instant, in daylight time; second = later),
   * and rejected when it shows it once.
   */
  private flushPending(out: ImportEvent[]): void {
    const pending = this.pending;
    this.pending = [];
    const total = new Map<number, number>();
    for (const p of pending) total.set(p.row.wallMs, (total.get(p.row.wallMs) ?? 0) + 1);
    const used = new Map<number, number>();
    for (const p of pending) {
      const n = total.get(p.row.wallMs) ?? 0;
      const k = used.get(p.row.wallMs) ?? 0;
      used.set(p.row.wallMs, k + 1);
      if (n < 2) {
        const a = new Date(p.earlierUtcMs).toISOString().slice(0, 16);
        const b = new Date(p.laterUtcMs).toISOString().slice(0, 16);
        this.error(
          out,
          p.row,
          `"${p.row.text}" is ambiguous in ${this.o.zone.zone}: the clocks go back and it happens twice (${a}Z and ${b}Z); the file shows it once, so add a UTC offset to the timestamp`,
        );
        continue;
      }
      this.accept(p.row, k === 0 ? p.earlierUtcMs : p.laterUtcMs, out);
    }
  }

  private error(out: ImportEvent[], row: SeriesRow, what: string): void {
    out.push({ kind: 'error', error: { line: row.line, message: `line ${row.line}: ${what}` } });
  }

  private accept(row: SeriesRow, utcMs: number, out: ImportEvent[]): void {
    const o = this.o;
    const im = this.intervalMs;
    let startMs = utcMs;
    if (o.timestampPosition === 'end' && im !== null && im < DAY_MS) startMs -= im;
    let localWall = row.offsetMinutes === null ? this.endShiftWall(row.wallMs) : o.zone.toWall(startMs);
    if (row.offsetMinutes === null && o.timestampPosition === 'end' && im !== null && im < DAY_MS)
      localWall -= im;
    if (im !== null) {
      const rem = ((localWall % im) + im) % im;
      if (rem !== 0) {
        this.counters.offGrid++;
        this.error(
          out,
          row,
          im >= DAY_MS
            ? `"${row.text}" is not at local midnight in ${o.zone.zone}, as a daily meter's readings must be`
            : `"${row.text}" is not on the meter's ${o.intervalMinutes}-minute grid (local time in ${o.zone.zone} must be a multiple of ${o.intervalMinutes} minutes past the hour)`,
        );
        return;
      }
    }
    if (startMs > this.futureLimitMs) {
      this.error(out, row, `"${row.text}" is in the future (after ${o.now.toISOString()})`);
      return;
    }
    const v = row.value;
    if (v === null) {
      if (o.register === 'interval') out.push({ kind: 'missing', line: row.line, ts: new Date(startMs) });
      return;
    }
    const bad = this.valueProblem(v);
    if (bad !== null) {
      this.error(out, row, bad);
      return;
    }
    const earlier = this.seen.check(startMs, v, row.line);
    if (earlier !== undefined) {
      if (earlier.value === v)
        out.push({ kind: 'duplicate', line: row.line, ofLine: earlier.line, ts: new Date(startMs) });
      else
        this.error(
          out,
          row,
          `"${row.text}" duplicates line ${earlier.line} with a different value (${v} here, ${earlier.value} there)`,
        );
      return;
    }
    if (o.register === 'cumulative') {
      this.cumulative({ row, utcMs: startMs, localWallMs: localWall }, v, out);
      return;
    }
    const reading: ImportEvent = {
      kind: 'reading',
      reading: {
        line: row.line,
        ts: new Date(startMs),
        value: v * o.factor,
        quality: row.quality ?? 'measured',
      },
    };
    const endMs = this.periodEnd(row);
    if (endMs !== undefined) {
      if (endMs <= startMs) {
        this.error(out, row, `the period ends (${new Date(endMs).toISOString()}) before it starts`);
        return;
      }
      reading.reading.periodEnd = new Date(endMs);
    }
    if (row.cost !== undefined) reading.reading.cost = row.cost;
    out.push(reading);
  }

  /** Why a value cannot be stored (not finite, too large, negative where the meter forbids it); null when it can. */
  private valueProblem(v: number): string | null {
    const o = this.o;
    if (!Number.isFinite(v) || !(Math.abs(v * o.factor) <= MAX_READING)) {
      return Number.isFinite(v)
        ? `value ${v} ${o.valueLabel} is too large to store (over ${MAX_READING.toExponential()} in the meter's unit)`
        : `value ${v} ${o.valueLabel} is not a finite number`;
    }
    if (v < 0 && (o.register === 'cumulative' || !this.allowNegative)) {
      return o.register === 'cumulative'
        ? `register reading ${v} ${o.valueLabel} is negative`
        : `value ${v} ${o.valueLabel} is negative: a ${o.meterKind} meter cannot record negative quantities`;
    }
    return null;
  }

  private periodEnd(row: SeriesRow): number | undefined {
    if (row.periodEndMs !== undefined) return row.periodEndMs;
    if (row.periodEndWallMs === undefined) return undefined;
    if (row.periodEndOffsetMinutes != null)
      return row.periodEndWallMs - row.periodEndOffsetMinutes * MINUTE_MS;
    const r = this.o.zone.resolve(row.periodEndWallMs);
    // an end in a clock change: the later instant (ambiguous) or the moment the clocks jump (gap)
    return r.kind === 'ok'
      ? r.utcMs
      : r.kind === 'ambiguous'
        ? r.laterUtcMs
        : row.periodEndWallMs - this.o.zone.offsetMinutesAt(row.periodEndWallMs) * MINUTE_MS;
  }

  /**
   * Register reads → interval values. The difference between consecutive reads is the use
   * over [previous read, this read). A drop is a rollover when the previous read was within
   * 10 % of the register's capacity (the next power of ten above the largest read so far),
   * else a meter reset (the new read is the use since the reset). A gap of k intervals is
   * spread evenly over them, flagged 'filled'. The first read yields no interval.
   */
  private cumulative(cur: Resolved, v: number, out: ImportEvent[]): void {
    const o = this.o;
    const prev = this.prevRead;
    const prevV = this.prevReadValue;
    if (prev === null) {
      this.prevRead = cur;
      this.prevReadValue = v;
      this.maxRegister = v;
      return;
    }
    const line = cur.row.line;
    if (cur.utcMs <= prev.utcMs) {
      this.error(
        out,
        cur.row,
        `"${cur.row.text}" is not after line ${prev.row.line}: a cumulative register's reads must be in time order`,
      );
      return;
    }
    let delta = v - prevV;
    if (delta < 0) {
      const capacity = 10 ** Math.ceil(Math.log10(this.maxRegister + 1));
      if (prevV >= 0.9 * capacity) {
        delta = capacity - prevV + v;
        this.counters.rollovers++;
        out.push({
          kind: 'warning',
          line,
          message: `line ${line}: the register rolled over at ${capacity} (from ${prevV} to ${v}): counted ${delta}`,
        });
      } else {
        delta = v;
        this.counters.resets++;
        out.push({
          kind: 'warning',
          line,
          message: `line ${line}: the register dropped from ${prevV} to ${v}: read as a meter reset, counted ${v} since the reset`,
        });
      }
    }
    this.maxRegister = Math.max(this.maxRegister, v);
    this.prevRead = cur;
    this.prevReadValue = v;
    const im = this.intervalMs;
    if (im === null) {
      out.push({
        kind: 'reading',
        reading: {
          line,
          ts: new Date(prev.utcMs),
          periodEnd: new Date(cur.utcMs),
          value: delta * o.factor,
          quality: 'measured',
        },
      });
      return;
    }
    const k =
      im >= DAY_MS
        ? Math.round((cur.localWallMs - prev.localWallMs) / im)
        : Math.round((cur.utcMs - prev.utcMs) / im);
    if (k <= 1) {
      out.push({
        kind: 'reading',
        reading: { line, ts: new Date(prev.utcMs), value: delta * o.factor, quality: 'measured' },
      });
      return;
    }
    const share = (delta * o.factor) / k;
    for (let i = 0; i < k; i++) {
      let ts: number;
      if (im < DAY_MS) ts = prev.utcMs + i * im;
      else {
        const r = o.zone.resolve(prev.localWallMs + i * im);
        ts = r.kind === 'ok' ? r.utcMs : r.kind === 'ambiguous' ? r.earlierUtcMs : prev.utcMs + i * im;
      }
      out.push({ kind: 'reading', reading: { line, ts: new Date(ts), value: share, quality: 'filled' } });
    }
  }
}
