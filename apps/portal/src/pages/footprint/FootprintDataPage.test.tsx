// The footprint data page points electricity and gas to Bills (a bill needs no meter) and interval
// meter data to Sites & meters, with or without entries of the year.
import { describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { mockFetch, renderPage, user } from '../../test/render';
import { FootprintDataPage } from './FootprintDataPage';

const PRICED = '/api/v1/orgs/org-1/activities/priced?';

describe('FootprintDataPage', () => {
  it('sends electricity and gas to Bills and interval data to Sites & meters', async () => {
    const { requests } = mockFetch((r) => (r.url.startsWith(PRICED) ? { status: 200, body: [] } : undefined));
    renderPage(<FootprintDataPage />, { route: '/orgs/org-1/footprint' });
    expect(await screen.findByText(/No footprint data for/)).toBeTruthy();
    const note = screen.getByTestId('energy-elsewhere');
    expect(note.textContent).toContain('Electricity and gas are entered as utility bills');
    expect(note.textContent).not.toContain('Electricity is entered under Sites');
    expect(within(note).getByRole('link', { name: 'Bills' }).getAttribute('href')).toBe('/orgs/org-1/bills');
    expect(within(note).getByRole('link', { name: 'Sites & meters' }).getAttribute('href')).toBe(
      '/orgs/org-1/sites',
    );
    expect(note.textContent).toContain('interval meter');
    expect(requests.some((r) => r.url.startsWith(PRICED))).toBe(true);

    await user().click(within(note).getByRole('link', { name: 'Bills' }));
    expect(screen.getByTestId('location').textContent).toBe('/orgs/org-1/bills');
  });
});
