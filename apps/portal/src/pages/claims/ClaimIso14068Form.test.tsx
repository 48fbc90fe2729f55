// The ISO 14068-1 inputs of a carbon-neutral claim: the PATCH body built from the form, the API's errors at
// the fields of a batch of credits.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { Claim, Iso14068Vocabulary } from '../../api/types';
import { errorAt, fieldProblem, mockFetch, renderPage, user } from '../../test/render';
import { ClaimIso14068Form } from './ClaimIso14068Form';

const claim = {
  id: 'claim-1',
  type: 'carbon_neutral',
  status: 'draft',
  inputs: { scopes: [1, 2, 3] },
  // category 1 is quantified by the inventory: no screening inputs for it
  figures: { boundary: { categories: [{ category: 1, quantified: true, kgCo2e: 1000, sharePct: 12 }] } },
} as unknown as Claim;

// What GET /api/v1/iso14068/vocabulary answers (first entries of the rules' lists).
const vocabulary: Iso14068Vocabulary = {
  registries: [
    { id: 'verra', label: 'Verra (Verified Carbon Standard registry)' },
    { id: 'gold_standard', label: 'Gold Standard Impact Registry' },
  ],
  projectTypes: [
    { id: 'afforestation_reforestation', avoidanceOnly: false },
    { id: 'redd_plus', avoidanceOnly: true },
  ],
};

async function fillBatch() {
  await user().click(screen.getByRole('button', { name: 'Add a batch of credits' }));
  await user().type(screen.getByLabelText('Project id'), 'VCS-1');
  await user().type(screen.getByLabelText('Vintage'), '2021');
  await user().type(screen.getByLabelText('First serial'), 'A-1');
  await user().type(screen.getByLabelText('Last serial'), 'A-100');
  await user().type(screen.getByLabelText('Tonnes CO₂e (one per serial)'), '100');
}

describe('ClaimIso14068Form', () => {
  it('sends the screening, the plan and the credits, leaving out what was not typed', async () => {
    const { requests } = mockFetch(() => ({ status: 200, body: { ...claim, status: 'draft' } }));
    const onSaved = jest.fn();
    renderPage(<ClaimIso14068Form claim={claim} orgId="org-1" vocabulary={vocabulary} onSaved={onSaved} />);
    expect(screen.queryByLabelText('Category 1 estimate')).toBeNull();
    await user().type(screen.getByLabelText('Category 6 estimate'), '250');
    fireEvent.change(screen.getByLabelText('Adopted on'), { target: { value: '2025-01-15' } });
    await user().type(screen.getByLabelText('Target year'), '2030');
    await user().type(screen.getByLabelText('Reduction below the base year (%)'), '50');
    await fillBatch();
    await user().click(screen.getByRole('button', { name: 'Save carbon-neutrality inputs' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('PATCH');
    expect(requests[0].url).toBe('/api/v1/orgs/org-1/claims/claim-1');
    expect(requests[0].body).toEqual({
      scopes: [1, 2, 3],
      scope3Screening: [{ category: 6, kgCo2e: '250', basis: 'not stated' }],
      managementPlan: {
        adoptedOn: '2025-01-15',
        targets: [{ targetYear: 2030, reductionPct: '50' }],
        measures: [],
      },
      offsets: [
        {
          registry: 'verra',
          projectId: 'VCS-1',
          projectType: 'afforestation_reforestation',
          creditType: 'removal',
          serialFrom: 'A-1',
          serialTo: 'A-100',
          tonnesCo2e: '100',
          vintage: 2021,
        },
      ],
    });
  });

  it('sends Scope 3 out of the boundary when unticked', async () => {
    const { requests } = mockFetch(() => ({ status: 200, body: claim }));
    renderPage(<ClaimIso14068Form claim={claim} orgId="org-1" vocabulary={vocabulary} onSaved={jest.fn()} />);
    await user().click(screen.getByLabelText(/Scope 3\s+inside the boundary/));
    await user().click(screen.getByRole('button', { name: 'Save carbon-neutrality inputs' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect((requests[0].body as { scopes: number[] }).scopes).toEqual([1, 2]);
  });

  it('shows the API’s errors at the fields of the batch they name', async () => {
    mockFetch(() =>
      fieldProblem({
        'offsets[0].serialTo': 'The last serial must come after the first.',
        'managementPlan.targets[0].targetYear': 'A target year after the claim period.',
      }),
    );
    const onSaved = jest.fn();
    renderPage(<ClaimIso14068Form claim={claim} orgId="org-1" vocabulary={vocabulary} onSaved={onSaved} />);
    await fillBatch();
    await user().click(screen.getByRole('button', { name: 'Save carbon-neutrality inputs' }));
    await waitFor(() => expect(errorAt('Last serial')).toBe('The last serial must come after the first.'));
    expect(errorAt('Target year')).toBe('A target year after the claim period.');
    expect(errorAt('First serial')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('The carbon-neutrality inputs were not saved');
    expect(onSaved).not.toHaveBeenCalled();
  });
});
