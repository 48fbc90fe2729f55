import type { ImportEvent } from './import/import-types';

/**
 * From import events to what the database loads, without a per-reading object: the tally of the
 * import report, the readings encoded as they arrive (PostgreSQL binary COPY rows, or plain columns
 * for the embedded database's set-based INSERT), each meter's time range, and — for a meter's first
 * import, whose rollups are exactly its readings' — the hour rollups. Pure and transferable: it runs
 * in the import's parse worker as well as in the API thread (JSON push, small files).
 */

const MAX_REPORTED_ERRORS = 100;
export const QUALITY_CODES = { measured: 0, estimated: 1, filled: 2 } as const;
export const QUALITY_NAMES = ['measured', 'estimated', 'filled'] as const;

/**
 * How the readings reach the database: `copy-direct` = binary COPY rows of `readings` (tenant, meter,
 * ts, value, period_end, quality, import_id); `copy-stage` = binary COPY rows of the import stage
 * (meter, ts, value, period_end, quality); `columns` = typed arrays for a set-based INSERT.
 */
export type EncodeMode = 'copy-direct' | 'copy-stage' | 'columns';

export interface ReadingColumns {
  /** index into the encoder's meter ids */
  meter: Uint16Array;
  ts: Float64Array;
  value: Float64Array;
  /** NaN: no period end */
  periodEnd: Float64Array;
  quality: Uint8Array;
}

export interface ReadingChunk {
  rows: number;
  bytes?: Uint8Array;
  columns?: ReadingColumns;
}

export interface MeterRange {
  n: number;
  first: number;
  last: number;
}

export interface HourRollups {
  meterId: string;
  /** UTC hour start, ms */
  hourMs: Float64Array;
  sum: Float64Array;
  count: Int32Array;
}

export interface TallySummary {
  rowsRead: number;
  rowsMissing: number;
  rowsRejected: number;
  rowsDuplicate: number;
  readings: number;
  errors: { line: number; message: string }[];
  warnings: { line?: number; message: string }[];
}

/** Counts a file's events into the import report. */
export class ImportTally implements TallySummary {
  rowsRead = 0;
  rowsMissing = 0;
  rowsRejected = 0;
  rowsDuplicate = 0;
  readings = 0;
  errors: { line: number; message: string }[] = [];
  warnings: { line?: number; message: string }[] = [];

  count(e: ImportEvent): void {
    switch (e.kind) {
      case 'reading':
        this.rowsRead++;
        this.readings++;
        break;
      case 'missing':
        this.rowsRead++;
        this.rowsMissing++;
        break;
      case 'duplicate':
        this.rowsRead++;
        this.rowsDuplicate++;
        break;
      case 'error':
        this.rowsRead++;
        this.rowsRejected++;
        if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e.error);
        break;
      case 'warning':
        if (this.warnings.length < MAX_REPORTED_ERRORS)
          this.warnings.push({ line: e.line, message: e.message });
        break;
    }
  }

  summary(): TallySummary {
    const { rowsRead, rowsMissing, rowsRejected, rowsDuplicate, readings, errors, warnings } = this;
    return { rowsRead, rowsMissing, rowsRejected, rowsDuplicate, readings, errors, warnings };
  }
}

