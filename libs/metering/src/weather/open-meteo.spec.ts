import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMeteoClient, WeatherSourceError, openMeteoArchiveUrl, parseOpenMeteoHourly } from './open-meteo';
import { ConfigError, loadConfig } from '@halve/platform';

const FIXTURES = join(__dirname, '../../../../test/fixtures/weather');
const PHOENIX = readFileSync(join(FIXTURES, 'open-meteo-archive-phoenix-2015-03-03_05.json'), 'utf8');
const ERROR_400 = readFileSync(join(FIXTURES, 'open-meteo-archive-error-400.json'), 'utf8');

/** A local server answering like the archive API with the committed responses; it records the requests. */
async function replay(
  routes: (url: URL) => { status: number; body: string },
): Promise<{ base: string; requests: URL[]; close(): Promise<void> }> {
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const { status, body } = routes(url);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/v1/archive`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('Open-Meteo archive client', () => {
  it('asks for whole UTC days of temperature_2m in GMT at the rounded coordinates', () => {
    const url = new URL(
      openMeteoArchiveUrl({
        latitude: 33.450001,
        longitude: -112.07,
        from: new Date('2015-03-03T00:00:00Z'),
        to: new Date('2015-03-06T00:00:00Z'),
      }),
    );
    expect(url.origin + url.pathname).toBe('https://archive-api.open-meteo.com/v1/archive');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      latitude: '33.4500',
      longitude: '-112.0700',
      start_date: '2015-03-03',
      end_date: '2015-03-05', // the last hour wanted is 03-05 23:00: end_date is inclusive
      hourly: 'temperature_2m',
      timezone: 'GMT',
    });
    expect(() =>
      openMeteoArchiveUrl({ latitude: 95, longitude: 0, from: new Date(0), to: new Date(3_600_000) }),
    ).toThrow(RangeError);
  });

  it('reads a response: 72 hours, UTC hour starts, °C values as sent', async () => {
    const server = await replay(() => ({ status: 200, body: PHOENIX }));
    try {
      const client = new OpenMeteoClient({ baseUrl: server.base });
      const points = await client.hourlyTemperatures({
        latitude: 33.45,
        longitude: -112.07,
        from: new Date('2015-03-03T00:00:00Z'),
        to: new Date('2015-03-06T00:00:00Z'),
      });
      expect(points).toHaveLength(72);
      // first values of the fixture: 13.3, 12.2, 11.7 °C at 00:00, 01:00, 02:00 UTC on 3 March 2015
      expect(points.slice(0, 3)).toEqual([
        { ts: new Date('2015-03-03T00:00:00Z'), temperatureC: 13.3 },
        { ts: new Date('2015-03-03T01:00:00Z'), temperatureC: 12.2 },
        { ts: new Date('2015-03-03T02:00:00Z'), temperatureC: 11.7 },
      ]);
      expect(points[71].ts).toEqual(new Date('2015-03-05T23:00:00Z'));
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].searchParams.get('hourly')).toBe('temperature_2m');
      // hours outside [from, to) are dropped
      const part = await client.hourlyTemperatures({
        latitude: 33.45,
        longitude: -112.07,
        from: new Date('2015-03-04T12:00:00Z'),
        to: new Date('2015-03-04T15:00:00Z'),
      });
      expect(part.map((p) => p.ts.toISOString())).toEqual([
        '2015-03-04T12:00:00.000Z',
        '2015-03-04T13:00:00.000Z',
        '2015-03-04T14:00:00.000Z',
      ]);
    } finally {
      await server.close();
    }
  });

  it('turns a refusal, a dead server and a wrong body into WeatherSourceError with a reason', async () => {
    const server = await replay((url) =>
      url.searchParams.get('latitude') === '1.0000'
        ? { status: 200, body: '{"hourly":{"time":["2015-03-03T00:00"],"temperature_2m":[]}}' }
        : { status: 400, body: ERROR_400 },
    );
    try {
      const client = new OpenMeteoClient({ baseUrl: server.base });
      const req = {
        latitude: 33.45,
        longitude: -112.07,
        from: new Date('1930-01-01T00:00:00Z'),
        to: new Date('1930-01-02T00:00:00Z'),
      };
      await expect(client.hourlyTemperatures(req)).rejects.toMatchObject({
        code: 'HTTP_ERROR',
        message: expect.stringMatching(/HTTP 400: Parameter 'start_date' is out of allowed range/),
      });
      await expect(client.hourlyTemperatures({ ...req, latitude: 1 })).rejects.toMatchObject({
        code: 'BAD_RESPONSE',
        message: expect.stringMatching(/1 times but 0 temperatures/),
      });
    } finally {
      await server.close();
    }
    const dead = new OpenMeteoClient({ baseUrl: server.base, timeoutMs: 2000 });
    await expect(
      dead.hourlyTemperatures({ latitude: 0, longitude: 0, from: new Date(0), to: new Date(3_600_000) }),
    ).rejects.toBeInstanceOf(WeatherSourceError);
    expect(() =>
      parseOpenMeteoHourly({
        hourly_units: { temperature_2m: '°F' },
        hourly: { time: [], temperature_2m: [] },
      }),
    ).toThrow(/°F, not °C/);
    expect(() =>
      parseOpenMeteoHourly({ hourly: { time: ['2015-03-03T00:00'], temperature_2m: [999] } }),
    ).toThrow(/temperature 0 is 999/);
    expect(parseOpenMeteoHourly({ hourly: { time: ['2015-03-03T00:00'], temperature_2m: [null] } })).toEqual([
      { ts: new Date('2015-03-03T00:00:00Z'), temperatureC: null },
    ]);
  });

  it('HALVE_WEATHER_SOURCE (loadConfig): off by default, open-meteo when set, anything else stops the start naming the variable', () => {
    const base = { HALVE_DATA_DIR: 'memory://' };
    const off = loadConfig(base);
    expect([off.weatherSource, off.weatherSourceUrl]).toEqual(['off', null]);
    const on = loadConfig({
      ...base,
      HALVE_WEATHER_SOURCE: 'Open-Meteo',
      HALVE_WEATHER_SOURCE_URL: 'http://mirror/v1/archive',
    });
    expect([on.weatherSource, on.weatherSourceUrl]).toEqual(['open-meteo', 'http://mirror/v1/archive']);
    expect(() => loadConfig({ ...base, HALVE_WEATHER_SOURCE: 'noaa' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HALVE_WEATHER_SOURCE: 'noaa' })).toThrow(
      'Invalid configuration: HALVE_WEATHER_SOURCE must be one of off, open-meteo, got "noaa"',
    );
    expect(() => loadConfig({ ...base, HALVE_WEATHER_SOURCE_URL: 'mirror/v1/archive' })).toThrow(
      'Invalid configuration: HALVE_WEATHER_SOURCE_URL is not a URL: "mirror/v1/archive"',
    );
    expect(() => loadConfig({ ...base, HALVE_WEATHER_SOURCE_URL: 'ftp://mirror/v1/archive' })).toThrow(
      'Invalid configuration: HALVE_WEATHER_SOURCE_URL must start with http:// or https://, got "ftp://"',
    );
  });
});
