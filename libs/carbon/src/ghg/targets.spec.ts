import { SBTI_CRITERIA_VERSION, sbti15cCheck } from './targets';

/**
 * The SBTi flag (Corporate Near-Term Criteria v5.2): only an absolute target covering Scopes 1 and 2
 * at a linear ≥ 4.2 %/yr. The annual rate is what TargetsService stores: reductionPct / 100 / years.
 */
describe('sbti15cCheck', () => {
  // 42 % from 2020 to 2030: 0.42 / 10 = 0.042 a year → exactly the minimum → aligned.
  it('an absolute Scope 1+2 target of 42 % over 10 years (4.2 %/yr) is aligned', () => {
    const c = sbti15cCheck({ kind: 'absolute', scopes: [1, 2], annualRate: 0.42 / 10 });
    expect(c).toEqual({
      aligned: true,
      criteria: SBTI_CRITERIA_VERSION,
      reason: 'absolute Scope 1+2 reduction of 4.2 %/yr (≥ 4.2 %/yr)',
    });
  });

  // 40 % over 10 years = 4.0 %/yr < 4.2 → not aligned.
  it('40 % over 10 years (4.0 %/yr) is not', () => {
    const c = sbti15cCheck({ kind: 'absolute', scopes: [1, 2], annualRate: '0.04' });
    expect(c.aligned).toBe(false);
    expect(c.reason).toBe('linear absolute reduction of 4 %/yr, below the 4.2 %/yr minimum');
  });

  // 50 % over 5 years = 10 %/yr, but Scope 2 only: the boundary criterion fails whatever the pace.
  it('a Scope-2-only target is not aligned however steep', () => {
    const c = sbti15cCheck({ kind: 'absolute', scopes: [2], annualRate: '0.1' });
    expect(c.aligned).toBe(false);
    expect(c.reason).toMatch(/covers Scope 2: the 1.5 °C criterion is for a Scope 1\+2 target/);
    expect(sbti15cCheck({ kind: 'absolute', scopes: [1], annualRate: '0.1' }).aligned).toBe(false);
  });

  it('an intensity target is never flagged, even at 10 %/yr', () => {
    const c = sbti15cCheck({ kind: 'intensity', scopes: [1, 2], annualRate: '0.1' });
    expect(c.aligned).toBe(false);
    expect(c.reason).toMatch(/intensity target is not assessed/);
  });

  // Adding Scope 3 keeps Scopes 1+2 covered: 63 % over 15 years = 4.2 %/yr → aligned.
  it('Scopes 1+2+3 at 4.2 %/yr is aligned', () => {
    expect(sbti15cCheck({ kind: 'absolute', scopes: [1, 2, 3], annualRate: 0.63 / 15 }).aligned).toBe(true);
  });

  // 4.19 %/yr is just short.
  it('4.19 %/yr is just short', () => {
    expect(sbti15cCheck({ kind: 'absolute', scopes: [1, 2], annualRate: '0.0419' }).aligned).toBe(false);
  });
});
