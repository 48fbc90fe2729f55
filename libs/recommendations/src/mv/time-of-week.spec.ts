import { fitTimeOfWeek, predictTimeOfWeek, timeOfWeekAnnualModelCheck } from './time-of-week';
import { type VerificationPoint, verifySavings } from './verification';

const MONDAY = Date.UTC(2021, 0, 4, 0); // Monday 2021-01-04 00:00 UTC
const H = 3_600_000;
/** A weekly shape: 1 kWh + 0.1 kWh per hour of the day (mean over a week 1 + 11.5/10 = 2.15). */
const shape = (how: number) => 1 + (how % 24) / 10;

describe('time-of-week model without temperature', () => {
  it('α is the mean of each hour of week; CV(RMSE) with n − p (hand-worked)', () => {
    // Week 1: shape − 0.1, week 2: shape + 0.1 → α = shape, e = ∓0.1 everywhere.
    // n = 336, p = 168; SSE = 336 · 0.01 = 3.36; RMSE = √(3.36/168) = √0.02 = 0.141421
    // ȳ = 2.15 → CV(RMSE) = 0.141421/2.15 = 0.065777; Σe = 0 → NMBE = 0
    const rows = Array.from({ length: 336 }, (_, h) => ({
      ts: new Date(MONDAY + h * H),
      localHourOfWeek: h % 168,
      energyKwh: shape(h % 168) + (h < 168 ? -0.1 : 0.1),
    }));
    const model = fitTimeOfWeek(rows);
    expect(model.parameters).toBe(168);
    expect(model.n).toBe(336);
    model.segments[0].hourOfWeekCoefficients.forEach((a, how) => expect(a).toBeCloseTo(shape(how), 12));
    expect(model.cvRmse).toBeCloseTo(0.065777, 6);
    expect(model.nmbe).toBeCloseTo(0, 12);
    expect(
      predictTimeOfWeek(model, [{ ts: new Date(MONDAY + 1000 * H), localHourOfWeek: 13 }])[0],
    ).toBeCloseTo(2.3, 12);
    // JSON round trip
    expect(
      predictTimeOfWeek(JSON.parse(JSON.stringify(model)), [{ ts: new Date(MONDAY), localHourOfWeek: 0 }])[0],
    ).toBeCloseTo(1, 12);
  });

  it('month-by-month: neighbours weighted 0.5, p summed over segments, unseen hours NaN, zeros missing', () => {
    // Monday 00:00 only: January 10 kWh (5 Mondays), February 20 kWh (4); the same as the TOWT hand example.
    const days = [
      '2024-01-01',
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
      '2024-01-29',
      '2024-02-05',
      '2024-02-12',
      '2024-02-19',
      '2024-02-26',
    ];
    const rows = days.map((d) => ({
      ts: new Date(`${d}T00:00:00Z`),
      localHourOfWeek: 0,
      energyKwh: d.startsWith('2024-01') ? 10 : 20,
    }));
    rows.push({ ts: new Date('2024-02-27T00:00:00Z'), localHourOfWeek: 24, energyKwh: 0 });
    const model = fitTimeOfWeek(rows, { segmentation: 'three-month-weighted' });
    // January α = (50 + 0.5·80)/7 = 12.857143; February α = (80 + 0.5·50)/6.5 = 16.153846
    expect(model.segments.map((s) => s.hourOfWeekCoefficients[0])).toEqual([
      expect.closeTo(90 / 7, 9),
      expect.closeTo(210 / 13, 9),
    ]);
    expect(model.parameters).toBe(2);
    expect(model.n).toBe(9); // the zero is missing
    // SSE = 828000/8281 = 99.987924, n − p = 7, ȳ = 130/9 → CV(RMSE) = 0.261652 (as caltrack.spec.ts)
    expect(model.cvRmse).toBeCloseTo(0.261652, 6);
    expect(
      predictTimeOfWeek(model, [{ ts: new Date('2024-02-06T01:00:00Z'), localHourOfWeek: 25 }])[0],
    ).toBeNaN();
    expect(
      predictTimeOfWeek(model, [{ ts: new Date('2024-03-04T00:00:00Z'), localHourOfWeek: 0 }])[0],
    ).toBeNaN();
    // Annual model: Jan e = 10 − 130/9 = −40/9 → NMBE_Jan = (−200/9)/50 = −44 %; Feb +27.8 %; only 2 months → allowed
    const check = timeOfWeekAnnualModelCheck(fitTimeOfWeek(rows), rows);
    expect(check.monthlyNmbe[1]).toBeCloseTo(-200 / 9 / 50, 9);
    expect(check.allowed).toBe(true);
  });
});

