import { NoReadingsError, chooseMethod, scoreForecast, seasonalMaeScale } from './backtest';
import { MeterSeries } from './series';
import { loadFixtureSeries } from './testing/fixture';

describe('scoreForecast', () => {
  it('scores a perfect forecast as zero error and full coverage', () => {
    const y = [1, 2, 3, 4];
    const s = scoreForecast(y, { p10: y.map((v) => v - 1), p50: y, p90: y.map((v) => v + 1) }, 1);
    expect(s.cvRmse).toBe(0);
    expect(s.nmbe).toBe(0);
    expect(s.mape).toBe(0);
    expect(s.coverageP10P90).toBe(1);
  });

  it('returns null MAPE when an actual is zero', () => {
    const s = scoreForecast([0, 2], { p10: [0, 1], p50: [0.5, 2], p90: [1, 3] }, 1);
    expect(s.mape).toBeNull();
  });

  it('uses the seasonal-naive MAE as MASE scale (DOMAIN.md §8 vector 2)', () => {
    expect(seasonalMaeScale([10, 20, 30, 12, 22, 32, 11, 21, 31], 3)).toBeCloseTo(1.5, 10);
  });
});

describe('chooseMethod (cold start)', () => {
  const full = loadFixtureSeries();

  it('refuses a meter without readings', async () => {
    const empty: MeterSeries = { ...full, valuesKwh: new Array(48).fill(Number.NaN) };
    await expect(chooseMethod(empty)).rejects.toBeInstanceOf(NoReadingsError);
  });

  it('uses the generic model under four weeks', async () => {
    const twoWeeks: MeterSeries = { ...full, valuesKwh: full.valuesKwh.slice(0, 24 * 14) };
    const choice = await chooseMethod(twoWeeks);
    expect(choice.method).toBe('generic');
    expect(choice.historyDays).toBe(14);
  });

  it('backtests a per-meter model from four weeks and picks model or the best baseline', async () => {
    const choice = await chooseMethod(full, { backtestDays: 7 });
    expect(['model', 'baseline']).toContain(choice.method);
    expect(choice.backtest?.days).toBe(7);
    if (choice.method === 'model') expect(choice.artifact).toBeDefined();
    else expect(choice.baseline).toBe(choice.backtest?.bestBaseline);
  }, 120_000);
});
