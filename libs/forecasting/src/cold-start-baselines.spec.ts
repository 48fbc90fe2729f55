import { dayTypeProfileForecast, persistenceForecast } from './cold-start-baselines';

describe('cold-start baselines, on hand-made windows', () => {
  const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('previous-day persistence repeats the last day of the window, walking back a day over a gap', () => {
    const history = ramp(48);
    history[24 + 3] = Number.NaN;
    const f = persistenceForecast(history, 24, 24);
    expect(f[0]).toBe(24);
    expect(f[23]).toBe(47);
    expect(f[3]).toBe(3); // hour 3 of the last day missing: the day before's hour 3
  });

  it('previous-week persistence repeats the week, and falls back to the window mean when nothing is left', () => {
    const history = ramp(168);
    expect(persistenceForecast(history, 24, 168)).toEqual(ramp(24));
    const sparse = new Array<number>(168).fill(Number.NaN);
    sparse[100] = 8;
    sparse[101] = 4;
    expect(persistenceForecast(sparse, 2, 168)).toEqual([6, 6]);
  });

  it('the hour × day-type regression is the mean of each cell, then of the hour', () => {
    // day 0 and day 2 working (10 + h and 20 + h), day 1 off (100 + h)
    const history = [
      ...ramp(24).map((h) => 10 + h),
      ...ramp(24).map((h) => 100 + h),
      ...ramp(24).map((h) => 20 + h),
    ];
    const historyHour = [...ramp(24), ...ramp(24), ...ramp(24)];
    const historyOffDay = [...new Array(24).fill(0), ...new Array(24).fill(1), ...new Array(24).fill(0)];
    const f = dayTypeProfileForecast(history, {
      historyHour,
      historyOffDay,
      targetHour: [5, 5],
      targetOffDay: [0, 1],
    });
    expect(f).toEqual([(15 + 25) / 2, 105]);
    // no off day in the window: the hour's mean over all days
    const g = dayTypeProfileForecast(history.slice(48), {
      historyHour: ramp(24),
      historyOffDay: new Array(24).fill(0),
      targetHour: [7],
      targetOffDay: [1],
    });
    expect(g).toEqual([27]);
  });
});
