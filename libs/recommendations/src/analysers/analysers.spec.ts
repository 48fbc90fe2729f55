/**
 * Analysers on constructed profiles whose answers are worked out by hand (in the comments).
 */
import { HOURS_2021, HOUR_MS, YEAR_START, flatTariff, hourlyYear, isOfficeHour, meter, siteInput } from './__fixtures__/synthetic';
import { analyseAfterHours } from './after-hours';
import { analyseAnomalies, findAnomalyRuns } from './anomalies';
import { analyseBaseload } from './baseload';
import { inferOccupancy, hourlySeries } from './common';
import { analyseLoadShifting } from './load-shifting';
import { analysePeakDemand } from './peak-demand';
import { analysePvSizing } from './pv-sizing';
import { runAnalysers } from './run-analysers';
import { analyseTariffs } from './tariff-comparison';
import type { PeerBenchmark, TariffOption } from './types';
import { analyseWeatherSensitivity } from './weather-sensitivity';

/** Office: 32 kW weekdays 08–18, 12 kW otherwise → swing 20 kW, always-on 12 kW = 0.6 × swing (the default target). */
const office = (extraKw = 0) => hourlyYear((ts) => (isOfficeHour(ts) ? 32 : 12) + extraKw);

describe('occupancy inferred from the data', () => {
  it('finds the 50 office hours of the week', () => {
    const occ = inferOccupancy(hourlySeries(office(), 60, 'UTC'));
    expect(occ.occupied.filter(Boolean)).toHaveLength(50);
    expect(occ.occupied[8]).toBe(true); // Monday 08:00
    expect(occ.occupied[7]).toBe(false);
    expect(occ.occupied[5 * 24 + 10]).toBe(false); // Saturday 10:00
    expect(occ.swingKw).toBe(20);
  });
});

describe('baseload', () => {
  it('a well-run office (always-on load at the target) gets no suggestion', () => {
    expect(analyseBaseload(siteInput([meter(office())]))).toEqual([]);
  });

  it('a flat 5 kW extra around the clock for a year → 43,800 kWh, × factor kg, × price money', () => {
    const [s] = analyseBaseload(siteInput([meter(office(5))]));
    // 5 kW × 8,760 h = 43,800 kWh; × 0.2 kg/kWh = 8,760 kg; × £0.25 = £10,950
    expect(s.annualSavingKwh).toBeCloseTo(43_800, 6);
    expect(s.annualSavingKgCo2e).toBeCloseTo(8_760, 6);
    expect(s.annualSavingMoney).toBeCloseTo(10_950, 6);
    expect(s.evidence.numbers.excessKw).toBeCloseTo(5, 9);
    expect(s.range!.low).toBeLessThanOrEqual(s.annualSavingMoney!);
    expect(s.range!.high).toBeGreaterThanOrEqual(s.annualSavingMoney!);
    expect(s.key).toBe('baseload:s1:m1');
    expect(s.explanation).toContain('43,800 kWh');
    expect(s.confidence).toBe('high');
  });

  it('prices the always-on excess at TOU prices hour by hour', () => {
    // Night (00–07) £0.10, day £0.30, every day: 7 h × 0.10 + 17 h × 0.30 = £5.80 per kW-day → 5 kW × 365 × 5.80 = £10,585
    const tou: TariffOption = {
      id: 'tou',
      name: 'TOU',
      tariff: { type: 'time_of_use', currency: 'GBP', bands: [{ days: [1, 2, 3, 4, 5, 6, 7], fromHour: 0, toHour: 7, pricePerKwh: 0.1 }], pricePerKwh: 0.3 },
    };
    const [s] = analyseBaseload(siteInput([meter(office(5))], { tariffs: [tou] }));
    expect(s.annualSavingMoney).toBeCloseTo(10_585, 6);
  });

  it('without a tariff the money is null, not 0', () => {
    const [s] = analyseBaseload(siteInput([meter(office(5))], { tariffs: [] }));
    expect(s.annualSavingMoney).toBeNull();
    expect(s.range).toBeNull();
    expect(s.annualSavingKwh).toBeCloseTo(43_800, 6);
  });
});

