// The bill form of a business without a meter: electricity or gas is chosen instead of a meter, and a
// new site's supply address is sent, so the API makes the site and a bill-period meter with the bill.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import type { Meter, Site } from '../../api/types';
import { mockFetch, renderPage, user } from '../../test/render';
import { BillForm } from './BillForm';

const BASE = '/api/v1/orgs/org-1/bills';

describe('BillForm', () => {
  it('sends a gas bill with no meter and no site as commodity and supply address', async () => {
    const { requests } = mockFetch((r) =>
      r.method === 'POST' && r.url === BASE
        ? {
            status: 201,
            body: {
              id: 'b-1',
              meterId: 'm-new',
              periodFrom: '2024-01-01',
              periodTo: '2024-03-31',
              months: [],
            },
          }
        : undefined,
    );
    const onCreated = jest.fn();
    renderPage(<BillForm meters={[]} sites={[]} onCreated={onCreated} />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Meter'), 'new:gas');
    // gas takes therms and m³ too
    await u.selectOptions(screen.getByLabelText('Unit'), 'therm');
    await u.type(screen.getByLabelText(/Supply address/), '3 Mill Lane, Leeds LS1 1AA');
    await u.type(screen.getByLabelText(/^From/), '2024-01-01');
    await u.type(screen.getByLabelText(/To \(included\)/), '2024-03-31');
    await u.type(screen.getByLabelText(/^Quantity/), '153.5');
    await u.click(screen.getByRole('button', { name: 'Save bill' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'POST' && r.url === BASE)?.body).toEqual({
      commodity: 'gas',
      supplyAddress: '3 Mill Lane, Leeds LS1 1AA',
      periodFrom: '2024-01-01',
      periodTo: '2024-03-31',
      quantity: 153.5,
      unit: 'therm',
    });
  });

  it("offers the organisation's sites for a bill without a meter, and a meter's id when one is chosen", async () => {
    const { requests } = mockFetch((r) =>
      r.method === 'POST' && r.url === BASE
        ? { status: 201, body: { id: 'b-2', meterId: 'm-1', months: [] } }
        : undefined,
    );
    const sites = [{ id: 's-1', name: 'Shop' }] as Site[];
    const meters = [
      { id: 'm-1', name: 'Main electricity', kind: 'electricity_import', intervalMinutes: 30 },
    ] as Meter[];
    renderPage(<BillForm meters={meters} sites={sites} onCreated={jest.fn()} />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Meter'), 'new:electricity');
    expect((screen.getByLabelText('Site') as HTMLSelectElement).value).toBe('s-1');
    expect(screen.queryByLabelText(/Supply address/)).toBeNull();
    await u.selectOptions(screen.getByLabelText('Meter'), 'm-1');
    expect(screen.queryByLabelText('Site')).toBeNull();
    await u.type(screen.getByLabelText(/^From/), '2024-02-01');
    await u.type(screen.getByLabelText(/To \(included\)/), '2024-02-29');
    await u.type(screen.getByLabelText(/^Quantity/), '900');
    await u.click(screen.getByRole('button', { name: 'Save bill' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ meterId: 'm-1', quantity: 900 });
  });
});
