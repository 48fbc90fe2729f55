// The footprint entry form: the factor and kg CO2e shown as the person types (asked of the preview
// operation once typing pauses), what is sent on save, and the edit of a listed entry (PATCH).
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import type { ActivityPricing, PricedActivity } from '../../api/types';
import { mockFetch, renderPage, user, type SentRequest } from '../../test/render';
import { ActivityForm } from './ActivityForm';
import { FootprintDataPage } from './FootprintDataPage';

const BASE = '/api/v1/orgs/org-1/activities';
const DESNZ = { source: 'UK DESNZ GHG conversion factors for company reporting', edition: '2024 v1.1' };
const DIESEL_FACTOR = {
  id: 'desnz-2024:diesel:GB:2024:litre',
  value: '2.51279',
  unit: 'litre',
  year: 2024,
  region: 'GB',
  ...DESNZ,
};

/** What the API would answer for a diesel body: quantity × the DESNZ litre factor. */
function pricing(req: SentRequest): ActivityPricing {
  const q = Number((req.body as { quantity: string }).quantity);
  return {
    scope: 1,
    scope3Category: null,
    quantity: String(q),
    unit: 'litre',
    region: 'GB',
    factor: DIESEL_FACTOR,
    kgCo2e: Math.round(q * 2.51279 * 1000) / 1000,
    warnings: [],
    flight: null,
    fuelSpend: null,
  };
}

describe('ActivityForm', () => {
  it('shows the factor and kg CO2e of the entry as it is typed, then saves what was previewed', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === `${BASE}/preview`) return { status: 200, body: pricing(r) };
      if (r.method === 'POST' && r.url === BASE) return { status: 201, body: { id: 'a-1' } };
      return undefined;
    });
    const onDone = jest.fn();
    renderPage(<ActivityForm year={2024} category="fuels" onDone={onDone} />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Fuel'), 'diesel');
    // natural gas's kWh stays (diesel takes it too) until the unit is chosen
    await u.selectOptions(screen.getByLabelText('Unit'), 'litre');
    await u.type(screen.getByLabelText(/Quantity/), '1,250.5');
    const preview = await screen.findByText('3,142.244 kg CO₂e');
    expect(preview).toBeTruthy();
    expect(screen.getByTestId('preview').textContent).toContain('2.51279 kg CO₂e per litre');
    expect(screen.getByTestId('preview').textContent).toContain('2024 v1.1');
    const previews = requests.filter((r) => r.url === `${BASE}/preview`);
    // typing pauses once: one preview for the whole quantity, not one per key
    expect(previews).toHaveLength(1);
    const body = {
      activity: 'diesel',
      quantity: '1250.5',
      unit: 'litre',
      periodFrom: '2024-01-01',
      periodTo: '2025-01-01',
      dataQuality: 2,
    };
    expect(previews[0]).toEqual({ method: 'POST', url: `${BASE}/preview`, body });
    await u.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ id: 'a-1' }));
    expect(requests.find((r) => r.method === 'POST' && r.url === BASE)?.body).toEqual(body);
  });

  it('sends a flight with its haul and class as the factor variant', async () => {
    const { requests } = mockFetch((r) =>
      r.url === `${BASE}/preview`
        ? { status: 200, body: { ...pricing(r), factor: null, kgCo2e: null } }
        : undefined,
    );
    renderPage(<ActivityForm year={2024} category="travel" onDone={jest.fn()} />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Trip'), 'business_travel_air:long_haul');
    await u.selectOptions(screen.getByLabelText('Class (flights)'), 'business_class.with_rf');
    await u.type(screen.getByLabelText(/Quantity/), '11082');
    await screen.findByText(/No factor for this entry in region GB/);
    expect(requests.at(-1)?.body).toMatchObject({
      activity: 'business_travel_air',
      variant: 'long_haul.business_class.with_rf',
      unit: 'passenger.km',
    });
  });
});

const LISTED: PricedActivity = {
  id: 'a-7',
  activity: 'diesel',
  variant: null,
  scope: 1,
  scope3Category: null,
  quantity: '100',
  unit: 'litre',
  basis: null,
  gwp: null,
  periodFrom: '2024-03-01',
  periodTo: '2024-04-01',
  dataQuality: 1,
  siteId: null,
  region: null,
  description: 'Fuel card March',
  createdAt: '2024-04-02T10:00:00Z',
  factor: DIESEL_FACTOR,
  kgCo2e: 251.279,
  warnings: [],
  flight: null,
  fuelSpend: null,
  evidence: [],
};

describe('FootprintDataPage', () => {
  it('lists an entry under its scope with its factor and kg, and edits it with a new preview and a PATCH', async () => {
    const { requests } = mockFetch((r) => {
      if (r.method === 'GET' && r.url.startsWith(`${BASE}/priced?`)) return { status: 200, body: [LISTED] };
      if (r.url === `${BASE}/preview`) return { status: 200, body: pricing(r) };
      if (r.method === 'PATCH') return { status: 200, body: { ...LISTED, quantity: '80' } };
      return undefined;
    });
    renderPage(<FootprintDataPage />, { route: '/?year=2024' });
    const table = await screen.findByRole('table');
    expect(within(table).getByText('251.279')).toBeTruthy();
    expect(within(table).getByText(/2\.51279 kg CO₂e per litre/)).toBeTruthy();
    expect(screen.getByText('Scope 1 · direct')).toBeTruthy();
    expect(requests.find((r) => r.url.startsWith(`${BASE}/priced?`))?.url).toBe(
      `${BASE}/priced?from=2024-01-01&to=2025-01-01`,
    );

    const u = user();
    await u.click(screen.getByRole('button', { name: /Edit/ }));
    const quantity = screen.getByLabelText(/Quantity/);
    expect((quantity as HTMLInputElement).value).toBe('100');
    await u.clear(quantity);
    await u.type(quantity, '80');
    await screen.findByText('201.023 kg CO₂e');
    await u.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.url).toBe(`${BASE}/a-7`);
    expect(patch?.body).toEqual({
      variant: '',
      activity: 'diesel',
      quantity: '80',
      unit: 'litre',
      periodFrom: '2024-03-01',
      periodTo: '2024-04-01',
      dataQuality: 1,
      description: 'Fuel card March',
    });
    // saved: the list is asked again and the form closes
    await waitFor(() => expect(screen.queryByLabelText(/Quantity/)).toBeNull());
    expect(requests.filter((r) => r.url.startsWith(`${BASE}/priced?`)).length).toBeGreaterThan(1);
  });
});

describe('FootprintDataPage delete', () => {
  it('asks before deleting, then sends DELETE and asks for the list again', async () => {
    const { requests } = mockFetch((r) => {
      if (r.method === 'GET' && r.url.startsWith(`${BASE}/priced?`)) return { status: 200, body: [LISTED] };
      if (r.method === 'DELETE') return { status: 204 };
      return undefined;
    });
    const confirm = jest.fn((_message?: string) => true);
    window.confirm = confirm;
    renderPage(<FootprintDataPage />, { route: '/?year=2024' });
    await screen.findByRole('table');
    expect(screen.getByText('1 Mar 2024 – 31 Mar 2024')).toBeTruthy();
    await user().click(screen.getByRole('button', { name: /Delete/ }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('100 litre'));
    await waitFor(() => expect(requests.filter((r) => r.url.startsWith(`${BASE}/priced?`)).length).toBe(2));
    expect(requests.find((r) => r.method === 'DELETE')?.url).toBe(`${BASE}/a-7`);
  });
});
