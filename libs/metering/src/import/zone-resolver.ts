import { IANAZone } from 'luxon';

/**
 * Local wall-clock time → UTC in an IANA zone, with the clock-change cases made explicit.
 *
 * A "wall" time is the local date and time written as if it were UTC milliseconds
 * (Date.UTC(y, m - 1, d, h, mi)). Offsets are luxon's (minutes east of UTC). Results are
 * cached per local day: on a day whose offset is the same on both sides, every time is a
 * subtraction; only the few days around a clock change take the slow path.
 */
export type LocalResolution =
  | { kind: 'ok'; utcMs: number; offsetMinutes: number }
  /** the local time does not exist (spring-forward gap) */
  | { kind: 'gap' }
  /** the local time happens twice (autumn repeat): earlier is in the first (daylight) offset */
  | { kind: 'ambiguous'; earlierUtcMs: number; laterUtcMs: number };

export interface ZoneResolver {
  readonly zone: string;
  resolve(wallMs: number): LocalResolution;
  /** offset (minutes) of the zone at a UTC instant */
  offsetMinutesAt(utcMs: number): number;
  /** UTC → wall time in the zone */
  toWall(utcMs: number): number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** zones that never change their offset */
const FIXED_ZONES = /^(?:Etc\/)?(?:UTC|UCT|GMT|GMT0|Zulu|Universal|Greenwich)$|^Etc\/GMT[+-]\d{1,2}$/;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The UTC offset (minutes) of `z` at a UTC instant; `fixed`: the zone's one offset, when it has no clock changes. */
function createOffsetAt(z: IANAZone, fixed: number | null): (utcMs: number) => number {
  // Zones without clock changes have one offset. Otherwise luxon (Intl, ≈ 10 µs a call) is asked
  // once per UTC midnight; a UTC day whose two midnights agree has that offset throughout (no zone
  // changes its clocks twice in a day), and in a day whose midnights differ the moment of the
  // change is found once by bisection to the minute.
  const midnightOffsets = new Map<number, number>();
  const changes = new Map<number, number>();
  const atMidnight = (day: number): number => {
    let o = midnightOffsets.get(day);
    if (o === undefined) {
      o = z.offset(day * DAY_MS);
      if (midnightOffsets.size > 100_000) midnightOffsets.clear();
      midnightOffsets.set(day, o);
    }
    return o;
  };
  return (utcMs: number): number => {
    if (fixed !== null) return fixed;
    const day = Math.floor(utcMs / DAY_MS);
    const before = atMidnight(day);
    const after = atMidnight(day + 1);
    if (before === after) return before;
    let change = changes.get(day);
    if (change === undefined) {
      let lo = day * DAY_MS; // offset `before`
      let hi = lo + DAY_MS; // offset `after`
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (z.offset(mid) === before) lo = mid;
        else hi = mid;
      }
      change = hi;
      changes.set(day, change);
    }
    return utcMs < change ? before : after;
  };
}

export function createZoneResolver(zone: string): ZoneResolver {
  if (!IANAZone.isValidZone(zone)) throw new Error(`"${zone}" is not an IANA time zone`);
  const z = IANAZone.create(zone);
  // day number → uniform offset (minutes), or NaN for a day near a clock change
  const dayCache = new Map<number, number>();
  const utcDayCache = new Map<number, number>();
  const offsetAt = createOffsetAt(z, FIXED_ZONES.test(zone) ? z.offset(0) : null);

  const uniformOffset = (day: number): number => {
    let cached = dayCache.get(day);
    if (cached === undefined) {
      const start = day * DAY_MS;
      const before = offsetAt(start - DAY_MS);
      const after = offsetAt(start + 2 * DAY_MS);
      cached = before === after ? before : Number.NaN;
      if (dayCache.size > 50_000) dayCache.clear();
      dayCache.set(day, cached);
    }
    return cached;
  };

  const slowResolve = (wallMs: number): LocalResolution => {
    const candidates = new Set([offsetAt(wallMs - DAY_MS), offsetAt(wallMs + DAY_MS), offsetAt(wallMs)]);
    const valid: { utcMs: number; offsetMinutes: number }[] = [];
    for (const o of candidates) {
      const utcMs = wallMs - o * MINUTE_MS;
      if (offsetAt(utcMs) === o) valid.push({ utcMs, offsetMinutes: o });
    }
    if (valid.length === 0) return { kind: 'gap' };
    if (valid.length === 1) return { kind: 'ok', ...valid[0] };
    valid.sort((a, b) => a.utcMs - b.utcMs);
    return { kind: 'ambiguous', earlierUtcMs: valid[0].utcMs, laterUtcMs: valid[valid.length - 1].utcMs };
  };

  return {
    zone,
    offsetMinutesAt: offsetAt,
    resolve(wallMs: number): LocalResolution {
      const o = uniformOffset(Math.floor(wallMs / DAY_MS));
      if (!Number.isNaN(o)) return { kind: 'ok', utcMs: wallMs - o * MINUTE_MS, offsetMinutes: o };
      return slowResolve(wallMs);
    },
    toWall(utcMs: number): number {
      // a UTC day whose offset is the same a day before and after is uniform
      const day = Math.floor(utcMs / DAY_MS);
      let o = utcDayCache.get(day);
      if (o === undefined) {
        const before = offsetAt(day * DAY_MS - DAY_MS);
        const after = offsetAt(day * DAY_MS + 2 * DAY_MS);
        o = before === after ? before : Number.NaN;
        if (utcDayCache.size > 50_000) utcDayCache.clear();
        utcDayCache.set(day, o);
      }
      if (Number.isNaN(o)) o = offsetAt(utcMs);
      return utcMs + o * MINUTE_MS;
    },
  };
}