describe('after-hours and schedule drift', () => {
  // Last 28 days of 2021 (Sat 4 Dec – Fri 31 Dec): weekdays 18:00–22:00 stay at 27 kW instead of 12.
  const windowStart = Date.UTC(2021, 11, 4);
  const drifted = hourlyYear((ts) => {
    const base = isOfficeHour(ts) ? 32 : 12;
    const day = ts.getUTCDay();
    const late = ts.getTime() >= windowStart && day >= 1 && day <= 5 && ts.getUTCHours() >= 18 && ts.getUTCHours() < 22;
    return late ? base + 15 : base;
  });

  it('4 extra hours × 20 weekdays × 15 kW = 1,200 kWh in 28 days → × 365/28 a year', () => {
    const [s] = analyseAfterHours(siteInput([meter(drifted)]));
    const expectedKwh = (1200 * 365) / 28; // 15,642.857…
    expect(s.evidence.numbers.excessKwhInWindow).toBeCloseTo(1200, 6);
    expect(s.annualSavingKwh).toBeCloseTo(expectedKwh, 6);
    expect(s.annualSavingKgCo2e).toBeCloseTo(expectedKwh * 0.2, 6);
    expect(s.annualSavingMoney).toBeCloseTo(expectedKwh * 0.25, 6);
    // schedule drift: 50 h/week before (the reference, 1 Jan – 3 Dec, is not whole weeks: count it), 50 + 20 = 70 h/week now
    const reference = drifted.filter((p) => p.ts.getTime() < windowStart);
    const referenceHoursPerWeek = (reference.filter((p) => isOfficeHour(p.ts)).length / reference.length) * 168;
    expect(referenceHoursPerWeek).toBeCloseTo(50, 0);
    expect(s.evidence.numbers.referenceOperatingHoursPerWeek).toBeCloseTo(referenceHoursPerWeek, 6);
    expect(s.evidence.numbers.windowOperatingHoursPerWeek).toBeCloseTo(70, 6);
    expect(s.evidence.numbers.driftHoursPerWeek).toBeCloseTo(70 - referenceHoursPerWeek, 6);
  });

  it('the unchanged office has no after-hours suggestion, and the drift is not mistaken for baseload', () => {
    expect(analyseAfterHours(siteInput([meter(office())]))).toEqual([]);
    expect(analyseBaseload(siteInput([meter(drifted)]))).toEqual([]);
  });
});

describe('peak demand (DOMAIN.md §7, §8 vector 49)', () => {
  // 15-minute kW [200, 250, 230, 215] = kWh [50, 62.5, 57.5, 53.75]; $16/kW-month.
  const start = Date.UTC(2021, 0, 4);
  const readings = [200, 250, 230, 215].map((kw, i) => ({ ts: new Date(start + i * 15 * 60_000), energyKwh: kw / 4 }));
  const demandTariff: TariffOption = { id: 'd', name: 'Demand', tariff: { type: 'flat', currency: 'USD', pricePerKwh: 0.1, demandChargePerKw: 16 } };
  const input = (capKw: number) =>
    siteInput([meter(readings, 15)], { tariffs: [demandTariff], currency: 'USD', options: { peakDemand: { capKw } } });

  it('capping all intervals at 210 kW saves $640 a month; shaving the 250 by 40 only reaches 230 and saves $320', () => {
    const [capped] = analysePeakDemand(input(210));
    expect(capped.annualSavingMoney).toBeCloseTo(640 * 12, 9); // one month of data → × 12
    const [shaved] = analysePeakDemand(input(230));
    expect(shaved.annualSavingMoney).toBeCloseTo(320 * 12, 9);
    expect(capped.annualSavingKwh).toBe(0);
    expect(capped.annualSavingKgCo2e).toBe(0);
    expect(capped.explanation).toMatch(/energy and CO2 savings are 0/);
    // energy above 210 kW: (40 + 20 + 5) kW × 0.25 h = 16.25 kWh moved, not saved
    expect(capped.evidence.numbers.energyToShiftKwh).toBeCloseTo(16.25, 9);
  });

  it('picks a cap from the data: rare spikes above a steady load are shaved, at (D_before − cap) × price a month', () => {
    // A year of 15-min data at 100 kW with ten 15-minute spikes of 200 kW each month.
    const blocks = (HOURS_2021 * 60) / 15;
    const spikes = new Set<number>();
    for (let m = 0; m < 12; m++) {
      const monthStart = (Date.UTC(2021, m, 10, 14) - YEAR_START) / (15 * 60_000);
      for (let k = 0; k < 10; k++) spikes.add(monthStart + k * 96);
    }
    const year = Array.from({ length: blocks }, (_, i) => ({ ts: new Date(YEAR_START + i * 15 * 60_000), energyKwh: (spikes.has(i) ? 200 : 100) / 4 }));
    const [s] = analysePeakDemand(siteInput([meter(year, 15)], { tariffs: [demandTariff], currency: 'USD' }));
    // 10 spikes ≤ 0.5 % of every month's ≥ 2,688 blocks → cap 100 kW → (200 − 100) × 16 × 12 = $19,200
    expect(s.annualSavingMoney).toBeCloseTo(19_200, 6);
    expect(s.range!.low).toBeLessThanOrEqual(19_200);
    expect(s.range!.high).toBeGreaterThanOrEqual(19_200);
  });

  it('no demand charge → no peak suggestion', () => {
    expect(analysePeakDemand(siteInput([meter(readings, 15)]))).toEqual([]);
  });
});

