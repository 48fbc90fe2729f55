import { BadInputError } from '@halve/platform';
import { MeterEntity, SiteEntity, parseRange } from '@halve/metering';

export const DAY_MS = 86_400_000;
export const MAX_HORIZON_DAYS = 7;

export interface ForecastWindow {
  stepMs: number;
  /** End of the last reading's interval. */
  lastEnd: number;
  /** Start of the first forecast interval (aligned to the meter's interval). */
  fromMs: number;
  toMs: number;
  /** Issue time: `from`, or the end of the data when `from` lies after it. */
  originMs: number;
}

/**
 * The [from, to) of a forecast request (site-local dates allowed; default the day after the data),
 * issued at `from` or at the end of the data, whichever is earlier, reaching at most 7 days past it.
 */
export function forecastWindow(
  meter: MeterEntity,
  site: SiteEntity,
  bounds: { last: Date },
  q: { from?: string; to?: string },
): ForecastWindow {
  const stepMs = (meter.intervalMinutes ?? 60) * 60_000;
  const lastEnd = bounds.last.getTime() + stepMs;
  const range = parseRange(q.from, q.to, site.timezone, {
    from: new Date(lastEnd),
    to: new Date(lastEnd + DAY_MS),
  });
  const fromMs = Math.floor(range.from.getTime() / stepMs) * stepMs;
  const originMs = Math.min(fromMs, lastEnd);
  if (range.to.getTime() - originMs > MAX_HORIZON_DAYS * DAY_MS) {
    throw new BadInputError(
      `A forecast reaches at most ${MAX_HORIZON_DAYS} days past the data (or past "from"); ask for a shorter range.`,
      [{ field: 'to', message: 'beyond 7 days' }],
    );
  }
  return { stepMs, lastEnd, fromMs, toMs: range.to.getTime(), originMs };
}