/** PostgreSQL binary COPY framing; timestamps count microseconds from 2000-01-01 UTC. */
export const COPY_HEADER = new Uint8Array([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
export const COPY_TRAILER = new Uint8Array([0xff, 0xff]);
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 4_294_967_296;
const HOUR_MS = 3_600_000;

export function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Sizes of the chunks the encoder hands out (binary COPY bytes; rows of typed columns). */
const CHUNK_BYTES = 256 * 1024;
const CHUNK_ROWS = 4096;

/** int64 microseconds since 2000-01-01 of a UTC ms instant, written big-endian without a BigInt. */
export function writePgTimestamp(view: DataView, offset: number, ms: number): void {
  const micros = (ms - PG_EPOCH_MS) * 1000;
  const hi = Math.floor(micros / TWO_32);
  view.setInt32(offset, hi);
  view.setUint32(offset + 4, micros - hi * TWO_32);
}

class HourAccumulator {
  private hours: number[] = [];
  private sums: number[] = [];
  private counts: number[] = [];
  private cur = Number.NaN;
  private sum = 0;
  private n = 0;
  private sorted = true;

  add(tsMs: number, value: number): void {
    const h = Math.floor(tsMs / HOUR_MS);
    if (h !== this.cur) {
      this.close();
      if (h < this.cur) this.sorted = false;
      this.cur = h;
    }
    this.sum += value;
    this.n++;
  }

  private close(): void {
    if (this.n > 0) {
      this.hours.push(this.cur);
      this.sums.push(this.sum);
      this.counts.push(this.n);
    }
    this.sum = 0;
    this.n = 0;
  }

  result(meterId: string): HourRollups {
    this.close();
    let { hours, sums, counts } = this;
    if (!this.sorted) {
      // rows out of time order: merge the runs of each hour
      const merged = new Map<number, [number, number]>();
      hours.forEach((h, i) => {
        const m = merged.get(h);
        if (m) {
          m[0] += sums[i];
          m[1] += counts[i];
        } else merged.set(h, [sums[i], counts[i]]);
      });
      hours = [...merged.keys()].sort((a, b) => a - b);
      sums = hours.map((h) => merged.get(h)![0]);
      counts = hours.map((h) => merged.get(h)![1]);
    }
    return {
      meterId,
      hourMs: Float64Array.from(hours, (h) => h * HOUR_MS),
      sum: Float64Array.from(sums),
      count: Int32Array.from(counts),
    };
  }
}

export interface EncoderTarget {
  mode: EncodeMode;
  tenantId: string;
  importId: string;
  meterIds: string[];
  /** accumulate hour rollups (a meter's first import of interval data) */
  hourRollups: boolean;
}

export class ReadingEncoder {
  readonly tally = new ImportTally();
  readonly ranges = new Map<string, MeterRange>();
  private readonly meterIndex = new Map<string, number>();
  private readonly meterBytes: Uint8Array[];
  private readonly tenantBytes: Uint8Array;
  private readonly importBytes: Uint8Array;
  private readonly hours = new Map<string, HourAccumulator>();
  private readonly fields: number;
  private readonly rowBytes: number;
  private ready: ReadingChunk[] = [];
  private headerSent = false;
  private bufHasHeader = false;
  // current binary buffer
  private buf: Uint8Array | null = null;
  private view: DataView | null = null;
  private offset = 0;
  private rows = 0;
  // current columns
  private cols: ReadingColumns | null = null;
  private capacity = 0;

  constructor(private readonly target: EncoderTarget) {
    target.meterIds.forEach((id, i) => this.meterIndex.set(id, i));
    this.meterBytes = target.meterIds.map(uuidBytes);
    this.tenantBytes = uuidBytes(target.tenantId);
    this.importBytes = uuidBytes(target.importId);
    this.fields = target.mode === 'copy-direct' ? 7 : 5;
    // field count + per field a length word; uuids 16, timestamps and float 8, int2 2
    this.rowBytes = 2 + this.fields * 4 + 16 * (this.fields === 7 ? 3 : 1) + 8 * 3 + 2;
  }

  /** Count a batch of one meter's events and encode its readings. */
  take(events: readonly ImportEvent[], meterId: string): void {
    const meter = this.meterIndex.get(meterId);
    if (meter === undefined) throw new Error(`meter ${meterId} is not one of this import's meters`);
    let range = this.ranges.get(meterId);
    if (!range) this.ranges.set(meterId, (range = { n: 0, first: Infinity, last: -Infinity }));
    let acc = this.target.hourRollups ? this.hours.get(meterId) : undefined;
    if (this.target.hourRollups && !acc) this.hours.set(meterId, (acc = new HourAccumulator()));
    this.reserve(events.length);
    for (let e of events) {
      // the last guard before storage: the validators refuse non-finite values, nothing may slip past
      if (e.kind === 'reading' && !Number.isFinite(e.reading.value)) {
        e = {
          kind: 'error',
          error: {
            line: e.reading.line,
            message: `line ${e.reading.line}: the value ${e.reading.value} is not a finite number`,
          },
        };
      }
      this.tally.count(e);
      if (e.kind !== 'reading') continue;
      const r = e.reading;
      const ts = r.ts.getTime();
      const end = r.periodEnd ? r.periodEnd.getTime() : Number.NaN;
      range.n++;
      if (ts < range.first) range.first = ts;
      const last = end === end ? end : ts;
      if (last > range.last) range.last = last;
      if (acc) {
        if (end === end) throw new Error('hour rollups are for interval readings, not bill periods');
        acc.add(ts, r.value);
      }
      this.append(meter, ts, r.value, end, QUALITY_CODES[r.quality]);
    }
  }

  /**
   * Only the chunks already full (about CHUNK_BYTES each): a streaming caller hands these out as it
   * goes, so a thread message carries thousands of rows however small the parser's batches, and
   * calls drain() at the end for the rest.
   */
  drainFull(): ReadingChunk[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Every encoded reading not yet handed out. */
  drain(): ReadingChunk[] {
    this.seal();
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** The COPY trailer (binary modes): the last bytes of the stream, with the header if no row came. */
  trailer(): Uint8Array | null {
    if (this.target.mode === 'columns') return null;
    if (this.headerSent) return COPY_TRAILER;
    const out = new Uint8Array(COPY_HEADER.length + COPY_TRAILER.length);
    out.set(COPY_HEADER, 0);
    out.set(COPY_TRAILER, COPY_HEADER.length);
    this.headerSent = true;
    return out;
  }

  hourRollups(): HourRollups[] {
    return [...this.hours.entries()].map(([meterId, acc]) => acc.result(meterId));
  }

  private reserve(n: number): void {
    if (this.target.mode === 'columns') {
      if (this.cols && this.rows + n <= this.capacity) return;
      this.seal();
      this.capacity = Math.max(n, CHUNK_ROWS);
      this.cols = {
        meter: new Uint16Array(this.capacity),
        ts: new Float64Array(this.capacity),
        value: new Float64Array(this.capacity),
        periodEnd: new Float64Array(this.capacity),
        quality: new Uint8Array(this.capacity),
      };
      return;
    }
    const need = n * this.rowBytes + (this.headerSent ? 0 : COPY_HEADER.length);
    if (this.buf && this.offset + need <= this.buf.length) return;
    this.seal();
    this.buf = new Uint8Array(Math.max(need, CHUNK_BYTES));
    this.view = new DataView(this.buf.buffer);
    this.offset = 0;
    if (!this.headerSent) {
      this.buf.set(COPY_HEADER, 0);
      this.offset = COPY_HEADER.length;
      this.headerSent = true;
      this.bufHasHeader = true;
    }
  }

  private seal(): void {
    if (this.target.mode === 'columns') {
      if (this.cols && this.rows > 0) {
        const c = this.cols;
        const n = this.rows;
        this.ready.push({
          rows: n,
          columns: {
            meter: c.meter.slice(0, n),
            ts: c.ts.slice(0, n),
            value: c.value.slice(0, n),
            periodEnd: c.periodEnd.slice(0, n),
            quality: c.quality.slice(0, n),
          },
        });
      }
      this.cols = null;
      this.rows = 0;
      return;
    }
    if (this.buf && this.rows > 0)
      this.ready.push({ rows: this.rows, bytes: this.buf.subarray(0, this.offset) });
    else if (this.bufHasHeader) this.headerSent = false; // the header goes out with the first row
    this.bufHasHeader = false;
    this.buf = null;
    this.view = null;
    this.offset = 0;
    this.rows = 0;
  }

  private append(meter: number, ts: number, value: number, end: number, quality: number): void {
    if (this.target.mode === 'columns') {
      const c = this.cols!;
      const i = this.rows++;
      c.meter[i] = meter;
      c.ts[i] = ts;
      c.value[i] = value;
      c.periodEnd[i] = end;
      c.quality[i] = quality;
      return;
    }
    const buf = this.buf!;
    const v = this.view!;
    let o = this.offset;
    v.setInt16(o, this.fields);
    o += 2;
    if (this.fields === 7) {
      v.setInt32(o, 16);
      buf.set(this.tenantBytes, o + 4);
      o += 20;
    }
    v.setInt32(o, 16);
    buf.set(this.meterBytes[meter], o + 4);
    o += 20;
    v.setInt32(o, 8);
    writePgTimestamp(v, o + 4, ts);
    o += 12;
    v.setInt32(o, 8);
    v.setFloat64(o + 4, value);
    o += 12;
    if (end === end) {
      v.setInt32(o, 8);
      writePgTimestamp(v, o + 4, end);
      o += 12;
    } else {
      v.setInt32(o, -1);
      o += 4;
    }
    v.setInt32(o, 2);
    v.setInt16(o + 4, quality);
    o += 6;
    if (this.fields === 7) {
      v.setInt32(o, 16);
      buf.set(this.importBytes, o + 4);
      o += 20;
    }
    this.offset = o;
    this.rows++;
  }
}
