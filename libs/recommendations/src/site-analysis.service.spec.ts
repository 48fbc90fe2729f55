import { DateTime } from 'luxon';
import {
  ANOMALY_WINDOW_DAYS,
  analysisWindow,
  gridProfileFor,
  recentLoadForecast,
  tariffOptions,
} from './site-analysis.service';
import { hourlyIrradiance } from './site-analysis-input';
import type { EnergyPoint } from './analysers/types';

describe('site analysis inputs', () => {
  it('window: the 12 months ending with the last local day of data, not "today"', () => {
    const lastDay = DateTime.fromISO('2017-12-31T00:00', { zone: 'Europe/London' }).toJSDate();
    const earlierMeter = DateTime.fromISO('2017-06-30T00:00', { zone: 'Europe/London' }).toJSDate();
    expect(analysisWindow([earlierMeter, lastDay], 'Europe/London')).toEqual({
      from: new Date('2017-01-01T00:00:00Z'),
      to: new Date('2018-01-01T00:00:00Z'),
    });
    // New York: local midnights (EST) in UTC
    const ny = DateTime.fromISO('2015-12-31T00:00', { zone: 'America/New_York' }).toJSDate();
    expect(analysisWindow([ny], 'America/New_York')).toEqual({
      from: new Date('2015-01-01T05:00:00Z'),
      to: new Date('2016-01-01T05:00:00Z'),
    });
    expect(analysisWindow([], 'UTC')).toBeNull();
  });

  it('tariffs: the site’s own first (current), then the organisation’s other distinct tariffs on the same grid, same currency', () => {
    const flat = { type: 'flat' as const, currency: 'GBP', pricePerKwh: 0.25 };
    const tou = {
      type: 'time_of_use' as const,
      currency: 'GBP',
      pricePerKwh: 0.28,
      bands: [{ days: [1, 2, 3, 4, 5, 6, 7], fromHour: 0, toHour: 7, pricePerKwh: 0.15 }],
    };
    const gb = { gridRegion: 'GB', country: 'GB' };
    const site = { id: 'a', name: 'Office', tariff: flat, ...gb };
    const options = tariffOptions(site, [
      site,
      { id: 'b', name: 'Depot', tariff: tou, gridRegion: null, country: 'GB' },
      { id: 'c', name: 'Twin', tariff: { ...flat }, ...gb },
      {
        id: 'd',
        name: 'US plant',
        tariff: { type: 'flat' as const, currency: 'USD', pricePerKwh: 0.1 },
        gridRegion: 'CAMX',
        country: 'US',
      },
      { id: 'e', name: 'No tariff', tariff: null, ...gb },
      {
        id: 'f',
        name: 'Belfast (another grid)',
        tariff: { ...tou, pricePerKwh: 0.2 },
        gridRegion: 'GB-NIR',
        country: 'GB',
      },
    ]);
    expect(options.map((o) => [o.id, o.current ?? false])).toEqual([
      ['site:a', true],
      ['site:b', false],
    ]);
    expect(tariffOptions({ id: 'x', name: 'x', tariff: null, ...gb }, [site])).toEqual([]);
  });

  it('grid profiles: an eGRID subregion finds the balancing authority that covers it, nearest year; GB has none shipped', () => {
    expect(gridProfileFor('CAMX', 2016)).toEqual(expect.objectContaining({ region: 'US-CISO', year: 2022 }));
    expect(gridProfileFor('US-PJM', 2022)).toEqual(expect.objectContaining({ region: 'US-PJM', year: 2022 }));
    // the shipped EIA-930 profiles are average (life-cycle) intensity: load shifting labels its CO2 so
    expect(gridProfileFor('CAMX', 2022)?.basis).toBe('average');
    expect(gridProfileFor('RFCE', 2023)?.region).toBe('US-PJM');
    expect(gridProfileFor('GB', 2017)).toBeNull();
  });

  it('anomaly forecast: fitted on the months before, P50/P90 over the last four weeks; a flat load is forecast flat', () => {
    const start = Date.UTC(2017, 0, 2);
    const readings: EnergyPoint[] = [];
    for (let h = 0; h < 24 * 7 * 20; h++)
      readings.push({
        ts: new Date(start + h * 3_600_000),
        energyKwh: 10 + (h % 24 >= 8 && h % 24 < 18 ? 5 : 0),
      });
    const f = recentLoadForecast({ id: 'm', intervalMinutes: 60, readings }, [], 'UTC', 'GB')!;
    expect(f.points).toHaveLength(ANOMALY_WINDOW_DAYS * 24);
    expect(f.points[0].ts.getTime()).toBe(start + (24 * 7 * 20 - ANOMALY_WINDOW_DAYS * 24) * 3_600_000);
    for (const p of f.points) {
      const hour = p.ts.getUTCHours();
      expect(p.p50Kwh).toBeCloseTo(10 + (hour >= 8 && hour < 18 ? 5 : 0), 4); // least squares with a tiny ridge
      expect(p.p90Kwh).toBeGreaterThanOrEqual(p.p50Kwh - 1e-9);
    }
    // under eight weeks of history before the window: no forecast
    expect(
      recentLoadForecast(
        { id: 'm', intervalMinutes: 60, readings: readings.slice(0, 24 * 7 * 10) },
        [],
        'UTC',
        'GB',
      ),
    ).toBeNull();
    // daily meters are not forecast hourly
    expect(recentLoadForecast({ id: 'm', intervalMinutes: 1440, readings }, [], 'UTC', 'GB')).toBeNull();
  });

  it('irradiance: hourly means of the rows with GHI (half-hourly rows → the mean of the hour’s two), sorted', () => {
    const row = (iso: string, ghi: number | null) => ({ ts: new Date(iso), ghiWM2: ghi });
    expect(
      hourlyIrradiance([
        row('2017-06-01T13:00:00Z', 800),
        row('2017-06-01T12:30:00Z', 600),
        row('2017-06-01T12:00:00Z', 500),
        row('2017-06-01T13:30:00Z', null),
        row('2017-06-01T14:00:00Z', Number.NaN),
      ]),
    ).toEqual([
      { ts: new Date('2017-06-01T12:00:00Z'), ghiWm2: 550 },
      { ts: new Date('2017-06-01T13:00:00Z'), ghiWm2: 800 },
    ]);
    expect(hourlyIrradiance([])).toEqual([]);
  });
});
