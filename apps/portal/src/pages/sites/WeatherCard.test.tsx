// The site's weather card: what it says of the imported weather, the timestamps setting it saves, and the weather
// upload it sends and follows (fetch and XMLHttpRequest are the network boundary, faked).
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import type { Meter, OrgSummary, Site } from '../../api/types';
import { ORG, mockFetch, renderPage, user } from '../../test/render';
import { FakeXhr, useFakeXhr } from '../../test/fake-xhr';
import type { EChartsCoreOption } from 'echarts/core';
import { WeatherCard } from './WeatherCard';

useFakeXhr();

const site = { id: 'site-1', name: 'Bakery', timezone: 'Europe/London', weatherTimestamps: 'start' } as Site;
const COVERAGE = '/api/v1/orgs/org-1/sites/site-1/weather/coverage';
const empty = {
  siteId: 'site-1',
  rows: 0,
  first: null,
  last: null,
  withValue: { temperatureC: 0, ghiWM2: 0, cloudCoverPct: 0, windSpeedMS: 0 },
};
const imported = {
  siteId: 'site-1',
  rows: 48,
  first: '2025-01-01T00:00:00.000Z',
  last: '2025-01-02T23:00:00.000Z',
  withValue: { temperatureC: 48, ghiWM2: 40, cloudCoverPct: 0, windSpeedMS: 0 },
};
const WEATHER = '/api/v1/orgs/org-1/sites/site-1/weather?';
const recent = {
  siteId: 'site-1',
  points: [
    { ts: '2025-01-02T22:00:00.000Z', temperatureC: 3.5, ghiWM2: 0, cloudCoverPct: null, windSpeedMS: null },
    {
      ts: '2025-01-02T23:00:00.000Z',
      temperatureC: 3.1,
      ghiWM2: null,
      cloudCoverPct: null,
      windSpeedMS: null,
    },
  ],
};
/** Stands in for the page's Chart: the series it would draw, by name and number of points. */
const chart = (option: EChartsCoreOption) => (
  <p data-testid="weather-chart">
    {(option.series as { name: string; data: unknown[] }[])
      .map((s) => `${s.name}: ${s.data.length}`)
      .join('; ')}
  </p>
);

const report = {
  importId: 'imp-7',
  status: 'succeeded',
  rowsRead: 48,
  rowsStored: 48,
  rowsUpdated: 0,
  rowsMissing: 0,
  rowsRejected: 0,
  errors: [],
  firstTs: '2025-01-01T00:00:00.000Z',
  lastTs: '2025-01-02T23:00:00.000Z',
};

