/**
 * Remembers which timestamps a file has produced (and with which value and line), in
 * bounded memory: interval data sit on a grid, so a timestamp maps to a slot
 * floor(ts / interval) in 4096-slot pages (20 bytes a slot, allocated only where the
 * file has data: ≈ 5 MB per million rows). Anything off the grid (bill periods, a zone
 * whose grid shifts) falls back to a Map.
 */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;

interface Page {
  ts: Float64Array;
  value: Float64Array;
  line: Int32Array;
}

export interface SeenEntry {
  value: number;
  line: number;
}

export class TimestampSet {
  private readonly pages = new Map<number, Page>();
  private readonly overflow = new Map<number, SeenEntry>();

  /** slotMs: the grid step (interval length), or null to use the Map only */
  constructor(private readonly slotMs: number | null) {}

  /** The earlier entry for this timestamp, or undefined after recording this one. */
  check(tsMs: number, value: number, line: number): SeenEntry | undefined {
    if (this.slotMs === null || tsMs % 1000 !== 0) return this.checkOverflow(tsMs, value, line);
    const slot = Math.floor(tsMs / this.slotMs);
    const pageNo = Math.floor(slot / PAGE_SIZE);
    const idx = slot - pageNo * PAGE_SIZE;
    let page = this.pages.get(pageNo);
    if (page === undefined) {
      page = {
        ts: new Float64Array(PAGE_SIZE).fill(Number.NaN),
        value: new Float64Array(PAGE_SIZE),
        line: new Int32Array(PAGE_SIZE),
      };
      this.pages.set(pageNo, page);
    }
    const existing = page.ts[idx];
    if (existing !== existing) {
      // NaN: free slot
      page.ts[idx] = tsMs;
      page.value[idx] = value;
      page.line[idx] = line;
      return undefined;
    }
    if (existing === tsMs) return { value: page.value[idx], line: page.line[idx] };
    return this.checkOverflow(tsMs, value, line);
  }

  private checkOverflow(tsMs: number, value: number, line: number): SeenEntry | undefined {
    const e = this.overflow.get(tsMs);
    if (e) return e;
    this.overflow.set(tsMs, { value, line });
    return undefined;
  }
}
