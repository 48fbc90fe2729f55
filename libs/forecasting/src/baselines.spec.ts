import {
  caltrackTemperatureFeatures,
  fitHourOfWeekRecentLoad,
  fitHourOfWeekTemperature,
  fitSeasonalNaive,
  leastSquares,
  mergeSparseBins,
  trainingScale,
} from './baselines';
import { calendarInfo, dayAheadPoints } from './features';
import { cvRmse } from './metrics';
import { MeterSeries } from './series';

const weeks = 8;
const n = 24 * 7 * weeks;
const start = Date.UTC(2017, 0, 2); // a Monday
const profile = (i: number): number =>
  100 + 40 * Math.sin((2 * Math.PI * (i % 24)) / 24) + (Math.floor(i / 24) % 7 >= 5 ? -30 : 0);

function setup(values: number[], temperatureC?: number[]) {
  const series: MeterSeries = {
    startMs: start,
    intervalMinutes: 60,
    valuesKwh: values,
    timeZone: 'UTC',
    temperatureC,
  };
  const calendar = calendarInfo(series, values.length);
  const split = 24 * 7 * 6;
  const train = dayAheadPoints(calendar, 0, split, values.length).filter((p) => p.target < split);
  const test = dayAheadPoints(calendar, split, values.length, values.length);
  const actual = test.map((p) => values[p.target]);
  return { series, calendar, train, test, actual };
}

describe('baselines on constructed series', () => {
  it('seasonal naive is exact on a weekly-periodic series', () => {
    const { series, calendar, train, test, actual } = setup(Array.from({ length: n }, (_, i) => profile(i)));
    const f = fitSeasonalNaive(series, calendar, train).forecast(series, calendar, test);
    expect(cvRmse(actual, f.p50)).toBeCloseTo(0, 10);
  });

  it('hour-of-week + temperature recovers a linear cooling slope above 18.33 °C', () => {
    const temps = Array.from({ length: n }, (_, i) => 15 + 10 * Math.sin(i / 37) + 5 * Math.sin(i / 11));
    const values = temps.map((t, i) => profile(i) + 3 * Math.max(t - 18.33, 0));
    const { series, calendar, train, test, actual } = setup(values, temps);
    const f = fitHourOfWeekTemperature(series, calendar, train).forecast(series, calendar, test);
    expect(cvRmse(actual, f.p50)).toBeLessThan(0.01);
  });

  it('hour-of-week + recent load is exact (up to the ridge) on a weekly-periodic series', () => {
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(profile(i));
    const { series, calendar, train, test, actual } = setup(values);
    const f = fitHourOfWeekRecentLoad(series, calendar, train).forecast(series, calendar, test);
    expect(cvRmse(actual, f.p50)).toBeLessThan(1e-3);
    for (let i = 0; i < f.p50.length; i++) expect(f.p10[i]).toBeLessThanOrEqual(f.p90[i]);
  });
});

describe('baseline levels come from training data only (issue 16)', () => {
  it('the fallback level is the training mean, not the whole series', () => {
    // 6 training weeks at 10 kWh, 2 test weeks at 1000 kWh: whole-series mean (6·10 + 2·1000)/8 = 257.5, training mean 10.
    const values = Array.from({ length: n }, (_, i) => (i < 24 * 7 * 6 ? 10 : 1000));
    const { series, train } = setup(values);
    expect(trainingScale(series, train)).toBe(10);
  });
});

describe('CalTRACK temperature features (DOMAIN.md §8, vectors 11–13, °F bins)', () => {
  const binsF = [30, 45, 55, 65, 75, 90];
  it('splits a temperature into bin segments that sum to it', () => {
    expect(caltrackTemperatureFeatures(40, binsF)).toEqual([30, 10, 0, 0, 0, 0, 0]);
    expect(caltrackTemperatureFeatures(100, binsF)).toEqual([30, 15, 10, 10, 10, 15, 10]);
    expect(caltrackTemperatureFeatures(20, binsF)).toEqual([20, 0, 0, 0, 0, 0, 0]);
  });

  it('merges bins holding fewer than 20 hours', () => {
    const temps = [...new Array(100).fill(10), ...new Array(5).fill(40), ...new Array(100).fill(60)];
    const merged = mergeSparseBins(temps, binsF);
    expect(merged.length).toBeLessThan(binsF.length);
  });
});

describe('leastSquares', () => {
  it('recovers exact coefficients', () => {
    const rows = 50;
    const x = new Float64Array(rows * 3);
    const y: number[] = [];
    for (let r = 0; r < rows; r++) {
      x[r * 3] = 1;
      x[r * 3 + 1] = r;
      x[r * 3 + 2] = (r * r) % 7;
      y.push(2 + 0.5 * r - 3 * ((r * r) % 7));
    }
    const beta = leastSquares(x, y, 3, 0);
    expect(beta[0]).toBeCloseTo(2, 6);
    expect(beta[1]).toBeCloseTo(0.5, 6);
    expect(beta[2]).toBeCloseTo(-3, 6);
  });
});