describe('verifySavings without temperature', () => {
  // Baseline: 8 weeks from Monday 2021-01-04 (Jan–Feb), e = +0.1/−0.1 alternating by hour and by week
  // (so each hour of week sees 4 × +0.1 and 4 × −0.1); reporting:
  // the 2 weeks from 2021-03-01 at 0.9 × the same (a 10 % cut), with no temperature anywhere.
  const noise = (h: number) => ((h + Math.floor(h / 168)) % 2 === 0 ? 0.1 : -0.1);
  const point = (h: number, scale: number): VerificationPoint => ({
    ts: new Date(MONDAY + h * H),
    energyKwh: scale * (shape(h % 168) + noise(h)),
    temperatureC: null,
  });
  const baseline = Array.from({ length: 8 * 168 }, (_, h) => point(h, 1));
  const reporting = Array.from({ length: 2 * 168 }, (_, i) => point(8 * 168 + i, 0.9));

  it('verifies a known 10 % cut exactly, labelled not weather-normalised, with its own G14 check (hand-worked)', () => {
    const r = verifySavings({ baseline, reporting, resolution: 'hourly', zone: 'UTC' });
    expect(r.weatherNormalised).toBe(false);
    expect(r.label).toBe('not weather-normalised');
    expect(r.method.model).toBe('time-of-week-hourly');
    expect(r.method.segmentation).toBe('single'); // March is not in the baseline
    expect(r.method.temperatureCoverage).toEqual({ baseline: 0, reporting: 0 });
    expect(
      r.warnings.filter((w) =>
        /^not weather-normalised: outdoor temperature covers 0 % of the baseline hours and 0 % of the reporting hours/.test(
          w,
        ),
      ),
    ).toHaveLength(1);
    // Each hour of week appears 8 times with e = ±0.1, 4 of each sign → α = shape exactly.
    // Counterfactual = 2 weeks of shape = 2 · 168 · 2.15 = 722.4; actual = 0.9 · (722.4 + Σnoise = 0) = 650.16
    expect(r.counterfactualKwh).toBeCloseTo(722.4, 9);
    expect(r.actualKwh).toBeCloseTo(650.16, 9);
    expect(r.savingsFraction).toBeCloseTo(0.1, 12);
    // n = 1344, p = 168, SSE = 1344 · 0.01 = 13.44 → RMSE = √(13.44/1176) = 0.106904, CV = 0.106904/2.15 = 0.049723
    expect(r.method.parameters).toBe(168);
    expect(r.baselineCvRmse).toBeCloseTo(0.049723, 6);
    expect(r.baselineNmbe).toBeCloseTo(0, 12);
    // Residuals alternate: ρ < 0 → no n' correction. FSU(90 %) = 1.26 · t(0.95, 1176) · CV · √((1 + 2/1344)/336) / F
    //   t(0.95, 1176) = 1.64615 (z = 1.64485; the t correction at this df is +0.0013)
    //   = 1.26 · 1.64615 · 0.049723 · 0.054595 / 0.1 = 0.05630
    expect(r.method.autocorrelationCorrected).toBe(false);
    expect(r.fractionalSavingsUncertainty!).toBeCloseTo(0.0563, 4);
    expect(r.guideline14.cvRmseOk && r.guideline14.nmbeOk).toBe(true);
    expect(r.meetsGuideline14).toBe(true);
  });

  it("'auto' keeps the temperature model when temperature covers ≥ 90 % of both periods, and 'temperature' refuses without it", () => {
    const warm = (p: VerificationPoint, i: number): VerificationPoint => ({
      ...p,
      temperatureC: 10 + (i % 24),
    });
    const withTemps = verifySavings({
      baseline: baseline.map(warm),
      reporting: reporting.map(warm),
      resolution: 'hourly',
      zone: 'UTC',
    });
    expect(withTemps.method.model).toBe('caltrack-towt-hourly');
    expect(withTemps.weatherNormalised).toBe(true);
    expect(withTemps.label).toBe('weather-normalised');
    // Temperature on the baseline only: the reporting period has 0 % → time-of-week.
    const partial = verifySavings({
      baseline: baseline.map(warm),
      reporting,
      resolution: 'hourly',
      zone: 'UTC',
    });
    expect(partial.method.model).toBe('time-of-week-hourly');
    expect(partial.method.temperatureCoverage).toEqual({ baseline: 1, reporting: 0 });
    expect(() =>
      verifySavings({ baseline, reporting, resolution: 'hourly', zone: 'UTC', model: 'temperature' }),
    ).toThrow(/covers 0 % of the baseline hours/);
    expect(() => verifySavings({ baseline, reporting, resolution: 'daily', zone: 'UTC' })).toThrow(
      /daily model needs outdoor temperature/,
    );
  });

  it('says the uncertainty is undefined (not verified) when autocorrelation leaves n′ ≤ p, instead of failing', () => {
    // A slow drift makes the residuals strongly autocorrelated: ρ ≈ 1 → n′ ≪ 168.
    const drift = (p: VerificationPoint, i: number): VerificationPoint => ({
      ...p,
      energyKwh: p.energyKwh + 2 * Math.sin((2 * Math.PI * i) / (8 * 168)),
    });
    const r = verifySavings({ baseline: baseline.map(drift), reporting, resolution: 'hourly', zone: 'UTC' });
    expect(r.fractionalSavingsUncertainty).toBeNull();
    expect(r.meetsGuideline14).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/savings uncertainty is undefined/);
  });
});
