import {
  DEFAULT_RECENT_ERROR_CORRECTION,
  errorCorrectionShifts,
  errorHistoryPoints,
  historyDays,
} from './error-correction';

// a "day" of 2 intervals (spd 2), so a week is 14 intervals
const SPD = 2;

describe('historyDays', () => {
  it('is the longest span a correction reads', () => {
    expect(historyDays(0, undefined)).toBe(0);
    expect(historyDays(0.2, undefined)).toBe(1);
    expect(historyDays(0, { ...DEFAULT_RECENT_ERROR_CORRECTION, weeks: 2, days: 10 })).toBe(14);
    expect(historyDays(0.2, { ...DEFAULT_RECENT_ERROR_CORRECTION, weeks: 1, days: 10 })).toBe(10);
  });
});

describe('errorHistoryPoints', () => {
  it('adds the measured intervals of the days before each origin, each forecast from its day start', () => {
    const values = [1, Number.NaN, 3, 4, 5, 6, 7, 8];
    // one origin at 6, three days asked: days [4, 6) and [2, 4); [0, 2) is the series' first day
    const h = errorHistoryPoints(values, [{ target: 6, origin: 6 }], SPD, 3);
    expect(h.extra).toEqual([
      { target: 4, origin: 4 },
      { target: 5, origin: 4 },
      { target: 2, origin: 2 },
      { target: 3, origin: 2 },
    ]);
    expect([...h.dayAheadRow.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [2, 3],
      [3, 4],
      [4, 1],
      [5, 2],
      [6, 0],
    ]);
  });

  it('reuses a point that forecasts an interval less than a day ahead and skips missing values', () => {
    const values = [1, 2, 3, Number.NaN, 5, 6];
    // day-ahead points of the day [4, 6) and one of [2, 4) (target 2); origin 4 reads day [2, 4) (3 missing)
    const points = [
      { target: 4, origin: 4 },
      { target: 5, origin: 4 },
      { target: 2, origin: 2 },
    ];
    const h = errorHistoryPoints(values, points, SPD, 1);
    expect(h.extra).toEqual([]);
    expect(h.dayAheadRow.get(2)).toBe(2);
    expect(h.dayAheadRow.has(3)).toBe(false);
  });
});

describe('errorCorrectionShifts', () => {
  // 4 weeks of values 10; the forecast (p50 per interval) is 10 − error, so error(t) is known
  const n = 4 * 14;
  const values = Array.from({ length: n + 4 }, () => 10);
  const errorAt = (t: number): number => (t % 2 === 0 ? 2 : -1) + (t >= 42 ? 3 : 0);
  const origin = n; // 56, a day start
  const points = [0, 1, 2, 3].map((i) => ({ target: origin + i, origin }));

  function shifts(residualCorrection: number, recent?: typeof DEFAULT_RECENT_ERROR_CORRECTION) {
    const history = errorHistoryPoints(values, points, SPD, historyDays(residualCorrection, recent));
    const all = points.concat(history.extra);
    const p50 = all.map((p) => values[p.target] - errorAt(p.target));
    return errorCorrectionShifts(values, points, p50, history, SPD, { residualCorrection, recent });
  }

  it('moves the first day by a share of the mean error of the day before the origin', () => {
    // day before: t = 54 (error 5), 55 (error 2): mean 3.5; second day (targets 58, 59) is not moved
    expect(shifts(0.2)).toEqual([0.2 * 3.5, 0.2 * 3.5, 0, 0].map((v) => expect.closeTo(v, 12)));
  });

  it('adds shrunk mean errors at the same hour of the week and of the day', () => {
    const recent = { weeks: 2, days: 3, pseudoCount: 1, weekShare: 0.5, dayShare: 0.25 };
    // target 56 (even): same hour last weeks t = 42 (5), 28 (2): sum 7 over 2 + 1; last days 54, 52, 50
    // (all ≥ 42: 5 each): 15 over 3 + 1
    const even = 0.5 * (7 / 3) + 0.25 * (15 / 4);
    // target 57 (odd): weeks 43 (2), 29 (−1): 1 / 3; days 55, 53, 51: 2 each, 6 / 4
    const odd = 0.5 * (1 / 3) + 0.25 * (6 / 4);
    // target 58 (second day, even): weeks 44 (5), 30 (2) → 7/3; days 56 is not before the origin, so
    // 54, 52 (5 each) → 10/3
    const second = 0.5 * (7 / 3) + 0.25 * (10 / 3);
    const got = shifts(0, recent);
    expect(got[0]).toBeCloseTo(even, 12);
    expect(got[1]).toBeCloseTo(odd, 12);
    expect(got[2]).toBeCloseTo(second, 12);
    // both corrections add up
    const both = shifts(0.2, recent);
    expect(both[0]).toBeCloseTo(even + 0.2 * 3.5, 12);
    expect(both[2]).toBeCloseTo(second, 12);
  });

  it('does not move an origin without measured history', () => {
    const first = [{ target: 1, origin: 1 }];
    const history = errorHistoryPoints([10, 10, 10], first, SPD, 1);
    const p50 = first.concat(history.extra).map(() => 7);
    expect(
      errorCorrectionShifts([10, 10, 10], first, p50, history, SPD, { residualCorrection: 0.5 }),
    ).toEqual([0]);
  });
});