describe('load shifting', () => {
  // 10 kW 00–12, 5 kW 12–24; grid 0.5 kg/kWh 00–12, 0.2 kg/kWh 12–24; 10 % flexible.
  const load = hourlyYear((ts) => (ts.getUTCHours() < 12 ? 10 : 5));
  const intensity = hourlyYear((ts) => (ts.getUTCHours() < 12 ? 0.5 : 0.2)).map((p) => ({ ts: p.ts, kgCo2ePerKwh: p.energyKwh }));

  it('moves 12 kWh a day into the cleaner hours: 12 × (0.5 − 0.2) × 365 = 1,314 kg, 0 kWh, £0 on a flat tariff', () => {
    const [s] = analyseLoadShifting(siteInput([meter(load)], { gridIntensity: intensity }));
    expect(s.annualSavingKwh).toBe(0);
    expect(s.annualSavingKgCo2e).toBeCloseTo(1314, 6);
    expect(s.annualSavingMoney).toBeCloseTo(0, 9);
    expect(s.evidence.numbers.movedKwhPerYear).toBeCloseTo(12 * 365, 6);
  });

  it('with a TOU tariff the same move also saves 12 × (0.30 − 0.10) × 365 = £876', () => {
    const tou: TariffOption = {
      id: 'tou',
      name: 'TOU',
      tariff: { type: 'time_of_use', currency: 'GBP', bands: [{ days: [1, 2, 3, 4, 5, 6, 7], fromHour: 0, toHour: 12, pricePerKwh: 0.3 }], pricePerKwh: 0.1 },
    };
    const [s] = analyseLoadShifting(siteInput([meter(load)], { gridIntensity: intensity, tariffs: [tou] }));
    expect(s.annualSavingMoney).toBeCloseTo(876, 6);
    expect(s.annualSavingKgCo2e).toBeCloseTo(1314, 6);
  });

  it('into on-site PV surplus: 4 h × 3 kWh surplus a day self-consumed → 12 × 0.2 × 365 = 876 kg and 12 × £0.25 × 365 = £1,095', () => {
    const generation = hourlyYear((ts) => (ts.getUTCHours() >= 12 && ts.getUTCHours() < 16 ? 8 : 0));
    const [s] = analyseLoadShifting(siteInput([meter(load)], { generation: { intervalMinutes: 60, readings: generation } }));
    expect(s.evidence.numbers.movedIntoPvKwhPerYear).toBeCloseTo(12 * 365, 6);
    expect(s.annualSavingKgCo2e).toBeCloseTo(876, 6);
    expect(s.annualSavingMoney).toBeCloseTo(1095, 6);
    expect(s.annualSavingKwh).toBe(0);
  });

  it('a flat tariff, no grid profile and no PV: nothing to gain', () => {
    expect(analyseLoadShifting(siteInput([meter(load)]))).toEqual([]);
  });
});

