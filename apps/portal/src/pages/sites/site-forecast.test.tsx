// The site page's net-load forecast: the chart option, the meters' breakdown and the API's 422 in words.
import { describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import { mockFetch, renderPage } from '../../test/render';
import { SiteForecastCard } from './SiteForecastCard';
import { netLoadChartOption } from './net-load-chart';

const URL = '/api/v1/orgs/org-1/sites/site-1/forecast';
const point = (ts: string, p10: number, p50: number, p90: number, pvKwh = 0) => ({
  ts,
  p10,
  p50,
  p90,
  loadKwh: p50 + pvKwh,
  pvKwh,
  windKwh: 0,
});

describe('net-load chart', () => {
  it('draws the band from P10 to P90 (stacked), the P50 line, the load, and generation only when there is some', () => {
    const points = [point('2024-06-01T10:00:00Z', 2, 5, 9, 3), point('2024-06-01T11:00:00Z', -4, -1, 1, 8)];
    const o = netLoadChartOption(points, 'UTC') as { series: { name: string; data: [number, number][] }[] };
    const byName = Object.fromEntries(o.series.map((s) => [s.name, s.data.map((d) => d[1])]));
    expect(byName['P10']).toEqual([2, -4]);
    expect(byName['P10–P90 band']).toEqual([7, 5]);
    expect(byName['Net load (P50)']).toEqual([5, -1]);
    expect(byName['Load (P50)']).toEqual([8, 7]);
    expect(byName['PV + wind (P50)']).toEqual([3, 8]);
    const night = netLoadChartOption([point('2024-06-01T00:00:00Z', 2, 5, 9)], 'UTC') as {
      series: { name: string }[];
    };
    expect(night.series.map((s) => s.name)).not.toContain('PV + wind (P50)');
  });
});

describe('SiteForecastCard', () => {
  /** Renders the card of site-1 (a stand-in chart) with the forecast route answering `answer`. */
  const renderCard = (answer: { status: number; body: unknown }) => {
    mockFetch((r) => (r.url.startsWith(URL) ? answer : undefined));
    renderPage(
      <SiteForecastCard
        orgId="org-1"
        siteId="site-1"
        timeZone="UTC"
        chart={() => <div data-testid="chart" />}
      />,
    );
  };

  it('lists each meter with the method that forecast it, and the ones left out with why', async () => {
    renderCard({
      status: 200,
      body: {
        siteId: 'site-1',
        unit: 'kWh',
        from: '2024-06-01T00:00:00Z',
        to: '2024-06-03T00:00:00Z',
        method: 'sum',
        incompleteHours: 0,
        points: [point('2024-06-01T00:00:00Z', 10, 12, 15), point('2024-06-01T01:00:00Z', 9, 11.4, 13)],
        components: [
          {
            meterId: 'm1',
            meterName: 'Main',
            kind: 'electricity_import',
            role: 'load',
            included: true,
            method: 'baseline',
            baseline: 'hourOfWeekTemperature',
            reason:
              'no trained model yet (train one with POST …/models): the hour-of-week regression baseline',
            totalKwh: 812.4,
          },
          {
            meterId: 'm2',
            meterName: 'Roof PV',
            kind: 'pv_generation',
            role: 'pv',
            included: true,
            method: 'generic',
            reason: 'generic PV model on the site irradiance',
            totalKwh: 40.2,
          },
          {
            meterId: 'm3',
            meterName: 'Export',
            kind: 'electricity_export',
            role: null,
            included: false,
            reason: 'an export meter measures what the generation leaves after the site’s own use',
          },
        ],
      },
    });
    const rows = await screen.findAllByTestId('site-forecast-component');
    expect(screen.getByTestId('chart')).toBeTruthy();
    expect(screen.getByTestId('site-forecast-total').textContent).toBe('23 kWh'); // 12 + 11.4
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(
        /^Mainloadbaseline812No trained model yet: the hour-of-week regression baseline\.$/,
      ),
      expect.stringMatching(/^Roof PVPVgeneric model40Generic PV model on the site irradiance\.$/),
      expect.stringMatching(/^Export–left out–An export meter measures/),
    ]);
  });

  it('shows the API’s reason when the site has nothing to forecast, without the request example meant for API users', async () => {
    renderCard({
      status: 422,
      body: {
        status: 422,
        title: 'Unprocessable Entity',
        detail:
          'Site Depot has no electricity import meter that can be forecast: add one with hourly or finer readings (POST /api/v1/orgs/{orgId}/meters {"siteId": "site-1", "kind": "electricity_import", "intervalMinutes": 60, …}, then import its readings). Its meters: Roof PV (pv_generation): generation, subtracted from the load: the site needs an import meter too.',
      },
    });
    const shown = await screen.findByText(/has no electricity import meter that can be forecast/);
    expect(shown.textContent).toBe(
      'Site Depot has no electricity import meter that can be forecast: add one with hourly or finer readings. Its meters: Roof PV (pv_generation): generation, subtracted from the load: the site needs an import meter too.',
    );
  });
});
