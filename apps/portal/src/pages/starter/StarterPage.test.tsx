// The starter estimate page: with no profile the form is shown; saving it sends the profile and shows the
// estimate, labelled as an estimate, with each line's status, basis, sources and assumption markers.
import { describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import { errorAt, fieldProblem, mockFetch, renderPage, user } from '../../test/render';
import { StarterPage } from './StarterPage';

const PROFILE = '/api/v1/orgs/org-1/starter-profile';
const FOOTPRINT = '/api/v1/orgs/org-1/starter-footprint?year=2024';

const saved = {
  sectorScheme: 'nace',
  sectorCode: '62.01',
  sector: 'it_media',
  sectorLabel: 'Information, media and IT',
  employees: 20,
  annualRevenue: '2000000',
  currency: 'GBP',
  floorAreaM2: '500',
  country: 'GB',
  year: 2024,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const line = (
  key: string,
  label: string,
  scope: number,
  kg: number,
  status: string,
  measured: number | null,
) => ({
  key,
  label,
  scope,
  category: 'x',
  estimate: true,
  kgCo2e: kg,
  basis: `${label} basis`,
  inputs: [
    {
      name: 'share of revenue spent on purchases',
      value: '0.30',
      unit: 'fraction',
      source: 'Halve assumption per sector',
      verification: '✘ assumption',
    },
  ],
  status,
  measuredKgCo2e: measured,
  notes: [],
});

const footprint = {
  year: 2024,
  estimate: true,
  profile: saved,
  lines: [
    line('scope2_electricity', 'Purchased electricity', 2, 17102.33, 'estimated', null),
    line('scope1_heating', 'Heating (natural gas)', 1, 10974, 'replaced by measured data', 182.9),
    line('scope3_purchases', 'Purchased goods and services', 3, 47100, 'estimated', null),
  ],
  estimated: { scope1KgCo2e: 10974, scope2KgCo2e: 17102.33, scope3KgCo2e: 47100, totalKgCo2e: 75176.33 },
  measured: { scope1KgCo2e: 182.9, scope2KgCo2e: 0, scope3KgCo2e: 0, totalKgCo2e: 182.9 },
  combined: { scope1KgCo2e: 182.9, scope2KgCo2e: 17102.33, scope3KgCo2e: 47100, totalKgCo2e: 64385.23 },
  notEstimated: [{ what: 'Employee commuting and business travel', reason: 'no per-employee source' }],
};

describe('StarterPage', () => {
  it('saves a profile and shows the estimate lines, marked as an estimate, with replaced lines', async () => {
    let stored = false;
    const { requests } = mockFetch((r) => {
      if (r.url === PROFILE && r.method === 'GET') return stored ? { status: 200, body: saved } : undefined;
      if (r.url === PROFILE && r.method === 'PUT') {
        stored = true;
        return { status: 200, body: saved };
      }
      if (r.url === FOOTPRINT) return { status: 200, body: footprint };
      return undefined;
    });
    renderPage(<StarterPage />);
    expect(await screen.findByText(/No profile yet/)).toBeTruthy();
    const u = user();
    await u.type(screen.getByLabelText(/^Sector code$/), '62.01');
    await u.type(screen.getByLabelText('Employees'), '20');
    await u.type(screen.getByLabelText('Annual revenue'), '2000000');
    await u.type(screen.getByLabelText(/Floor area/), '500');
    await u.clear(screen.getByLabelText('Year of the figures'));
    await u.type(screen.getByLabelText('Year of the figures'), '2024');
    await u.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true));
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      sectorScheme: 'nace',
      sectorCode: '62.01',
      employees: 20,
      annualRevenue: '2000000',
      currency: 'GBP',
      floorAreaM2: '500',
      country: 'GB',
      year: 2024,
    });
    const table = await screen.findByRole('table');
    expect(screen.getByRole('heading', { name: 'Starter estimate 2024' })).toBeTruthy();
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(within(rows[2]).getByText('replaced by measured data')).toBeTruthy();
    expect(within(rows[2]).getByText(/measured 183 kg/)).toBeTruthy();
    expect(within(rows[1]).getByText('estimated')).toBeTruthy();
    // every line's figure carries the Estimate badge, and so does the card
    for (const r of rows.slice(1))
      expect(within(r).getByText('Estimate', { selector: '.badge' })).toBeTruthy();
    expect(screen.getAllByText('Estimate', { selector: '.badge' })).toHaveLength(4);
    expect(within(table).getAllByText('✘ assumption').length).toBeGreaterThan(0);
    expect(screen.getByText(/Employee commuting/)).toBeTruthy();
  });

  it('shows the field the API names for a bad sector code', async () => {
    mockFetch((r) =>
      r.url === PROFILE && r.method === 'PUT'
        ? fieldProblem({ sectorCode: "'01.11' is not a nace code of a covered sector" })
        : undefined,
    );
    renderPage(<StarterPage />);
    await screen.findByText(/No profile yet/);
    const u = user();
    await u.type(screen.getByLabelText(/^Sector code$/), '01.11');
    await u.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(errorAt(/^Sector code$/)).toMatch(/not a nace code/));
  });
});