describe('PV sizing', () => {
  // Office load over a year; flat £0.25/kWh, nothing paid for export, £1,100/kWp (the GBP default).
  const input = (latitude: number, longitude: number, extra: Parameters<typeof siteInput>[1] = {}) =>
    siteInput([meter(office())], { site: { id: 's1', timezone: 'UTC', country: 'GB', latitude, longitude }, ...extra });

  it('numbers add up: kg = self-consumed × factor, money = self-consumed × price, payback = cost ÷ money', () => {
    const [s] = analysePvSizing(input(51.5, 0));
    const n = s.evidence.numbers as Record<string, number>;
    expect(s.annualSavingKwh).toBeCloseTo(n.selfConsumedKwh, 9);
    expect(s.annualSavingKgCo2e).toBeCloseTo(n.selfConsumedKwh * 0.2, 6);
    expect(s.annualSavingMoney).toBeCloseTo(n.selfConsumedKwh * 0.25, 6);
    expect(s.costMoney).toBeCloseTo(n.kwp * 1100, 9);
    expect(s.paybackYears).toBeCloseTo(s.costMoney! / s.annualSavingMoney!, 9);
    expect(n.selfConsumedKwh + n.exportedKwh).toBeCloseTo(n.generationKwh, 6);
    expect(n.selfConsumedKwh).toBeLessThanOrEqual(n.generationKwh);
  });

  it('specific yields are in the range PVWatts gives for London (~900–1,100 kWh/kWp) and, with a desert clearness of 0.9, Phoenix (~1,600–1,900)', () => {
    const yieldOf = (s: ReturnType<typeof analysePvSizing>) => s[0].evidence.numbers.specificYieldKwhPerKwp as number;
    const london = yieldOf(analysePvSizing(input(51.5, 0)));
    expect(london).toBeGreaterThan(850);
    expect(london).toBeLessThan(1150);
    // The latitude-band default (0.75 at 25–40°) is too low for a desert: Phoenix needs the clearness passed in.
    const phoenix = yieldOf(analysePvSizing(input(33.45, -112.07, { options: { pvSizing: { clearnessFactor: 0.9 } } })));
    expect(phoenix).toBeGreaterThan(1600);
    expect(phoenix).toBeLessThan(1900);
    // generation is linear in the clearness factor
    const candidateKwp = [10];
    const at = (c: number) => yieldOf(analysePvSizing(input(33.45, -112.07, { pvEconomics: { exportPricePerKwh: 0.25 }, options: { pvSizing: { clearnessFactor: c, candidateKwp } } })));
    expect(at(0.6) / at(0.9)).toBeCloseTo(0.6 / 0.9, 9);
  });

  it('when exports earn the import price every kWh is worth the same, so the largest candidate wins; at 0 it stops earlier', () => {
    const candidateKwp = [5, 10, 20, 40, 80, 400];
    const paidExport = analysePvSizing(input(33.45, -112.07, { pvEconomics: { exportPricePerKwh: 0.25 }, options: { pvSizing: { candidateKwp } } }))[0];
    const noExport = analysePvSizing(input(33.45, -112.07, { options: { pvSizing: { candidateKwp } } }))[0];
    expect(paidExport.evidence.numbers.kwp).toBe(400);
    expect(noExport.evidence.numbers.kwp).toBeLessThan(400);
  });

  it('no suggestion for a site that already has PV or has no coordinates', () => {
    expect(analysePvSizing(siteInput([meter(office())]))).toEqual([]);
    expect(analysePvSizing(input(51.5, 0, { pvForecast: [{ ts: new Date(YEAR_START), energyKwh: 1 }] }))).toEqual([]);
  });
});

