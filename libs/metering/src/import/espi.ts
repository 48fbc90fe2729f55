/**
 * ESPI (Green Button) codes and helpers, from the ESPI usage.xsd (DOMAIN.md §6):
 * unit-of-measure codes, flow directions, service kinds, reading qualities, cost scale,
 * and the LocalTimeParameters DST rules (32-bit: bits 0–11 seconds, 12–16 hour,
 * 17–19 weekday (1 = Monday), 20–24 day of month, 25–27 operator, 28–31 month).
 */

/** uom code → unit spelling understood by units.ts (null: not an energy/volume/power unit). */
export const ESPI_UOM: Readonly<Record<number, string>> = {
  72: 'Wh',
  169: 'therm',
  42: 'm3',
  119: 'ft3',
  120: 'ft3', // compensated cubic feet
  38: 'W',
  132: 'Btu',
};

export const ESPI_FLOW_DIRECTION = { forward: 1, net: 4, reverse: 19, total: 20 } as const;
export const ESPI_SERVICE_KIND = { electricity: 0, gas: 1, water: 2, time: 3, heat: 4 } as const;

/** ESPI cost is in 1/100 000 of the currency. */
export function espiCostToCurrency(cost: number): number {
  return cost / 100_000;
}

/** Mean power (kW) of an interval energy value in Wh over durationSeconds. */
export function meanPowerKw(energyWh: number, durationSeconds: number): number {
  return energyWh / 1000 / (durationSeconds / 3600);
}

/** ESPI start (seconds since 1970-01-01 UTC) → Date. */
export function espiStartToDate(startSeconds: number): Date {
  return new Date(startSeconds * 1000);
}

/** value × 10^powerOfTenMultiplier, dividing for negative powers to keep decimals exact. */
export function applyPowerOfTen(value: number, powerOfTenMultiplier: number): number {
  return powerOfTenMultiplier >= 0 ? value * 10 ** powerOfTenMultiplier : value / 10 ** -powerOfTenMultiplier;
}

/** Readings whose quality code means the value is not a measurement. */
const ESTIMATED_QUALITIES = new Set([7, 8, 9, 12]); // manually edited, estimated (reference day / interpolation), projected

export function qualityFromCodes(codes: readonly number[]): 'measured' | 'estimated' {
  return codes.some((c) => ESTIMATED_QUALITIES.has(c)) ? 'estimated' : 'measured';
}

export interface DstRule {
  /** 1–12 */
  month: number;
  /** 0 fixed day of month; 1 weekday on or after dayOfMonth; 2–6 1st–5th weekday; 7 last weekday */
  operator: number;
  /** 1 = Monday … 7 = Sunday (0 when unused) */
  weekday: number;
  dayOfMonth: number;
  hour: number;
  /** seconds after the hour (minutes × 60 + seconds) */
  seconds: number;
}

export const NO_DST = 0xffffffff;

/** Decode a dstStartRule/dstEndRule (hex string like '360E2000' or a number); null = no DST. */
export function decodeDstRule(rule: string | number): DstRule | null {
  const v = typeof rule === 'number' ? rule >>> 0 : Number.parseInt(rule.replace(/^0x/i, ''), 16) >>> 0;
  if (v === NO_DST || Number.isNaN(v)) return null;
  return {
    seconds: v & 0xfff,
    hour: (v >>> 12) & 0x1f,
    weekday: (v >>> 17) & 0x7,
    dayOfMonth: (v >>> 20) & 0x1f,
    operator: (v >>> 25) & 0x7,
    month: (v >>> 28) & 0xf,
  };
}

/** Encode a rule as ESPI's 8-digit upper-case hex. */
export function encodeDstRule(r: DstRule): string {
  const v =
    ((r.month & 0xf) << 28) |
    ((r.operator & 0x7) << 25) |
    ((r.dayOfMonth & 0x1f) << 20) |
    ((r.weekday & 0x7) << 17) |
    ((r.hour & 0x1f) << 12) |
    (r.seconds & 0xfff);
  return (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** The local date (y, m, d) a rule falls on in a year. */
export function dstRuleDate(r: DstRule, year: number): { year: number; month: number; day: number } {
  const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  const isoWeekday = (day: number): number =>
    ((new Date(Date.UTC(year, r.month - 1, day)).getUTCDay() + 6) % 7) + 1;
  let day: number;
  if (r.operator === 0) day = r.dayOfMonth;
  else if (r.operator === 1) {
    day = r.dayOfMonth;
    while (isoWeekday(day) !== r.weekday) day++;
  } else if (r.operator >= 2 && r.operator <= 6) {
    day = 1;
    while (isoWeekday(day) !== r.weekday) day++;
    day += 7 * (r.operator - 2);
    if (day > daysInMonth) day -= 7; // "5th" = last when the month has only four
  } else {
    day = daysInMonth;
    while (isoWeekday(day) !== r.weekday) day--;
  }
  return { year, month: r.month, day };
}

export interface LocalTimeParameters {
  /** seconds east of UTC, standard time */
  tzOffsetSeconds: number;
  dstOffsetSeconds: number;
  dstStart: DstRule | null;
  dstEnd: DstRule | null;
}

/**
 * The feed's own UTC offset (seconds) at an instant, from its LocalTimeParameters. The start
 * rule's time is read in standard time and the end rule's in daylight time (the US
 * convention; the ESPI text leaves the end rule's time base open — DOMAIN.md §9).
 */
export function feedOffsetSecondsAt(p: LocalTimeParameters, utcMs: number): number {
  if (!p.dstStart || !p.dstEnd || p.dstOffsetSeconds === 0) return p.tzOffsetSeconds;
  const year = new Date(utcMs + p.tzOffsetSeconds * 1000).getUTCFullYear();
  const at = (r: DstRule, offsetS: number): number => {
    const d = dstRuleDate(r, year);
    return Date.UTC(d.year, d.month - 1, d.day, r.hour, 0, r.seconds) - offsetS * 1000;
  };
  const start = at(p.dstStart, p.tzOffsetSeconds);
  const end = at(p.dstEnd, p.tzOffsetSeconds + p.dstOffsetSeconds);
  const inDst = start < end ? utcMs >= start && utcMs < end : utcMs >= start || utcMs < end;
  return p.tzOffsetSeconds + (inDst ? p.dstOffsetSeconds : 0);
}
