import { combineNetLoad, siteMeterRole } from './site-forecast';

const H = 3_600_000;
const T0 = Date.UTC(2024, 5, 1, 10);
const at = (h: number, m = 0) => new Date(T0 + h * H + m * 60_000);

describe('site net load', () => {
  it('adds bands by variance, not by quantile, and subtracts generation with its sides swapped', () => {
    const { points, incompleteHours } = combineNetLoad(
      [
        { role: 'load', intervalMinutes: 60, points: [{ ts: at(0), p10: 8, p50: 10, p90: 12 }] },
        { role: 'load', intervalMinutes: 60, points: [{ ts: at(0), p10: 17, p50: 20, p90: 23 }] },
        { role: 'pv', intervalMinutes: 60, points: [{ ts: at(0), p10: 0, p50: 5, p90: 6 }] },
      ],
      T0,
      T0 + H,
    );
    expect(incompleteHours).toBe(0);
    expect(points).toHaveLength(1);
    const [p] = points;
    // by hand: P50 = 10 + 20 − 5 = 25;
    // below: loads' lower half-widths 2 and 3, the PV's upper one 1 → √(4 + 9 + 1) = √14 = 3.741657…
    // above: loads' upper 2 and 3, the PV's lower 5 → √(4 + 9 + 25) = √38 = 6.164414…
    expect(p.p50).toBeCloseTo(25, 12);
    expect(p.p10).toBeCloseTo(21.258343, 5);
    expect(p.p90).toBeCloseTo(31.164414, 5);
    expect([p.loadKwh, p.pvKwh, p.windKwh]).toEqual([30, 5, 0]);
    // summing quantiles would have said 19 … 35
    expect(p.p10).toBeGreaterThan(8 + 17 - 6);
    expect(p.p90).toBeLessThan(12 + 23 - 0);
  });

  it('sums a sub-hourly meter’s intervals within the hour (they err together) and drops hours not fully covered', () => {
    const quarter = (h: number, m: number, v: number) => ({ ts: at(h, m), p10: v - 1, p50: v, p90: v + 2 });
    const { points, incompleteHours } = combineNetLoad(
      [
        {
          role: 'load',
          intervalMinutes: 15,
          points: [
            ...[0, 15, 30, 45].map((m) => quarter(0, m, 3)),
            ...[0, 15, 30].map((m) => quarter(1, m, 3)), // 11:45 missing
          ],
        },
        {
          role: 'wind',
          intervalMinutes: 60,
          points: [
            { ts: at(0), p10: 1, p50: 2, p90: 4 },
            { ts: at(1), p10: 1, p50: 2, p90: 4 },
          ],
        },
      ],
      T0,
      T0 + 2 * H,
    );
    expect(incompleteHours).toBe(1);
    expect(points).toHaveLength(1);
    // load hour: P50 12, lower half-width 4 × 1 = 4, upper 4 × 2 = 8; wind P50 2, lower 1, upper 2
    // net P50 = 10; below √(4² + 2²) = √20; above √(8² + 1²) = √65
    expect(points[0].p50).toBeCloseTo(10, 12);
    expect(points[0].p10).toBeCloseTo(10 - Math.sqrt(20), 12);
    expect(points[0].p90).toBeCloseTo(10 + Math.sqrt(65), 12);
    expect(points[0].windKwh).toBe(2);
  });

  it('equals the single meter’s own forecast when the site has one meter', () => {
    const { points } = combineNetLoad(
      [{ role: 'load', intervalMinutes: 60, points: [{ ts: at(0), p10: 7, p50: 9, p90: 14 }] }],
      T0,
      T0 + H,
    );
    expect([points[0].p10, points[0].p50, points[0].p90]).toEqual([7, 9, 14]);
  });

  it('says which meters count and why the others do not', () => {
    expect(siteMeterRole({ kind: 'electricity_import', intervalMinutes: 30 })).toEqual({ role: 'load' });
    expect(siteMeterRole({ kind: 'pv_generation', intervalMinutes: 15 })).toEqual({ role: 'pv' });
    expect(siteMeterRole({ kind: 'wind_generation', intervalMinutes: 60 })).toEqual({ role: 'wind' });
    expect(siteMeterRole({ kind: 'electricity_export', intervalMinutes: 60 })).toEqual({
      excluded: expect.stringMatching(/twice/),
    });
    expect(siteMeterRole({ kind: 'natural_gas', intervalMinutes: 60 })).toEqual({
      excluded: expect.stringMatching(/not electricity/),
    });
    expect(siteMeterRole({ kind: 'electricity_import', intervalMinutes: null })).toEqual({
      excluded: expect.stringMatching(/bill periods/),
    });
    expect(siteMeterRole({ kind: 'electricity_import', intervalMinutes: 1440 })).toEqual({
      excluded: expect.stringMatching(/daily values/),
    });
  });
});
