import type { QuantileForecast } from './baselines';
import { errorHistoryPoints } from './error-correction';
import { ForecastPoint } from './features';
import {
  errorsByBlockAge,
  issuedCorrectedForecast,
  issuedErrorShifts,
  retrainingBlocks,
  trailingWindowStart,
} from './retraining-backtest';

// a "day" of 2 intervals (spd 2); day starts 0, 2, …, 20 and the series ends at 22
const SPD = 2;
const DAY_STARTS = Array.from({ length: 11 }, (_, d) => d * SPD);

describe('retrainingBlocks', () => {
  it('cuts the test window every blockDays day starts, the last block ending at the test end', () => {
    // test days start at 4 (day 2); 3-day blocks start at days 2, 5, 8 → 4, 10, 16
    expect(retrainingBlocks(DAY_STARTS, 4, 22, 3)).toEqual([
      { start: 4, end: 10 },
      { start: 10, end: 16 },
      { start: 16, end: 22 },
    ]);
    // 4-day blocks start at days 2, 6, 10 → 4, 12, 20: the last is one day long
    expect(retrainingBlocks(DAY_STARTS, 4, 22, 4)).toEqual([
      { start: 4, end: 12 },
      { start: 12, end: 20 },
      { start: 20, end: 22 },
    ]);
    // a block longer than the window: one block, the one-model backtest
    expect(retrainingBlocks(DAY_STARTS, 4, 22, 400)).toEqual([{ start: 4, end: 22 }]);
  });

  it('refuses a test start that is not a day start and a block length that is not a positive integer', () => {
    expect(() => retrainingBlocks(DAY_STARTS, 5, 22, 3)).toThrow(/not a day start/);
    expect(() => retrainingBlocks(DAY_STARTS, 4, 22, 0)).toThrow(/positive integer/);
    expect(() => retrainingBlocks(DAY_STARTS, 4, 22, 1.5)).toThrow(/positive integer/);
  });
});

describe('trailingWindowStart', () => {
  it('is the day start `days` days before the block, or 0 when the series is shorter', () => {
    // block at 10 (day 5): 3 days before is day 2 → 4; 5 days before is day 0 → 0; 7 days: before the series
    expect(trailingWindowStart(DAY_STARTS, 10, 3)).toBe(4);
    expect(trailingWindowStart(DAY_STARTS, 10, 5)).toBe(0);
    expect(trailingWindowStart(DAY_STARTS, 10, 7)).toBe(0);
    expect(() => trailingWindowStart(DAY_STARTS, 11, 3)).toThrow(/not a day start/);
  });
});

// measured 10 everywhere; the day forecast from origin 6 (targets 6, 7) and the errors of yesterday at
// the same hour: shift = error(target − 2) (one day, no shrinkage, no weekly term)
const VALUES = new Array<number>(8).fill(10);
const POINTS: ForecastPoint[] = [
  { target: 6, origin: 6 },
  { target: 7, origin: 6 },
];
const YESTERDAY = {
  residualCorrection: 0,
  recent: { weeks: 1, days: 1, pseudoCount: 0, weekShare: 0, dayShare: 1 },
};
// the current model's uncorrected medians by target: errors 10 − 8 = 2 at 4 and 10 − 9 = 1 at 5
const OWN: Record<number, number> = { 2: 7, 3: 7, 4: 8, 5: 9, 6: 9, 7: 0.5 };
// the issued forecasts of 4 and 5: errors 10 − 11 = −1 and 10 − 10.5 = −0.5
const ISSUED = Object.assign(new Array<number>(8).fill(Number.NaN), { 4: 11, 5: 10.5 });

