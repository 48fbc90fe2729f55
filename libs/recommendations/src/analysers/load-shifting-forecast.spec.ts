/**
 * Load shifting with the site's net-load forecast: the coming hours' windows and figures, worked out
 * by hand in the comments.
 */
import { HOUR_MS, hourlyYear, meter, siteInput, touTariff } from './__fixtures__/synthetic';
import { analyseLoadShifting, forecastShiftPlan } from './load-shifting';
import type { NetLoadForecastPoint, SiteAnalysisInput } from './types';

// A day: 4 kWh an hour 00–06 (UTC = local), 10 kWh 06–24. Grid (marginal, used as it is) 0.2 kg/kWh
// 00–06 and 0.5 after; time-of-use 0.10 £/kWh 00–06, 0.30 after. 10 % of each hour is flexible.
const night = (ts: Date) => ts.getUTCHours() < 6;
const history = hourlyYear((ts) => (night(ts) ? 4 : 10));
const intensity = hourlyYear((ts) => (night(ts) ? 0.2 : 0.5)).map((p) => ({
  ts: p.ts,
  kgCo2ePerKwh: p.energyKwh,
}));
const tou = touTariff({ fromHour: 0, toHour: 6, pricePerKwh: 0.1 }, 0.3);
/** Monday 3 January 2022, the day after the measured year. */
const DAY = Date.UTC(2022, 0, 3);
const forecastDay = (pvKwh: (hour: number) => number): NetLoadForecastPoint[] =>
  Array.from({ length: 24 }, (_, h) => ({
    ts: new Date(DAY + h * HOUR_MS),
    loadKwh: h < 6 ? 4 : 10,
    generationKwh: pvKwh(h),
  }));
const input = (netLoadForecast?: NetLoadForecastPoint[]): SiteAnalysisInput =>
  siteInput([meter(history)], {
    gridIntensity: intensity,
    gridIntensityBasis: 'marginal',
    tariffs: [tou],
    netLoadForecast,
  });

describe('load shifting by the site net-load forecast', () => {
  it('without PV the forecast window is the clean, cheap night; a midday PV surplus moves it to midday', () => {
    // No PV: 18 day hours give 1 kWh each (10 % of 10); the night hours can take up to the day's peak,
    // 10 − 4 = 6 kWh each, the first first: 00:00, 01:00, 02:00 take 6 + 6 + 6 = 18 kWh.
    // CO2 18 × (0.5 − 0.2) = 5.4 kg; money 18 × (0.30 − 0.10) = £3.60.
    const [flat] = analyseLoadShifting(input(forecastDay(() => 0)));
    expect(flat.evidence.numbers.forecastShiftWindow).toBe('2022-01-03 00:00–03:00');
    expect(flat.evidence.numbers.forecastMovedKwh).toBeCloseTo(18, 9);
    expect(flat.evidence.numbers.forecastMovedIntoPvKwh).toBe(0);
    expect(flat.evidence.numbers.forecastKgCo2eSaved).toBeCloseTo(5.4, 9);
    expect(flat.evidence.numbers.forecastMoneySaved).toBeCloseTo(3.6, 9);

    // PV 14 kWh at 11:00, 12:00 and 13:00: surplus 14 − 10 = 4 kWh each = 12 kWh at zero carbon and the
    // export price (0); those hours import nothing, so 15 day hours give 1 kWh each = 15 kWh.
    // 12 kWh go into the PV surplus: CO2 12 × 0.5 = 6.0 kg, money 12 × 0.30 = £3.60;
    // the other 3 kWh into 00:00: CO2 3 × 0.3 = 0.9 kg, money 3 × 0.20 = £0.60.
    // Total 15 kWh, 6.9 kg, £4.20; the main window is now 11:00–14:00.
    const [sunny] = analyseLoadShifting(input(forecastDay((h) => (h >= 11 && h < 14 ? 14 : 0))));
    expect(sunny.evidence.numbers.forecastShiftWindow).toBe('2022-01-03 11:00–14:00');
    expect(sunny.evidence.numbers.forecastShiftWindows).toBe(
      '2022-01-03 11:00–14:00 (12 kWh); 2022-01-03 00:00–01:00 (3 kWh)',
    );
    expect(sunny.evidence.numbers.forecastMovedKwh).toBeCloseTo(15, 9);
    expect(sunny.evidence.numbers.forecastMovedIntoPvKwh).toBeCloseTo(12, 9);
    expect(sunny.evidence.numbers.forecastKgCo2eSaved).toBeCloseTo(6.9, 9);
    expect(sunny.evidence.numbers.forecastMoneySaved).toBeCloseTo(4.2, 9);
    expect(sunny.explanation).toContain('the best hours to move it into are 2022-01-03 11:00–14:00');
    expect(sunny.explanation).toContain('12 kWh of it into forecast PV surplus');
    expect(sunny.explanation).toContain('15 kWh moved, saving 6.9 kg CO2e and GBP 4.2 in those hours');

    // The annual figures are the measured year's, the same either way: 18 kWh a day from day to night,
    // 18 × 0.3 × 365 = 1,971 kg and 18 × 0.20 × 365 = £1,314.
    for (const s of [flat, sunny]) {
      expect(s.annualSavingKgCo2e).toBeCloseTo(1971, 6);
      expect(s.annualSavingMoney).toBeCloseTo(1314, 6);
    }
    const [none] = analyseLoadShifting(input());
    expect(none.annualSavingKgCo2e).toBeCloseTo(1971, 6);
    expect(none.evidence.numbers.forecastShiftWindow).toBeUndefined();
    expect(none.evidence.series).toEqual([]);
  });

  it('the plan’s hour-by-hour series: the net load, and what moves out (−) and in (+), balancing to 0', () => {
    const plan = forecastShiftPlan(input(forecastDay((h) => (h >= 11 && h < 14 ? 14 : 0))), 0.1, 0)!;
    expect(plan.series).toHaveLength(24);
    expect(plan.series[12].netKwh).toBe(-4);
    expect(plan.series[12].shiftedKwh).toBeCloseTo(4, 9);
    expect(plan.series[0].shiftedKwh).toBeCloseTo(3, 9);
    expect(plan.series[8].shiftedKwh).toBeCloseTo(-1, 9);
    expect(plan.series.reduce((s, p) => s + p.shiftedKwh, 0)).toBeCloseTo(0, 9);
  });

  it('no plan when nothing varies in the forecast hours (no profile, flat tariff, no generation)', () => {
    expect(
      forecastShiftPlan(siteInput([meter(history)], { netLoadForecast: forecastDay(() => 0) }), 0.1, 0),
    ).toBeNull();
  });
});