describe('weather sensitivity', () => {
  // 1,000 m² building: 500 kWh/day + 60 kWh per °F·day below 60 °F (= 108 kWh per °C·day = 0.108 kWh/m²/°C·day).
  const days = 365;
  const dailyTempC = (d: number) => 10 + 12 * Math.sin((2 * Math.PI * d) / days);
  const hddF = (d: number) => Math.max(60 - (dailyTempC(d) * 9) / 5 - 32, 0);
  const readings = hourlyYear((ts) => {
    const d = Math.floor((ts.getTime() - YEAR_START) / (24 * HOUR_MS));
    return (500 + 60 * hddF(d)) / 24;
  });
  const temperature = hourlyYear((ts) => dailyTempC(Math.floor((ts.getTime() - YEAR_START) / (24 * HOUR_MS)))).map((p) => ({ ts: p.ts, temperatureC: p.energyKwh }));
  const peers: PeerBenchmark[] = [
    {
      buildingType: 'office',
      energyType: 'electricity',
      heatingSlopeKwhPerM2DegreeDay: 0.03,
      heatingSlopeHighKwhPerM2DegreeDay: 0.05,
      coolingSlopeKwhPerM2DegreeDay: 0.02,
      coolingSlopeHighKwhPerM2DegreeDay: 0.04,
      source: 'test peers',
      assumption: false,
    },
  ];
  const input = siteInput([meter(readings)], {
    site: { id: 's1', timezone: 'UTC', country: 'GB', floorAreaM2: 1000, buildingType: 'office' },
    temperature,
    peerBenchmarks: peers,
  });

  it('recovers the slope and saves (0.108 − 0.05) × 1,000 m² × annual °C·days', () => {
    const [s] = analyseWeatherSensitivity(input);
    const ddC = Array.from({ length: days }, (_, d) => hddF(d) / 1.8).reduce((a, b) => a + b, 0);
    expect(s.evidence.numbers.slopeKwhPerM2DegreeDayC).toBeCloseTo(0.108, 9);
    expect(s.evidence.numbers.annualDegreeDaysC).toBeCloseTo(ddC, 6);
    expect(s.annualSavingKwh).toBeCloseTo((0.108 - 0.05) * 1000 * ddC, 4);
    expect(s.annualSavingKgCo2e).toBeCloseTo(s.annualSavingKwh * 0.2, 6);
    expect(s.annualSavingMoney).toBeCloseTo(s.annualSavingKwh * 0.25, 6);
    expect(s.range!.high).toBeCloseTo((0.108 - 0.03) * 1000 * ddC * 0.25, 4);
    expect(s.key).toBe('weather_sensitivity:s1:m1:heating');
  });

  it('a building at its peers’ level gets nothing', () => {
    const efficient = [{ ...peers[0], heatingSlopeKwhPerM2DegreeDay: 0.1, heatingSlopeHighKwhPerM2DegreeDay: 0.2 }];
    expect(analyseWeatherSensitivity({ ...input, peerBenchmarks: efficient })).toEqual([]);
  });
});

describe('anomalies', () => {
  // A week hourly; forecast P50 10, P90 12; actual 10 except 8 h at 20 kWh (and a 2 h blip too short to count).
  const hours = 168;
  const actual = hourlyYear((_, i) => ((i >= 50 && i < 58) || (i >= 100 && i < 102) ? 20 : 10), hours);
  const forecast = { meterId: 'm1', intervalMinutes: 60, points: actual.map((p) => ({ ts: p.ts, p50Kwh: 10, p90Kwh: 12 })) };

  it('8 h × 10 kWh above P50 = 80 kWh in 168 h → 80 × 8,760/168 a year', () => {
    const [s] = analyseAnomalies(siteInput([meter(actual)], { forecasts: [forecast] }));
    const annual = (80 * 8760) / 168; // 4,171.43
    expect(s.annualSavingKwh).toBeCloseTo(annual, 6);
    expect(s.annualSavingKgCo2e).toBeCloseTo(annual * 0.2, 6);
    expect(s.annualSavingMoney).toBeCloseTo(annual * 0.25, 6);
    expect(s.evidence.numbers.runs).toBe(1);
    expect(s.evidence.numbers.ongoing).toBe('no');
    expect(s.evidence.numbers.latestFrom).toBe(new Date(YEAR_START + 50 * HOUR_MS).toISOString());
  });

  it('runs need consecutive intervals above P90 for the minimum duration', () => {
    const pts = actual.map((p) => ({ ts: p.ts, actualKwh: p.energyKwh, p50Kwh: 10, p90Kwh: 12 }));
    expect(findAnomalyRuns(pts, 60, 2)).toHaveLength(2);
    expect(findAnomalyRuns(pts, 60, 9)).toHaveLength(0);
  });
});

