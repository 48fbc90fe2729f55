// The Reports page: the VSME downloads ask for the chosen year, the SBTi SME panel shows the 42 % target and
// sets it with one POST /targets of the body the API gave, and the progress summary shows the verdict.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import { mockFetch, renderPage, user } from '../../test/render';
import { ReportsPage } from './ReportsPage';
import type { ProgressSummary, SbtiSme } from './reports-api';

const ORG_URL = '/api/v1/orgs/org-1';
const year = new Date().getFullYear() - 1;

const sbti: SbtiSme = {
  route: 'SBTi SME route: predefined near-term target',
  company: { name: 'Test bakery', country: 'GB', sector: null, employees: 12, currency: 'GBP' },
  baseYear: 2021,
  basePeriod: { from: '2021-01-01', to: '2022-01-01' },
  targetYear: 2030,
  scope2Method: 'market',
  base: {
    scope1Tco2e: 30,
    scope2LocationTco2e: 25,
    scope2MarketTco2e: 20,
    scope12Tco2e: 50,
    scope3Tco2e: null,
    scope3Categories: [],
  },
  reductionPct: 42,
  targetValueTco2e: 29,
  annualLinearRatePct: 4.667,
  linearEquivalentPct: 37.8,
  targetWording:
    'Test bakery commits to reduce absolute scope 1 and 2 GHG emissions 42% by 2030 from a 2021 base year, and to measure and reduce its scope 3 emissions.',
  scope3Commitment: 'Measure and reduce Scope 3 emissions.',
  eligibility: {
    verdict: 'unknown',
    checks: [{ criterion: 'Fewer than 250 employees', status: 'met', value: '12 employees', source: '◐' }],
  },
  createTarget: {
    name: 'SBTi SME near-term: Scopes 1+2 −42 % by 2030 from 2021',
    kind: 'absolute',
    scopes: [1, 2],
    scope2Method: 'market',
    baseYear: 2021,
    targetYear: 2030,
    reductionPct: '42',
  },
  notes: [],
};

const progress: ProgressSummary = {
  commitment: 'SME Climate Hub: halve emissions before 2030 and reach net zero before 2050.',
  baseYear: 2021,
  year,
  scope2Method: 'market',
  scopes: [{ scope: 'Scope 1', baseTco2e: 30, currentTco2e: 33, changePct: 10 }],
  target2030Tco2e: 25,
  expectedTco2e: 40,
  actualTco2e: 45,
  onTrack: false,
  verdict: 'Off track: 45 tCO2e, above the 40 tCO2e of the straight line.',
  yearsTo2030: 2030 - year,
  yearsTo2050: 2050 - year,
  path: [],
};

describe('ReportsPage', () => {
  it('shows the SBTi SME target from the organisation’s base year and sets it with one call', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === ORG_URL)
        return { status: 200, body: { id: 'org-1', name: 'Test bakery', baseYear: 2021 } };
      if (r.url.startsWith(`${ORG_URL}/reports/sbti-sme?`)) return { status: 200, body: sbti };
      if (r.url.startsWith(`${ORG_URL}/reports/progress?`)) return { status: 200, body: progress };
      if (r.method === 'POST' && r.url === `${ORG_URL}/targets`)
        return { status: 201, body: { id: 't-1', name: sbti.createTarget.name } };
      return undefined;
    });
    renderPage(<ReportsPage />);
    expect(await screen.findByText(sbti.targetWording)).toBeTruthy();
    expect(requests.some((r) => r.url === `${ORG_URL}/reports/sbti-sme?baseYear=2021`)).toBe(true);
    expect(screen.getByText('29 t CO₂e')).toBeTruthy();
    expect(await screen.findByText(progress.verdict)).toBeTruthy();
    expect(screen.getByText('off track')).toBeTruthy();
    expect(requests.some((r) => r.url === `${ORG_URL}/reports/progress?year=${year}&baseYear=2021`)).toBe(
      true,
    );

    await user().click(screen.getByRole('button', { name: 'Set this target' }));
    await waitFor(() => expect(screen.getByText(/Target “SBTi SME near-term/)).toBeTruthy());
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual(sbti.createTarget);
  });

  it('downloads the VSME workbook of the chosen year', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === ORG_URL)
        return { status: 200, body: { id: 'org-1', name: 'Test bakery', baseYear: null } };
      if (r.url.includes('/reports/vsme?')) return { status: 200, body: {} };
      return undefined;
    });
    URL.createObjectURL = jest.fn(() => 'blob:x') as typeof URL.createObjectURL;
    URL.revokeObjectURL = jest.fn() as typeof URL.revokeObjectURL;
    renderPage(<ReportsPage />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Year'), String(year - 1));
    await u.click(screen.getByRole('button', { name: 'Download VSME report (XLSX)' }));
    await waitFor(() =>
      expect(requests.some((r) => r.url === `${ORG_URL}/reports/vsme?year=${year - 1}&format=xlsx`)).toBe(
        true,
      ),
    );
    // without an organisation base year the SME panel starts from 2023
    await waitFor(() => expect(requests.some((r) => r.url.endsWith('sbti-sme?baseYear=2023'))).toBe(true));
  });
});
