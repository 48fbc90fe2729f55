import { demoValidUntil, nextDemoMove, retirementReportCsv } from './certification-demo';

describe('the demo claims', () => {
  it('moves a claim along draft → submitted → in_review → approved, stopping at its target', () => {
    expect(nextDemoMove('draft', 'in_review')).toBe('submitted');
    expect(nextDemoMove('submitted', 'in_review')).toBe('in_review');
    expect(nextDemoMove('in_review', 'in_review')).toBeNull();
    expect(nextDemoMove('in_review', 'approved')).toBe('approved');
    expect(nextDemoMove('approved', 'approved')).toBeNull();
  });

  it('leaves a claim off the path (withdrawn, rejected, changes requested) where it is', () => {
    expect(nextDemoMove('withdrawn', 'approved')).toBeNull();
    expect(nextDemoMove('rejected', 'in_review')).toBeNull();
    expect(nextDemoMove('changes_requested', 'approved')).toBeNull();
  });

  it('lists the recorded instruments in the retirement report', () => {
    const csv = retirementReportCsv([
      {
        scheme: 'WREGIS',
        technology: 'solar',
        volumeMwh: '150',
        vintageFrom: '2016-01-01',
        vintageTo: '2017-01-01',
        region: 'CAMX',
        certificateIds: ['WREGIS-DEMO-1-0001-0150'],
      },
    ]);
    expect(csv.split('\n')).toEqual([
      'scheme,serial_numbers,fuel_type,region,vintage_from,vintage_to,mwh,retirement_reason',
      'WREGIS,WREGIS-DEMO-1-0001-0150,solar,CAMX,2016-01-01,2017-01-01,150,Retired on behalf of Halve Demo Ltd (demo data)',
    ]);
  });

  it('makes the demo certificate valid for a year from its issue (issued on a leap day: to 28 February)', () => {
    expect(demoValidUntil(new Date('2026-12-03T22:40:00Z'))).toBe('2027-12-02');
    expect(demoValidUntil(new Date('2027-01-01T00:00:00Z'))).toBe('2027-12-31');
    expect(demoValidUntil(new Date('2028-02-29T12:00:00Z'))).toBe('2029-02-28');
  });
});
