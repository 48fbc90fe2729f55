/**
 * Open-Meteo historical weather (archive) client: hourly 2 m air temperature at a site's
 * coordinates, for M&V when the user has imported no weather (issue 16).
 *
 * API (https://open-meteo.com/en/docs/historical-weather-api): GET
 * `https://archive-api.open-meteo.com/v1/archive?latitude=…&longitude=…&start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&hourly=temperature_2m&timezone=GMT`
 * answers `{latitude, longitude, …, hourly_units: {time: "iso8601", temperature_2m: "°C"},
 * hourly: {time: ["2017-01-01T00:00", …], temperature_2m: [5.3, null, …]}}`; dates are
 * inclusive, times are hour starts in the requested zone (GMT here, so UTC), and a failure
 * answers 400 with `{error: true, reason}`. The archive (ERA5 reanalysis and its successors)
 * lags real time by about 5 days and starts in 1940. Non-commercial use is free without a key;
 * commercial use needs Open-Meteo's paid plan: HALVE_WEATHER_SOURCE stays `off` unless the
 * operator turns it on.
 */

export const OPEN_METEO_ARCHIVE_URL = 'https://archive-api.open-meteo.com/v1/archive';

export interface HourlyTemperature {
  /** start of the hour, UTC */
  ts: Date;
  /** °C; null where the archive has none */
  temperatureC: number | null;
}

export class WeatherSourceError extends Error {
  constructor(
    readonly code: 'UNREACHABLE' | 'HTTP_ERROR' | 'BAD_RESPONSE',
    message: string,
  ) {
    super(message);
  }
}

export interface ArchiveRequest {
  latitude: number;
  longitude: number;
  /** first hour wanted (UTC) */
  from: Date;
  /** exclusive end (UTC) */
  to: Date;
}

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** The archive URL for [from, to): whole UTC days, start_date and end_date inclusive. */
export function openMeteoArchiveUrl(req: ArchiveRequest, base = OPEN_METEO_ARCHIVE_URL): string {
  if (!(Math.abs(req.latitude) <= 90) || !(Math.abs(req.longitude) <= 180))
    throw new RangeError(`coordinates out of range: ${req.latitude}, ${req.longitude}`);
  if (!(req.to > req.from)) throw new RangeError('the range is empty');
  const lastHour = new Date(req.to.getTime() - 3_600_000);
  const url = new URL(base);
  url.searchParams.set('latitude', req.latitude.toFixed(4));
  url.searchParams.set('longitude', req.longitude.toFixed(4));
  url.searchParams.set('start_date', isoDate(req.from));
  url.searchParams.set('end_date', isoDate(lastHour));
  url.searchParams.set('hourly', 'temperature_2m');
  url.searchParams.set('timezone', 'GMT');
  return url.toString();
}

/** Parse an archive response body (see the file comment); refuses anything else with BAD_RESPONSE. */
export function parseOpenMeteoHourly(body: unknown): HourlyTemperature[] {
  const bad = (why: string) =>
    new WeatherSourceError(
      'BAD_RESPONSE',
      `Open-Meteo answered something else than an hourly archive: ${why}`,
    );
  if (typeof body !== 'object' || body === null) throw bad('not a JSON object');
  const b = body as Record<string, unknown>;
  if (b.error === true)
    throw new WeatherSourceError(
      'HTTP_ERROR',
      `Open-Meteo refused the request: ${String(b.reason ?? 'no reason given').slice(0, 200)}`,
    );
  const units = b.hourly_units as Record<string, unknown> | undefined;
  const hourly = b.hourly as Record<string, unknown> | undefined;
  if (!hourly || !Array.isArray(hourly.time) || !Array.isArray(hourly.temperature_2m))
    throw bad('no hourly.time and hourly.temperature_2m arrays');
  if (units && units.temperature_2m !== undefined && units.temperature_2m !== '°C')
    throw bad(`temperature in ${String(units.temperature_2m)}, not °C`);
  if (units && units.time !== undefined && units.time !== 'iso8601')
    throw bad(`times as ${String(units.time)}, not iso8601`);
  if (b.utc_offset_seconds !== undefined && b.utc_offset_seconds !== 0)
    throw bad(`times at UTC offset ${String(b.utc_offset_seconds)} s, not GMT`);
  const times = hourly.time as unknown[];
  const temps = hourly.temperature_2m as unknown[];
  if (times.length !== temps.length) throw bad(`${times.length} times but ${temps.length} temperatures`);
  return times.map((t, i) => {
    if (typeof t !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(t))
      throw bad(`time ${i} is ${JSON.stringify(t)?.slice(0, 40)}`);
    const ts = new Date(`${t}:00Z`);
    if (Number.isNaN(ts.getTime())) throw bad(`time ${i} is ${t}`);
    const v = temps[i];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < -90 || v > 60))
      throw bad(`temperature ${i} is ${JSON.stringify(v)?.slice(0, 40)}`);
    return { ts, temperatureC: v };
  });
}

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface OpenMeteoClientOptions {
  baseUrl?: string;
  /** per request; default 20 s */
  timeoutMs?: number;
  fetch?: FetchLike;
}

/** Fetches hourly temperatures; one request per call (the archive answers years in one response). */
export class OpenMeteoClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: FetchLike;

  constructor(options: OpenMeteoClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? OPEN_METEO_ARCHIVE_URL;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Hourly temperatures in [from, to) (hours outside the range dropped). */
  async hourlyTemperatures(req: ArchiveRequest): Promise<HourlyTemperature[]> {
    const url = openMeteoArchiveUrl(req, this.baseUrl);
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await this.fetchImpl(url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/json' },
      });
    } catch (e) {
      throw new WeatherSourceError(
        'UNREACHABLE',
        `Open-Meteo could not be reached (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new WeatherSourceError(
        res.ok ? 'BAD_RESPONSE' : 'HTTP_ERROR',
        `Open-Meteo answered HTTP ${res.status} without JSON`,
      );
    }
    if (!res.ok) {
      const reason =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).reason : undefined;
      throw new WeatherSourceError(
        'HTTP_ERROR',
        `Open-Meteo answered HTTP ${res.status}${reason ? `: ${String(reason).slice(0, 200)}` : ''}`,
      );
    }
    const from = req.from.getTime();
    const to = req.to.getTime();
    return parseOpenMeteoHourly(body).filter((r) => r.ts.getTime() >= from && r.ts.getTime() < to);
  }
}