describe('issuedErrorShifts', () => {
  // the history of a week (7 days) before origin 6: days [4, 6) and [2, 4) ([0, 2) is the first day)
  const history = errorHistoryPoints(VALUES, POINTS, SPD, 7);
  const ownP50 = POINTS.concat(history.extra).map((p) => OWN[p.target]);

  it("reads the issued forecasts' errors before the block start and the model's own after it", () => {
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, ISSUED, 6, SPD, YESTERDAY)).toEqual([-1, -0.5]);
    // block start 5: only interval 4 was issued before it
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, ISSUED, 5, SPD, YESTERDAY)).toEqual([-1, 1]);
    // block start 0: the model's own errors, as LoadModel.predictPoints
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, ISSUED, 0, SPD, YESTERDAY)).toEqual([2, 1]);
  });

  it("keeps the model's own error where no forecast was issued", () => {
    const only4 = Object.assign(new Array<number>(8).fill(Number.NaN), { 4: 11 });
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, only4, 6, SPD, YESTERDAY)).toEqual([-1, 1]);
  });

  it("moves the residual correction's day-before mean too", () => {
    // 0.5 × the mean error of [4, 6): issued (−1 − 0.5)/2 = −0.75 → −0.375; own (2 + 1)/2 = 1.5 → 0.75
    const residual = { residualCorrection: 0.5 };
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, ISSUED, 6, SPD, residual)).toEqual([
      -0.375, -0.375,
    ]);
    expect(issuedErrorShifts(VALUES, POINTS, ownP50, history, ISSUED, 0, SPD, residual)).toEqual([
      0.75, 0.75,
    ]);
  });
});

describe('issuedCorrectedForecast', () => {
  // uncorrected quantiles: median OWN[target], band ± 1
  const asked: number[] = [];
  const predictRaw = (pts: readonly ForecastPoint[]): QuantileForecast => {
    asked.push(pts.length);
    const p50 = pts.map((p) => OWN[p.target]);
    return { p10: p50.map((m) => m - 1), p50, p90: p50.map((m) => m + 1) };
  };

  it('shifts the three quantiles of the asked points by the issued errors and clips them at 0', () => {
    asked.length = 0;
    const q = issuedCorrectedForecast(VALUES, POINTS, predictRaw, ISSUED, 6, SPD, YESTERDAY);
    // one call for the 2 points and the 4 measured intervals of their history
    expect(asked).toEqual([6]);
    // target 6: 8, 9, 10 shifted by −1; target 7: −0.5, 0.5, 1.5 shifted by −0.5 → −1 (0), 0, 1
    expect(q).toEqual({ p10: [7, 0], p50: [8, 0], p90: [9, 1] });
  });

  it('is the uncorrected forecast when the model corrects nothing', () => {
    const q = issuedCorrectedForecast(VALUES, POINTS, predictRaw, ISSUED, 6, SPD, { residualCorrection: 0 });
    expect(q).toEqual({ p10: [8, -0.5], p50: [9, 0.5], p90: [10, 1.5] });
  });
});

describe('errorsByBlockAge', () => {
  it("splits the later blocks' squared median errors and band hits into their first days and the rest", () => {
    const blocks = [
      { start: 0, end: 6 },
      { start: 6, end: 12 },
      { start: 12, end: 16 },
    ];
    const points = [0, 6, 7, 8, 9, 12, 14].map((t) => ({ target: t, origin: t - (t % SPD) }));
    const actual = new Array<number>(points.length).fill(10);
    const p50 = [4, 9, 12, 10, 7, 13, 11];
    // bands p50 ± 1.5 hold 10 where |error| ≤ 1.5: targets 6 (9) and 8, 14 (10, 11); 12 and 9 miss
    const forecast = { p10: p50.map((m) => m - 1.5), p50, p90: p50.map((m) => m + 1.5) };
    // first day of blocks 2 and 3 (origins 6 and 12): errors −1, 2, 3 → 1 + 4 + 9, one in the band;
    // rest (origins 8, 14): errors 0, −3, 1 → 0 + 9 + 1, two in the band; the first block (target 0) in neither
    expect(errorsByBlockAge(points, actual, forecast, blocks, 1, SPD)).toEqual({
      firstDays: { sse: 14, n: 3, covered: 1 },
      rest: { sse: 10, n: 3, covered: 2 },
    });
  });
});
