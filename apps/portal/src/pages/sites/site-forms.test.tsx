// The site, meter and analysis-settings forms: what they send, and the API's field errors at the fields.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import { errorAt, fieldProblem, mockFetch, renderPage, user } from '../../test/render';
import { AnalysisSettingsForm } from './AnalysisSettingsForm';
import { MeterForm } from './MeterForm';
import { SiteForm } from './SiteForm';

const SITES = '/api/v1/orgs/org-1/sites';
const METERS = '/api/v1/orgs/org-1/meters';
const SETTINGS = '/api/v1/orgs/org-1/sites/site-1/analysis-settings';

describe('SiteForm', () => {
  it('sends the site with its optional fields read as numbers, and the tariff in the organisation’s currency', async () => {
    const { requests } = mockFetch((r) =>
      r.method === 'POST' ? { status: 201, body: { id: 'site-9' } } : undefined,
    );
    const onCreated = jest.fn();
    renderPage(<SiteForm onCreated={onCreated} />);
    const u = user();
    await u.type(screen.getByLabelText(/Site name/), '  Main bakery ');
    await u.selectOptions(screen.getByLabelText('Country'), 'DE');
    await u.type(screen.getByLabelText('Latitude'), '51,5');
    await u.type(screen.getByLabelText('Floor area (m²)'), '420');
    await u.type(screen.getByLabelText('Electricity price (GBP per kWh)'), '0.28');
    await u.click(screen.getByRole('button', { name: 'Create site' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith({ id: 'site-9' }));
    expect(requests).toEqual([
      {
        method: 'POST',
        url: SITES,
        body: {
          name: 'Main bakery',
          country: 'DE',
          timezone: 'Europe/Berlin',
          latitude: 51.5,
          floorAreaM2: 420,
          tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.28 },
        },
      },
    ]);
  });

  it('shows the API’s field errors at their fields, a nested one at its parent field', async () => {
    mockFetch(() =>
      fieldProblem({ name: 'name should not be empty', 'tariff.pricePerKwh': 'must be positive' }),
    );
    renderPage(<SiteForm onCreated={jest.fn()} />);
    await user().click(screen.getByRole('button', { name: 'Create site' }));
    await waitFor(() => expect(errorAt(/Site name/)).toBe('name should not be empty'));
    expect(errorAt('Electricity price (GBP per kWh)')).toBe('must be positive');
    expect(errorAt(/Time zone/)).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('The site was not created');
  });
});

describe('MeterForm', () => {
  it('sends a PV meter with its capacity, tilt and azimuth, and a billing-period interval as null', async () => {
    const { requests } = mockFetch(() => ({ status: 201, body: { id: 'meter-3' } }));
    const onCreated = jest.fn();
    renderPage(<MeterForm siteId="site-1" onCreated={onCreated} />);
    const u = user();
    await u.type(screen.getByLabelText(/Meter name/), 'Roof array');
    await u.selectOptions(screen.getByLabelText('What it measures'), 'pv_generation');
    await u.type(screen.getByLabelText('Capacity (kWp, DC)'), '30');
    await u.type(screen.getByLabelText('Tilt (°)'), '35');
    await u.type(screen.getByLabelText('Azimuth (°, 180 = south)'), '180');
    await u.click(screen.getByRole('button', { name: 'Create meter' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith({ id: 'meter-3' }));
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: METERS,
      body: {
        siteId: 'site-1',
        name: 'Roof array',
        kind: 'pv_generation',
        intervalMinutes: 60,
        register: 'interval',
        capacityKw: 30,
        tiltDeg: 35,
        azimuthDeg: 180,
      },
    });
  });

  it('sends no generation fields for a consumption meter', async () => {
    const { requests } = mockFetch(() => ({ status: 201, body: { id: 'meter-4' } }));
    renderPage(<MeterForm siteId="site-1" onCreated={jest.fn()} />);
    const u = user();
    await u.type(screen.getByLabelText(/Meter name/), 'Main incomer');
    expect(screen.queryByLabelText(/Capacity/)).toBeNull();
    await u.click(screen.getByRole('button', { name: 'Create meter' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].body).toEqual({
      siteId: 'site-1',
      name: 'Main incomer',
      kind: 'electricity_import',
      unit: 'kWh',
      intervalMinutes: 60,
      register: 'interval',
    });
  });

  it('shows the API’s field errors at their fields', async () => {
    mockFetch(() => fieldProblem({ intervalMinutes: 'intervalMinutes must be one of 5, 15, 30, 60, 1440' }));
    renderPage(<MeterForm siteId="site-1" onCreated={jest.fn()} />);
    await user().click(screen.getByRole('button', { name: 'Create meter' }));
    await waitFor(() =>
      expect(errorAt('Reading interval')).toBe('intervalMinutes must be one of 5, 15, 30, 60, 1440'),
    );
    expect(screen.getByRole('alert').textContent).toContain('The meter was not created');
  });
});

describe('AnalysisSettingsForm', () => {
  const stored = { siteId: 'site-1', buildingType: 'office', roofAreaM2: 120 };

  it('shows the stored settings, then saves the edited ones (an empty roof area clears it)', async () => {
    const { requests } = mockFetch((r) =>
      r.method === 'PUT'
        ? { status: 200, body: { ...stored, ...(r.body as object) } }
        : { status: 200, body: stored },
    );
    renderPage(<AnalysisSettingsForm siteId="site-1" />);
    const roof = (await screen.findByLabelText('Usable roof area (m²)')) as HTMLInputElement;
    expect(roof.value).toBe('120');
    const u = user();
    await u.selectOptions(screen.getByLabelText('Building type'), 'retail');
    await u.clear(roof);
    await u.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText(/Saved\. The next analysis/);
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', SETTINGS],
      ['PUT', SETTINGS],
    ]);
    expect(requests[1].body).toEqual({ buildingType: 'retail', roofAreaM2: null });
  });

  it('says at the field that the roof area is not a number, and sends nothing', async () => {
    const { requests } = mockFetch(() => ({ status: 200, body: stored }));
    renderPage(<AnalysisSettingsForm siteId="site-1" />);
    const roof = await screen.findByLabelText('Usable roof area (m²)');
    const u = user();
    await u.clear(roof);
    await u.type(roof, 'lots');
    expect(errorAt('Usable roof area (m²)')).toBe('Enter a number of m², e.g. 250');
    await u.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('shows the API’s field error at the field', async () => {
    mockFetch((r) =>
      r.method === 'PUT'
        ? fieldProblem({ roofAreaM2: 'roofAreaM2 must not be less than 0' })
        : { status: 200, body: stored },
    );
    renderPage(<AnalysisSettingsForm siteId="site-1" />);
    const roof = await screen.findByLabelText('Usable roof area (m²)');
    const u = user();
    await u.clear(roof);
    await u.type(roof, '-5');
    await u.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(errorAt('Usable roof area (m²)')).toBe('roofAreaM2 must not be less than 0'));
    expect(screen.getByRole('alert').textContent).toContain('The settings were not saved');
  });
});
