import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { type VerificationPoint, verifySavings } from './verification';

const ZONE = 'America/New_York';

/** UnivDorm_Prince (BDG1 dormitory, New York), all of 2015, hourly kWh and °C (see __fixtures__/SOURCE.txt). */
function loadDormYear(): VerificationPoint[] {
  const text = readFileSync(join(__dirname, '__fixtures__', 'univdorm-prince-2015.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [local, energy, temperature] = line.split(',');
      return {
        ts: DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toJSDate(),
        energyKwh: Number(energy),
        temperatureC: temperature === '' ? null : Number(temperature),
      };
    });
}

const split = (points: VerificationPoint[], at: Date) => ({
  baseline: points.filter((p) => p.ts < at),
  reporting: points.filter((p) => p.ts >= at),
});

describe('verifySavings — IPMVP Option C on a real building (UnivDorm_Prince, BDG1, 2015)', () => {
  const points = loadDormYear();
  const reportingStart = DateTime.fromISO('2015-07-01T00:00', { zone: ZONE }).toJSDate();
  const { baseline, reporting } = split(points, reportingStart);
  const reduced = reporting.map((p) => ({ ...p, energyKwh: p.energyKwh * 0.9 }));

  it('fixture is the whole year', () => {
    expect(points).toHaveLength(8731);
    expect(baseline.length).toBeGreaterThan(4300);
    expect(reporting.length).toBeGreaterThan(4400);
  });

  it.each(['hourly', 'daily'] as const)(
    '%s: a known 10 %% reduction is verified at 10 %% within the stated 90 %% uncertainty',
    (resolution) => {
      const result = verifySavings({ baseline, reporting: reduced, resolution, zone: ZONE });
      // Savings fraction F = (counterfactual − actual)/counterfactual; the true answer is 0.10.
      // The FSU (90 %) bounds the saving: |F − 0.10| ≤ FSU·F.
      expect(result.fractionalSavingsUncertainty).not.toBeNull();
      const fsu = result.fractionalSavingsUncertainty!;
      expect(Math.abs(result.savingsFraction - 0.1)).toBeLessThanOrEqual(fsu * result.savingsFraction);
      expect(result.verifiedSavingKwh).toBeCloseTo(result.counterfactualKwh - result.actualKwh, 6);
      // actual is the reduced metered total (minus nothing excluded here except temperature gaps > 6 h)
      const reducedTotal = reduced.reduce((s, p) => s + p.energyKwh, 0);
      expect(result.actualKwh).toBeLessThanOrEqual(reducedTotal + 1e-6);
      // hourly drops only hours without temperature; daily also drops incomplete local days (source gaps, the DST day)
      expect(result.actualKwh).toBeGreaterThan((resolution === 'hourly' ? 0.99 : 0.95) * reducedTotal);
      expect(result.excluded.reportingPoints).toBeLessThan(
        resolution === 'hourly' ? 0.01 * reduced.length : 0.05 * reduced.length,
      );
      expect(result.savingUncertaintyKwh).toBeCloseTo(fsu * result.verifiedSavingKwh, 6);
      expect(result.fsuAt68!).toBeLessThan(fsu);
      expect(result.method.uncertainty).toBe('ashrae-g14');
      if (resolution === 'hourly') {
        // hourly TOWT on this dorm: CV(RMSE) ≈ 17 %, FSU(68 %) ≈ 6 % → verified under G14
        expect(result.meetsGuideline14).toBe(true);
        expect(fsu).toBeLessThan(0.25);
      }
      expect(result.method.model).toBe(resolution === 'hourly' ? 'caltrack-towt-hourly' : 'caltrack-daily');
      expect(result.baselineFrom.toISOString()).toBe('2015-01-01T10:00:00.000Z');
      expect(result.reportingFrom).toEqual(reportingStart);
      expect(result.reportingTo.toISOString()).toBe('2016-01-01T05:00:00.000Z');
      expect(result.warnings.join(' ')).toMatch(/not the 12 months/);
      // daily chart series adds up to the totals
      const sumCf = result.counterfactualSeries.reduce((s, p) => s + p.counterfactualKwh, 0);
      expect(sumCf).toBeCloseTo(result.counterfactualKwh, 6);
      expect(result.counterfactualSeries.length).toBeGreaterThan(170);
    },
  );

  it('without the reduction the same model finds no saving beyond its own uncertainty (control)', () => {
    const withCut = verifySavings({ baseline, reporting: reduced, resolution: 'hourly', zone: ZONE });
    const none = verifySavings({ baseline, reporting, resolution: 'hourly', zone: ZONE });
    // the counterfactual depends only on the baseline and the weather: identical in both runs
    expect(none.counterfactualKwh).toBeCloseTo(withCut.counterfactualKwh, 6);
    // the 10 % cut shows up exactly as 10 % of the metered energy
    expect(withCut.verifiedSavingKwh - none.verifiedSavingKwh).toBeCloseTo(0.1 * none.actualKwh, 6);
    // unreduced: |saving| is within the absolute uncertainty the reduced run states
    expect(Math.abs(none.verifiedSavingKwh)).toBeLessThanOrEqual(withCut.savingUncertaintyKwh!);
  });

  it('reports G14 baseline statistics consistent with the thresholds', () => {
    const result = verifySavings({ baseline, reporting: reduced, resolution: 'hourly', zone: ZONE });
    expect(result.baselineCvRmse).toBeGreaterThan(0);
    expect(result.guideline14.cvRmseOk).toBe(result.baselineCvRmse <= 0.3);
    expect(result.guideline14.nmbeOk).toBe(Math.abs(result.baselineNmbe) <= 0.1);
    expect(result.meetsGuideline14).toBe(
      result.guideline14.cvRmseOk && result.guideline14.nmbeOk && result.fsuAt68! < 0.5,
    );
    expect(result.method.residualAutocorrelation).toBeGreaterThan(0);
    expect(result.method.autocorrelationCorrected).toBe(true);
    expect(result.method.effectiveBaselinePoints).toBeLessThan(result.method.baselinePoints);
  });

  it('drops non-routine events from both periods', () => {
    const eventFrom = DateTime.fromISO('2015-10-01T00:00', { zone: ZONE }).toJSDate();
    const eventTo = DateTime.fromISO('2015-10-08T00:00', { zone: ZONE }).toJSDate();
    // A week of doubled use in the reporting period: excluded, it must not change the answer's basis.
    const disturbed = reduced.map((p) =>
      p.ts >= eventFrom && p.ts < eventTo ? { ...p, energyKwh: p.energyKwh * 2 } : p,
    );
    const result = verifySavings({
      baseline,
      reporting: disturbed,
      resolution: 'hourly',
      zone: ZONE,
      nonRoutineEvents: [{ from: eventFrom, to: eventTo }],
    });
    const inWindow = disturbed.filter((p) => p.ts >= eventFrom && p.ts < eventTo).length;
    expect(inWindow).toBeGreaterThan(150);
    expect(result.excluded.reportingPoints).toBeGreaterThanOrEqual(inWindow);
    const expectedActual = reduced.filter((p) => !(p.ts >= eventFrom && p.ts < eventTo));
    expect(result.actualKwh).toBeLessThanOrEqual(expectedActual.reduce((s, p) => s + p.energyKwh, 0) + 1e-6);
    expect(Math.abs(result.savingsFraction - 0.1)).toBeLessThanOrEqual(
      result.fractionalSavingsUncertainty! * result.savingsFraction,
    );
  });

  it('exact synthetic data: a model that fits perfectly verifies the cut exactly', () => {
    // Load = 2 kWh + 0.5 kWh per °C above 10 °C, temperatures cycling daily; 10 weeks baseline, 2 weeks reporting.
    const start = Date.UTC(2021, 0, 4, 0); // Monday
    const mk = (h: number, scale: number): VerificationPoint => {
      const temperatureC = 15 + 8 * Math.sin((2 * Math.PI * h) / 24) + (h % 7);
      return {
        ts: new Date(start + h * 3_600_000),
        energyKwh: scale * (2 + 0.5 * Math.max(temperatureC - 10, 0)),
        temperatureC,
      };
    };
    const base = Array.from({ length: 24 * 7 * 10 }, (_, h) => mk(h, 1));
    const rep = Array.from({ length: 24 * 14 }, (_, i) => mk(24 * 7 * 10 + i, 0.8));
    const result = verifySavings({ baseline: base, reporting: rep, resolution: 'daily', zone: 'UTC' });
    expect(result.savingsFraction).toBeCloseTo(0.2, 1);
    expect(() => verifySavings({ baseline: rep, reporting: base, resolution: 'daily', zone: 'UTC' })).toThrow(
      /after the baseline/,
    );
  });
});
