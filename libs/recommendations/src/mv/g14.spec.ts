import { meetsGuideline14 } from './g14';

describe('meetsGuideline14 (DOMAIN.md §2)', () => {
  it('hourly: CV ≤ 30 %, |NMBE| ≤ 10 %, FSU₆₈ < 50 %', () => {
    expect(meetsGuideline14({ resolution: 'hourly', cvRmse: 0.3, nmbe: -0.1, fsuAt68: 0.49 }).meets).toBe(
      true,
    );
    expect(meetsGuideline14({ resolution: 'hourly', cvRmse: 0.31, nmbe: 0, fsuAt68: 0.1 }).cvRmseOk).toBe(
      false,
    );
    expect(meetsGuideline14({ resolution: 'hourly', cvRmse: 0.2, nmbe: 0.11, fsuAt68: 0.1 }).meets).toBe(
      false,
    );
    const atLimit = meetsGuideline14({ resolution: 'hourly', cvRmse: 0.2, nmbe: 0, fsuAt68: 0.5 });
    expect(atLimit.fsuOk).toBe(false);
    expect(atLimit.meets).toBe(false);
  });

  it('monthly: CV ≤ 15 %, |NMBE| ≤ 5 %', () => {
    expect(meetsGuideline14({ resolution: 'monthly', cvRmse: 0.15, nmbe: 0.05, fsuAt68: 0.2193 }).meets).toBe(
      true,
    );
    expect(meetsGuideline14({ resolution: 'monthly', cvRmse: 0.16, nmbe: 0, fsuAt68: 0.2 }).meets).toBe(
      false,
    );
    expect(meetsGuideline14({ resolution: 'monthly', cvRmse: 0.1, nmbe: -0.06 }).meets).toBe(false);
  });

  it('daily uses the hourly thresholds and flags them as assumed (✘)', () => {
    const r = meetsGuideline14({ resolution: 'daily', cvRmse: 0.25, nmbe: 0.08 });
    expect(r.meets).toBe(true);
    expect(r.fsuOk).toBeNull();
    expect(r.thresholdsAssumed).toBe(true);
    expect(r.thresholds.cvRmseMax).toBe(0.3);
  });

  it('non-finite metrics never pass', () => {
    expect(meetsGuideline14({ resolution: 'hourly', cvRmse: Number.NaN, nmbe: 0 }).meets).toBe(false);
  });
});