describe('tariff comparison', () => {
  // A constant 10 kW for 2021: 87,600 kWh. Flat £0.20 → £17,520.
  // TOU: 07–23 £0.25 (58,400 kWh → £14,600), night £0.08 (29,200 kWh → £2,336) → £16,936: £584 cheaper.
  const load = hourlyYear(() => 10);
  const tou: TariffOption = {
    id: 'tou',
    name: 'Economy TOU',
    tariff: { type: 'time_of_use', currency: 'GBP', bands: [{ days: [1, 2, 3, 4, 5, 6, 7], fromHour: 7, toHour: 23, pricePerKwh: 0.25 }], pricePerKwh: 0.08 },
  };

  it('finds the cheaper tariff by the computed amount, with 0 kWh and 0 kg', () => {
    const [s] = analyseTariffs(siteInput([meter(load)], { tariffs: [flatTariff(0.2, { current: true }), tou] }));
    expect(s.annualSavingMoney).toBeCloseTo(584, 6);
    expect(s.annualSavingKwh).toBe(0);
    expect(s.annualSavingKgCo2e).toBe(0);
    expect(s.evidence.numbers['annualCost:flat']).toBeCloseTo(17_520, 6);
    expect(s.evidence.numbers['annualCost:tou']).toBeCloseTo(16_936, 6);
    expect(s.confidence).toBe('high');
  });

  it('a demand charge is billed each month: £2/kW × 10 kW × 12 = £240 more on the TOU → £344', () => {
    const withDemand = { ...tou, tariff: { ...tou.tariff, demandChargePerKw: 2 } };
    const [s] = analyseTariffs(siteInput([meter(load)], { tariffs: [flatTariff(0.2, { current: true }), withDemand] }));
    expect(s.annualSavingMoney).toBeCloseTo(344, 6);
  });

  it('already on the cheapest tariff: no suggestion', () => {
    expect(analyseTariffs(siteInput([meter(load)], { tariffs: [flatTariff(0.2), { ...tou, current: true }] }))).toEqual([]);
  });
});

describe('runAnalysers', () => {
  it('runs all, keys are unique and stable across runs', () => {
    const input = siteInput([meter(office(5))], {
      tariffs: [flatTariff(0.25, { current: true }), { id: 'cheap', name: 'Cheaper flat', tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.2 } }],
    });
    const first = runAnalysers(input);
    const second = runAnalysers(input);
    expect(first.failures).toEqual([]);
    const types = first.suggestions.map((s) => s.type).sort();
    expect(types).toEqual(['baseload', 'tariff']);
    expect(second.suggestions.map((s) => s.key)).toEqual(first.suggestions.map((s) => s.key));
    expect(new Set(first.suggestions.map((s) => s.key)).size).toBe(first.suggestions.length);
    // sorted by money: baseload (£10,950) before tariff (£0.05 × the year's 201,120 kWh = £10,056)
    const yearKwh = office(5).reduce((sum, p) => sum + p.energyKwh, 0);
    expect(yearKwh).toBe(201_120); // 2,610 office hours × 37 kW + 6,150 other hours × 17 kW
    expect(first.suggestions[0].type).toBe('baseload');
    expect(first.suggestions[0].annualSavingMoney).toBeCloseTo(10_950, 4);
    expect(first.suggestions[1].annualSavingMoney).toBeCloseTo(0.05 * yearKwh, 4);
  });
});
