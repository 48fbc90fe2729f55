/**
 * Numbers in meter files: `12.5`, `-3`, `1e3`, decimal comma `12,5` (when the file uses it),
 * thousands separators `1.234,5` / `1,234.5` only in their strict form. Empty cells and the
 * usual "no data" markers are missing values (gaps), not errors.
 */
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const THOUSANDS_DOT = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$/;
const THOUSANDS_COMMA = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '--', '#n/a', 'nil', '?']);

/** Parse a value. Returns a number, null for a missing value, or NaN when it is not a number. */
export function parseValue(raw: string, decimalComma: boolean): number | null {
  let s = raw;
  // fast path: plain numbers without surrounding spaces
  if (!decimalComma && PLAIN.test(s)) return +s;
  s = s.trim();
  if (s.length === 0 || MISSING.has(s.toLowerCase())) return null;
  if (decimalComma) {
    if (s.indexOf('.') !== -1) {
      if (!THOUSANDS_DOT.test(s)) return Number.NaN;
      s = s.replace(/\./g, '');
    }
    s = s.replace(',', '.');
  } else if (s.indexOf(',') !== -1) {
    if (!THOUSANDS_COMMA.test(s)) return Number.NaN;
    s = s.replace(/,/g, '');
  }
  return PLAIN.test(s) ? +s : Number.NaN;
}

/** Does this text look like a decimal-comma number (`12,5`)? */
export function looksDecimalComma(raw: string): boolean {
  return /^\s*[+-]?\d+,\d+\s*$/.test(raw);
}

/** Does this text look like a decimal-point number with a fraction (`12.5`)? */
export function looksDecimalPoint(raw: string): boolean {
  return /^\s*[+-]?\d*\.\d+\s*$/.test(raw);
}
