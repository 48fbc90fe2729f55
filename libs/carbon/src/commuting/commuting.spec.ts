import { commutingTotals, newSurveyToken, parseSurveyToken } from './commuting';

describe('commuting survey', () => {
  it('extrapolates each mode: km a year = one way × 2 × days × weeks, × employees ÷ respondents', () => {
    const t = commutingTotals(
      [
        { mode: 'car', distanceKm: '12.5', daysPerWeek: '4', weeksPerYear: '45' }, // 4,500 km
        { mode: 'car', distanceKm: '5', daysPerWeek: '2', weeksPerYear: '40' }, // 800 km
        { mode: 'walk', distanceKm: '1', daysPerWeek: '5', weeksPerYear: '46' }, // 460 km
        { mode: 'bus', distanceKm: '8', daysPerWeek: '3', weeksPerYear: '44' }, // 2,112 km
      ],
      50,
    );
    expect(t).toMatchObject({ respondents: 4, employees: 50, scale: '12.5' });
    expect(t.modes.map((m) => [m.mode, m.respondents, m.surveyedKm, m.extrapolatedKm])).toEqual([
      ['car', 2, '5300', '66250'],
      ['bus', 1, '2112', '26400'],
      ['walk', 1, '460', '5750'],
    ]);
    expect(t.modes.find((m) => m.mode === 'walk')?.activity).toBeNull();
    expect(commutingTotals([], 10)).toMatchObject({ respondents: 0, scale: null, modes: [] });
  });

  it('a link token carries the organisation, the survey and the secret, and nothing else parses', () => {
    const tenant = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const survey = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const { token, secret } = newSurveyToken(tenant, survey);
    expect(token).toHaveLength(64);
    expect(parseSurveyToken(token)).toEqual({ tenantId: tenant, surveyId: survey, secret });
    expect(parseSurveyToken(token.slice(1))).toBeNull();
    expect(parseSurveyToken(`${token.slice(0, 63)}!`)).toBeNull();
  });
});
