/**
 * Fast timestamp parsing for meter files. A parsed timestamp is a "wall" time (the written
 * date and time as if UTC, in ms) plus the explicit offset when the text carries one
 * (Z, UTC, +01:00, -0500); local times are placed in the site's zone later.
 *
 * Accepted: ISO 8601 (`2024-03-31T01:30:00+01:00`, `2024-03-31 01:30`, `2024/03/31`),
 * `dd/mm/yyyy hh:mm`, `mm/dd/yyyy hh:mm[:ss] [AM|PM]`, `dd.mm.yyyy hh:mm`, `dd-mm-yyyy`,
 * two-digit years (20yy), and `24:00` (midnight at the end of the day).
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export interface TimestampValue {
  wallMs: number;
  /** minutes east of UTC when written in the text, else null (local time) */
  offsetMinutes: number | null;
}

const YMD =
  /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$/;
const XYY =
  /^\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:(?:T|,?\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]);

/** The family a text belongs to and its first two numbers (to decide dd/mm vs mm/dd), or null. */
export function classifyTimestamp(
  text: string,
): { family: 'ymd' | 'xyy'; a: number; b: number; separator: string } | null {
  let m = YMD.exec(text);
  if (m) return { family: 'ymd', a: +m[2], b: +m[3], separator: '-' };
  m = XYY.exec(text);
  if (m) return { family: 'xyy', a: +m[1], b: +m[3], separator: m[2] };
  return null;
}

export interface DateOrderDecision {
  order: DateOrder | null;
  /** true when the sample could not tell dd/mm from mm/dd and dd/mm was assumed */
  assumed: boolean;
  parsed: number;
}

/**
 * Decide the date order from a sample: year-first → ymd; otherwise a first number > 12
 * means dd/mm, a second number > 12 means mm/dd; dots mean dd.mm; undecidable → dd/mm
 * (assumed, reported as a warning).
 */
export function detectDateOrder(samples: readonly string[]): DateOrderDecision {
  let ymd = 0;
  let xyy = 0;
  let firstOver12 = false;
  let secondOver12 = false;
  let dots = false;
  for (const s of samples) {
    const c = classifyTimestamp(s);
    if (!c) continue;
    if (c.family === 'ymd') ymd++;
    else {
      xyy++;
      if (c.a > 12) firstOver12 = true;
      if (c.b > 12) secondOver12 = true;
      if (c.separator === '.') dots = true;
    }
  }
  if (ymd === 0 && xyy === 0) return { order: null, assumed: false, parsed: 0 };
  if (ymd >= xyy) return { order: 'ymd', assumed: false, parsed: ymd };
  if (firstOver12 && !secondOver12) return { order: 'dmy', assumed: false, parsed: xyy };
  if (secondOver12 && !firstOver12) return { order: 'mdy', assumed: false, parsed: xyy };
  if (dots) return { order: 'dmy', assumed: false, parsed: xyy };
  return { order: 'dmy', assumed: true, parsed: xyy };
}

function parseOffset(text: string): number {
  if (text === 'Z' || text === 'UTC' || text === 'GMT') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const h = +digits.slice(0, 2);
  const mi = digits.length > 2 ? +digits.slice(2, 4) : 0;
  return sign * (h * 60 + mi);
}

/**
 * Parse one timestamp into `out`. Returns null on success or a short reason
 * ('not a date', 'month 13 does not exist', ...) on failure.
 */
export function parseTimestamp(text: string, order: DateOrder, out: TimestampValue): string | null {
  if (order === 'ymd' && fastIsoLocal(text, out)) return null;
  let y: number;
  let mo: number;
  let d: number;
  let m: RegExpExecArray | null;
  let hi: number;
  if (order === 'ymd') {
    m = YMD.exec(text);
    if (!m)
      return XYY.test(text) ? 'is not in the year-first format of the rest of the file' : 'is not a date';
    y = +m[1];
    mo = +m[2];
    d = +m[3];
    hi = 4;
  } else {
    m = XYY.exec(text);
    if (!m)
      return YMD.test(text) ? 'is not in the day/month format of the rest of the file' : 'is not a date';
    const a = +m[1];
    const b = +m[3];
    y = +m[4];
    if (m[4].length === 2) y += 2000;
    if (order === 'dmy') {
      d = a;
      mo = b;
    } else {
      mo = a;
      d = b;
    }
    hi = 5;
  }
  let h = m[hi] === undefined ? 0 : +m[hi];
  const mi = m[hi + 1] === undefined ? 0 : +m[hi + 1];
  const s = m[hi + 2] === undefined ? 0 : +m[hi + 2];
  const frac = m[hi + 3];
  const ampm = m[hi + 4];
  const zone = m[hi + 5];
  if (mo < 1 || mo > 12)
    return `has month ${mo}, which does not exist${order === 'ymd' ? '' : ` (read as ${order === 'dmy' ? 'dd/mm' : 'mm/dd'}/yyyy)`}`;
  if (d < 1 || d > daysIn(y, mo)) return `has day ${d}, which does not exist in month ${mo} of ${y}`;
  if (ampm !== undefined) {
    if (h < 1 || h > 12) return `has hour ${h} with ${ampm}`;
    const pm = ampm[0] === 'p' || ampm[0] === 'P';
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  if (h > 24 || (h === 24 && (mi !== 0 || s !== 0)) || mi > 59 || s > 59)
    return 'has a time of day that does not exist';
  let ms = 0;
  if (frac !== undefined) ms = Math.round(+`0.${frac}` * 1000);
  out.wallMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  out.offsetMinutes = zone === undefined ? null : parseOffset(zone);
  return null;
}

/** Excel serial day number (1900 date system) → wall ms. */
export function excelSerialToWallMs(serial: number): number {
  return Math.round((serial - 25569) * 86_400_000);
}

/** ISO-like text of a wall time, for messages: '2024-03-31 01:30'. */
export function formatWall(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return iso.endsWith(':00.000Z')
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
    : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
};

/**
 * The common case without a regular expression: `yyyy-mm-dd hh:mm` or `yyyy-mm-ddThh:mm:ss`
 * (local time, no offset, nothing around it). Returns false for anything else, and for any
 * field out of range, so that the full parser gives the precise reason.
 */
function fastIsoLocal(text: string, out: TimestampValue): boolean {
  const n = text.length;
  if (n !== 16 && n !== 19) return false;
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    text.charCodeAt(13) !== 58
  )
    return false;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  const h = digit(text, 11) * 10 + digit(text, 12);
  const mi = digit(text, 14) * 10 + digit(text, 15);
  let s = 0;
  if (n === 19) {
    if (text.charCodeAt(16) !== 58) return false;
    s = digit(text, 17) * 10 + digit(text, 18);
  }
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > daysIn(y, mo) ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    s < 0 ||
    s > 59
  )
    return false;
  out.wallMs = Date.UTC(y, mo - 1, d, h, mi, s);
  out.offsetMinutes = null;
  return true;
}