describe('WeatherCard', () => {
  it('says when a site has no weather, and shows a viewer the setting without a way to change it or upload', async () => {
    mockFetch((r) => (r.url === COVERAGE ? { status: 200, body: empty } : undefined));
    const viewer = { ...ORG, role: 'viewer' } as OrgSummary;
    renderPage(<WeatherCard site={site} onSiteChanged={jest.fn()} chart={chart} />, { org: viewer });
    expect(await screen.findByText('No weather imported yet.')).toBeTruthy();
    expect((screen.getByLabelText(/timestamps mark/) as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByLabelText('Weather file')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('shows the rows with each value, and saves what the timestamps mean', async () => {
    const { requests } = mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: imported }
        : r.method === 'GET' && r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.method === 'PUT'
            ? { status: 200, body: { ...site, weatherTimestamps: 'instant' } }
            : undefined,
    );
    const onSiteChanged = jest.fn();
    renderPage(<WeatherCard site={site} onSiteChanged={onSiteChanged} chart={chart} />);
    const shown = await screen.findByTestId('weather-coverage');
    expect(shown.textContent).toContain('48 rows from 1 Jan 2025, 00:00 to 2 Jan 2025, 23:00');
    expect(shown.textContent).toContain('Irradiance (GHI)40 rows');
    expect(shown.textContent).toContain('Wind speednone');
    // the last 7 days of rows (to the last one, included), drawn for the columns that have values
    expect((await screen.findByTestId('weather-chart')).textContent).toBe(
      'GHI (W/m²): 1; Temperature (°C): 2',
    );
    expect(requests.find((r) => r.url.startsWith(WEATHER))!.url).toBe(
      `${WEATHER}from=2024-12-26T23%3A00%3A00.000Z&to=2025-01-02T23%3A00%3A01.000Z`,
    );
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet
    await user().selectOptions(screen.getByLabelText(/timestamps mark/), 'instant');
    await user().click(save);
    await waitFor(() => expect(onSiteChanged).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'PUT')).toEqual({
      method: 'PUT',
      url: '/api/v1/orgs/org-1/sites/site-1',
      body: { weatherTimestamps: 'instant' },
    });
    expect(screen.getByRole('status').textContent).toBe('Saved.');
  });

  it('uploads a weather file to the site, follows the import and asks for the coverage again', async () => {
    FakeXhr.answer = { status: 202, body: { importId: 'imp-7', status: 'queued' } };
    let coverage: typeof empty | typeof imported = empty;
    const { requests } = mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: coverage }
        : r.method === 'GET' && r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.url.endsWith('/imports/imp-7')
            ? ((coverage = imported), { status: 200, body: report })
            : undefined,
    );
    renderPage(<WeatherCard site={site} onSiteChanged={jest.fn()} chart={chart} />);
    await screen.findByText('No weather imported yet.');
    const file = new File(['timestamp,temp_air\n2025-01-01T00:00Z,4.5\n'], 'weather.csv', {
      type: 'text/csv',
    });
    await user().upload(screen.getByLabelText('Weather file'), file);
    await user().type(screen.getByLabelText('Time zone of the file'), 'UTC');
    await user().click(screen.getByRole('button', { name: 'Upload weather' }));
    expect(await screen.findByTestId('weather-coverage')).toBeTruthy();
    expect(
      screen.getByText(
        'Weather rows from 1 Jan 2025, 00:00 to 2 Jan 2025, 23:00 (the site’s time, Europe/London).',
      ),
    ).toBeTruthy();
    const [xhr] = FakeXhr.sent;
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/v1/orgs/org-1/sites/site-1/weather']);
    expect(xhr.body!.get('timezone')).toBe('UTC');
    expect((xhr.body!.get('file') as File).name).toBe('weather.csv');
    expect(requests.filter((r) => r.url === COVERAGE)).toHaveLength(2);
  });

  it('deletes the weather of the days chosen (the last one included) after a confirmation, then counts again', async () => {
    let coverage: typeof empty | typeof imported = imported;
    const { requests } = mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: coverage }
        : r.method === 'GET' && r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.method === 'DELETE'
            ? ((coverage = empty),
              {
                status: 200,
                body: {
                  siteId: 'site-1',
                  from: '2025-01-01T00:00:00.000Z',
                  to: '2025-01-03T00:00:00.000Z',
                  deleted: 48,
                },
              })
            : undefined,
    );
    renderPage(<WeatherCard site={site} onSiteChanged={jest.fn()} chart={chart} />);
    await screen.findByTestId('weather-coverage');
    await user().click(screen.getByText(/Delete weather \(/));
    await user().type(screen.getByLabelText('First day'), '2025-01-01');
    await user().type(screen.getByLabelText('Last day'), '2025-01-02');
    await user().click(screen.getByRole('button', { name: 'Delete weather' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false); // not before the confirmation
    expect(screen.getByRole('alert').textContent).toContain(
      'from 2025-01-01 to 2025-01-02 (dates in Europe/London)',
    );
    await user().click(screen.getByRole('button', { name: 'Yes, delete it' }));
    expect((await screen.findByRole('status')).textContent).toBe('Deleted 48 rows.');
    expect(requests.find((r) => r.method === 'DELETE')!.url).toBe(
      '/api/v1/orgs/org-1/sites/site-1/weather?from=2025-01-01&to=2025-01-03',
    );
    expect(await screen.findByText('No weather imported yet.')).toBeTruthy();
  });

  it('draws a generation meter’s output over the same days, and says when it has none there', async () => {
    const pv = { id: 'meter-9', name: 'Roof PV', kind: 'pv_generation', intervalMinutes: 60 } as Meter;
    const READINGS = '/api/v1/orgs/org-1/meters/meter-9/readings?';
    let output = [{ ts: '2025-01-02T12:00:00.000Z', value: 1.5 }];
    const { requests } = mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: imported }
        : r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.url.startsWith(READINGS)
            ? { status: 200, body: { meterId: 'meter-9', unit: 'kWh', resolution: 'raw', points: output } }
            : undefined,
    );
    const { unmount } = renderPage(
      <WeatherCard site={site} generation={pv} onSiteChanged={jest.fn()} chart={chart} />,
    );
    expect((await screen.findByTestId('weather-chart')).textContent).toBe(
      'GHI (W/m²): 1; Temperature (°C): 2; Roof PV (kW): 1',
    );
    expect(screen.getByText(/beside Roof PV’s output: irradiance should rise and fall with it/)).toBeTruthy();
    // the meter's readings over the weather's days
    expect(requests.find((r) => r.url.startsWith(READINGS))!.url).toBe(
      `${READINGS}from=2024-12-26T23%3A00%3A00.000Z&to=2025-01-02T23%3A00%3A01.000Z&resolution=raw`,
    );
    unmount();
    output = [];
    const second = renderPage(
      <WeatherCard site={site} generation={pv} onSiteChanged={jest.fn()} chart={chart} />,
    );
    expect(await screen.findByText(/Roof PV has no readings in these days/)).toBeTruthy();
    expect(screen.getByTestId('weather-chart').textContent).toBe('GHI (W/m²): 1; Temperature (°C): 2');
    second.unmount();
    // the readings refused: the weather is still drawn, and the card says the output is missing, not absent
    mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: imported }
        : r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.url.startsWith(READINGS)
            ? { status: 500, body: { status: 500, title: 'Internal Server Error' } }
            : undefined,
    );
    renderPage(<WeatherCard site={site} generation={pv} onSiteChanged={jest.fn()} chart={chart} />);
    expect(await screen.findByText(/Roof PV’s readings could not be loaded/)).toBeTruthy();
    expect(screen.getByTestId('weather-chart').textContent).toBe('GHI (W/m²): 1; Temperature (°C): 2');
  });

  it('compares a wind meter’s output with wind speed', async () => {
    const turbine = { id: 'meter-5', name: 'Turbine', kind: 'wind_generation', intervalMinutes: 60 } as Meter;
    mockFetch((r) =>
      r.url === COVERAGE
        ? { status: 200, body: imported }
        : r.url.startsWith(WEATHER)
          ? { status: 200, body: recent }
          : r.url.startsWith('/api/v1/orgs/org-1/meters/meter-5/readings?')
            ? {
                status: 200,
                body: { meterId: 'meter-5', points: [{ ts: '2025-01-02T12:00:00.000Z', value: 40 }] },
              }
            : undefined,
    );
    renderPage(<WeatherCard site={site} generation={turbine} onSiteChanged={jest.fn()} chart={chart} />);
    expect(
      await screen.findByText(/beside Turbine’s output: wind speed should rise and fall with it/),
    ).toBeTruthy();
    expect(screen.getByTestId('weather-chart').textContent).toContain('Turbine (kW): 1');
  });
});
