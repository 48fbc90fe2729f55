// Number, unit and date formatting, in the British English the rest of Halve uses.

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return nf(digits).format(value);
}

/** kg CO2e shown as t when large. */
export function co2(kg: number | null | undefined): string {
  if (kg === null || kg === undefined || Number.isNaN(kg)) return '–';
  if (Math.abs(kg) >= 10_000) return `${num(kg / 1000, 1)} t CO₂e`;
  return `${num(kg, kg < 10 ? 2 : 0)} kg CO₂e`;
}

export function kwh(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (Math.abs(value) >= 1_000_000) return `${num(value / 1_000_000, 2)} GWh`;
  if (Math.abs(value) >= 10_000) return `${num(value / 1000, 1)} MWh`;
  return `${num(value, 1)} kWh`;
}

export function money(value: number | null | undefined, currency = 'GBP'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      value,
    );
  } catch {
    return `${num(value)} ${currency}`;
  }
}

export function pct(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '–';
  return `${num(fraction * 100, digits)} %`;
}

export function date(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(d);
}

export function dateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(d);
}

export function humanize(code: string | null | undefined): string {
  if (!code) return '';
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** YYYY-MM-DD of a Date in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/** The parts of a UTC instant in a time zone (for heat-maps and month buckets). */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
export function zonedParts(
  iso: string,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; weekday: number; dayKey: string } {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    zoneFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  const year = Number(get('year'));
  const month = Number(get('month'));
  const day = Number(get('day'));
  return {
    year,
    month,
    day,
    hour: Number(get('hour')) % 24,
    weekday,
    dayKey: `${get('year')}-${get('month')}-${get('day')}`,
  };
}

/**
 * Text for an HTML string (an ECharts tooltip formatter's return is HTML): a meter's or site's name is typed by
 * users, so `<`, `&` and quotes in it must show as text, never become markup.
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
