// The public commuting survey: opened by its link without login, one anonymous answer sent as typed,
// the API's field errors shown at the field.
import { describe, expect, it } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { fieldProblem, mockFetch, renderPage, user } from '../../test/render';
import { SurveyPage } from './SurveyPage';

const TOKEN = 'A'.repeat(64);
const URL = `/api/v1/commuting-surveys/${TOKEN}`;
const SURVEY = {
  organisation: 'Acme Ltd',
  title: 'Commuting 2024',
  year: 2024,
  closed: false,
  modes: [
    { mode: 'car', label: 'Car (fuel not known)' },
    { mode: 'rail', label: 'Train (national rail)' },
  ],
};

const page = () =>
  renderPage(
    <Routes>
      <Route path="/survey/:token" element={<SurveyPage />} />
    </Routes>,
    { route: `/survey/${TOKEN}` },
  );

describe('SurveyPage', () => {
  it('sends an answer (mode, km one way, days, weeks) and thanks the employee', async () => {
    const { requests } = mockFetch((r) => {
      if (r.method === 'GET' && r.url === URL) return { status: 200, body: SURVEY };
      if (r.method === 'POST' && r.url === URL) return { status: 201, body: { received: true } };
      return undefined;
    });
    page();
    expect(await screen.findByRole('heading', { name: 'Commuting 2024' })).toBeTruthy();
    expect(screen.getByText(/Acme Ltd/)).toBeTruthy();
    const u = user();
    await u.selectOptions(screen.getByLabelText('How do you usually get to work?'), 'rail');
    await u.type(screen.getByLabelText(/Distance one way/), '20,5');
    await u.clear(screen.getByLabelText('Days a week in the office'));
    await u.type(screen.getByLabelText('Days a week in the office'), '3');
    await u.click(screen.getByRole('button', { name: 'Send my answer' }));
    expect(await screen.findByText(/your answer was received/)).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      mode: 'rail',
      distanceKm: '20.5',
      daysPerWeek: '3',
      weeksPerYear: '46',
    });
  });

  it('shows the API’s refusal at the field', async () => {
    mockFetch((r) => {
      if (r.method === 'GET' && r.url === URL) return { status: 200, body: SURVEY };
      if (r.method === 'POST') return fieldProblem({ daysPerWeek: 'must be at most 7' });
      return undefined;
    });
    page();
    const u = user();
    await u.selectOptions(await screen.findByLabelText('How do you usually get to work?'), 'car');
    await u.type(screen.getByLabelText(/Distance one way/), '10');
    await u.click(screen.getByRole('button', { name: 'Send my answer' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Days a week in the office').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getAllByText('must be at most 7').length).toBeGreaterThan(0);
  });
});
