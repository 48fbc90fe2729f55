/**
 * End-to-end on real buildings (committed fixtures, see each file's SOURCE): the analysers
 * produce sensible suggestions whose numbers add up (kWh × factor = kg CO2e; kWh × price = money).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEmissionFactors, loadGridIntensityProfile } from '@halve/carbon';
import { DateTime } from 'luxon';
import { gridIntensityFromProfile } from './grid-intensity';
import { runAnalysers } from './run-analysers';
import type { EnergyPoint, SiteAnalysisInput, Suggestion, TariffOption } from './types';

const METERING = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'metering');
const factors = loadEmissionFactors();
const factorOf = (id: string) => {
  const f = factors.find((x) => x.id === id);
  if (!f) throw new Error(`factor ${id} not found`);
  return { kgCo2ePerKwh: Number(f.kgCo2ePerUnit), source: `${f.source} ${f.edition} (${f.id})` };
};

/** Robin_office_Serena (BDG2, London, 2,833 m²), 2017. */
function robinOffice(): EnergyPoint[] {
  return readFileSync(join(METERING, 'bdg2-robin-office-serena.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('2017'))
    .map((l) => {
      const [ts, kwh] = l.split(',');
      return {
        ts: DateTime.fromFormat(ts, 'yyyy-MM-dd HH:mm:ss', { zone: 'Europe/London' }).toJSDate(),
        energyKwh: Number(kwh),
      };
    });
}

/** UnivDorm_Prince (BDG1, New York, 8,144 m²), 2015, with outdoor temperature. */
function dorm(): { readings: EnergyPoint[]; temperature: { ts: Date; temperatureC: number }[] } {
  const rows = readFileSync(join(__dirname, '..', 'mv', '__fixtures__', 'univdorm-prince-2015.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const readings: EnergyPoint[] = [];
  const temperature: { ts: Date; temperatureC: number }[] = [];
  for (const l of rows) {
    const [local, kwh, t] = l.split(',');
    const ts = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: 'America/New_York' }).toJSDate();
    readings.push({ ts, energyKwh: Number(kwh) });
    if (t !== '') temperature.push({ ts, temperatureC: Number(t) });
  }
  return { readings, temperature };
}

/** UCI steel plant (Gwangyang, Korea), January 2018, 15-min kWh; rows are interval ends, midnight rows carry the previous day's date. */
function steel(): EnergyPoint[] {
  return readFileSync(join(METERING, 'uci-steel-2018-01.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [date, kwh] = l.split(',');
      let end = DateTime.fromFormat(date, 'dd/MM/yyyy HH:mm', { zone: 'Asia/Seoul' });
      if (end.hour === 0 && end.minute === 0) end = end.plus({ days: 1 });
      return { ts: end.minus({ minutes: 15 }).toJSDate(), energyKwh: Number(kwh) };
    });
}

const gb = factorOf('desnz-2024:electricity_grid:GB:2024:kwh');
const nyup = factorOf('epa-hub-2024:electricity_grid:NYUP:2022:kwh');

/** kWh × factor = kg; on a flat tariff kWh × price = money; the range holds the central value; moves have 0 kWh. */
function expectNumbersAddUp(s: Suggestion, kgPerKwh: number, flatPrice: number) {
  if (['peak_demand', 'tariff', 'load_shifting'].includes(s.type)) {
    expect(s.annualSavingKwh).toBe(0);
  } else {
    expect(s.annualSavingKwh).toBeGreaterThan(0);
    expect(s.annualSavingKgCo2e).toBeCloseTo(s.annualSavingKwh * kgPerKwh, 6);
    expect(s.annualSavingMoney!).toBeCloseTo(s.annualSavingKwh * flatPrice, 6);
  }
  if (s.range) {
    expect(s.range.low).toBeLessThanOrEqual(s.annualSavingMoney! + 1e-9);
    expect(s.range.high).toBeGreaterThanOrEqual(s.annualSavingMoney! - 1e-9);
  }
  expect(s.explanation.length).toBeGreaterThan(80);
  expect(s.key.startsWith(`${s.type}:${s.siteId}:`)).toBe(true);
}

describe('real London office (Robin_office_Serena, BDG2, 2017; DESNZ 2024 UK factor)', () => {
  const readings = robinOffice();
  const tariffs: TariffOption[] = [
    {
      id: 'flat',
      name: 'Fixed 25p',
      current: true,
      tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.25 },
    },
    {
      id: 'e7',
      name: 'Economy 7 style',
      tariff: {
        type: 'time_of_use',
        currency: 'GBP',
        bands: [{ days: [1, 2, 3, 4, 5, 6, 7], fromHour: 0, toHour: 7, pricePerKwh: 0.15 }],
        pricePerKwh: 0.28,
      },
    },
  ];
  const input: SiteAnalysisInput = {
    site: {
      id: 'robin',
      timezone: 'Europe/London',
      country: 'GB',
      latitude: 51.5188,
      longitude: -0.1346,
      floorAreaM2: 2833.1,
      buildingType: 'office',
    },
    meters: [{ id: 'main', name: 'Main incomer', intervalMinutes: 60, readings }],
    tariffs,
    emissionFactor: gb,
    currency: 'GBP',
  };
  const { suggestions, failures } = runAnalysers(input);
  const byType = new Map(suggestions.map((s) => [s.type, s]));
  const yearKwh = readings.reduce((sum, r) => sum + r.energyKwh, 0);

  it('fixture: 8,760 hours of 2017, ≈ 467 MWh', () => {
    expect(readings).toHaveLength(8760);
    expect(yearKwh).toBeGreaterThan(440_000);
    expect(yearKwh).toBeLessThan(480_000);
    expect(failures).toEqual([]);
    expect(gb.kgCo2ePerKwh).toBeCloseTo(0.20705, 6);
  });

  it('every suggestion adds up (kWh × 0.20705 = kg; kWh × £0.25 = £)', () => {
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expectNumbersAddUp(s, gb.kgCo2ePerKwh, 0.25);
  });

  it('baseload: nights and weekends at ~41 kW against ~83 kW in use (0.49) is a typical office (0.5): no suggestion', () => {
    expect(byType.has('baseload')).toBe(false);
  });

  it('baseload held to the better offices (ratio 0.35): the excess, counted hour by hour, stays within 5–15 % of the year', () => {
    const [s] = runAnalysers({ ...input, options: { baseload: { targetRatio: 0.35 } } }, [
      'baseload',
    ]).suggestions;
    const n = s.evidence.numbers as Record<string, number>;
    expect(n.baseloadKw).toBeGreaterThan(30);
    expect(n.baseloadKw).toBeLessThan(n.occupiedKw);
    expect(n.baseloadKw / n.occupiedKw).toBeCloseTo(0.49, 2);
    expect(n.occupiedHoursPerWeek).toBeGreaterThanOrEqual(40);
    expect(n.occupiedHoursPerWeek).toBeLessThanOrEqual(70);
    // never more than the excess in every hour of the year
    expect(s.annualSavingKwh).toBeLessThanOrEqual(n.excessKw * 8760 + 1e-6);
    // the year's use as the analyser scales it (8,759 complete UTC hours: the spring clock change drops one) ≈ the file's total
    expect(Math.abs(n.annualUseKwh / yearKwh - 1)).toBeLessThan(0.001);
    expect(s.annualSavingKwh / yearKwh).toBeGreaterThan(0.05);
    // (0.49 − 0.35) × ~83 kW ≈ 11.6 kW × 8,760 h ≈ 22 % of the year: held at the 15 % ceiling
    expect(s.annualSavingKwh / n.annualUseKwh).toBeCloseTo(0.15, 9);
    expectNumbersAddUp(s, gb.kgCo2ePerKwh, 0.25);
  });

  it('PV: London yield ≈ 900–1,000 kWh/kWp, within the roof, mostly self-consumed, payback within the system life', () => {
    const s = byType.get('pv_sizing')!;
    const n = s.evidence.numbers as Record<string, number>;
    expect(n.specificYieldKwhPerKwp).toBeGreaterThan(850);
    expect(n.specificYieldKwhPerKwp).toBeLessThan(1050);
    expect(n.systemSizeKwp).toBeLessThanOrEqual(n.roofLimitKwp);
    expect(n.selfConsumedKwh).toBeLessThan(yearKwh);
    expect(s.paybackYears!).toBeGreaterThan(2);
    expect(s.paybackYears!).toBeLessThan(25);
    expect(s.costMoney!).toBeCloseTo(n.systemSizeKwp * 1100, 6);
  });

  it('an office that runs by day is not moved to a night-cheap tariff (the flat one is cheaper for this profile)', () => {
    expect(byType.has('tariff')).toBe(false);
    expect(byType.has('peak_demand')).toBe(false); // no demand charge entered
  });
});

describe('real New York dormitory (UnivDorm_Prince, BDG1, 2015; eGRID2022 NYUP factor)', () => {
  const d = dorm();
  const base: SiteAnalysisInput = {
    site: {
      id: 'dorm',
      timezone: 'America/New_York',
      country: 'US',
      floorAreaM2: 8144,
      buildingType: 'dormitory',
    },
    meters: [{ id: 'main', intervalMinutes: 60, readings: d.readings }],
    temperature: d.temperature,
    tariffs: [
      {
        id: 'flat',
        name: 'Flat 15c',
        current: true,
        tariff: { type: 'flat', currency: 'USD', pricePerKwh: 0.15 },
      },
    ],
    emissionFactor: nyup,
    currency: 'USD',
  };

  it('a building occupied around the clock gets no baseload or after-hours suggestion', () => {
    const { suggestions, failures } = runAnalysers(base, ['baseload', 'after_hours']);
    expect(failures).toEqual([]);
    expect(suggestions).toEqual([]);
  });

  it('weather sensitivity: this dorm’s electricity barely follows the weather (daily R² ≈ 0.05), so even strict peers raise nothing', () => {
    const strict = [
      {
        buildingType: 'dormitory',
        energyType: 'electricity' as const,
        heatingSlopeKwhPerM2DegreeDay: 0.00005,
        heatingSlopeHighKwhPerM2DegreeDay: 0.0001,
        coolingSlopeKwhPerM2DegreeDay: 0.00005,
        coolingSlopeHighKwhPerM2DegreeDay: 0.0001,
        source: 'test peers',
        assumption: false,
      },
    ];
    // Its CalTRACK daily fit: hdd_only, ≈ 1.46 kWh/°F·day = 0.0003 kWh/m²/°C·day, R² ≈ 0.05 (weather explains ~5 %).
    expect(runAnalysers({ ...base, peerBenchmarks: strict }, ['weather_sensitivity']).suggestions).toEqual(
      [],
    );
  });

  it('with the default (assumed) peers this dorm is not far above them', () => {
    expect(runAnalysers(base, ['weather_sensitivity']).suggestions).toEqual([]);
  });

  it('load shifting by an hourly grid profile (PJM 2022 as a stand-in: NYISO is not shipped) saves CO2, not kWh', () => {
    const profile = gridIntensityFromProfile(loadGridIntensityProfile('US-PJM', 2022));
    const { suggestions } = runAnalysers({ ...base, gridIntensity: profile }, ['load_shifting']);
    expect(suggestions).toHaveLength(1);
    const s = suggestions[0];
    expectNumbersAddUp(s, nyup.kgCo2ePerKwh, 0.15);
    expect(s.annualSavingKgCo2e).toBeGreaterThan(0);
    // flat tariff: moving energy between hours changes nothing on the bill
    expect(s.annualSavingMoney).toBeCloseTo(0, 6);
    // each kWh moves from a dirtier to a cleaner hour of the same day: the CO2 saved per kWh moved is below the profile's spread
    const n = s.evidence.numbers as Record<string, number>;
    const values = profile.map((p) => p.kgCo2ePerKwh);
    expect(s.annualSavingKgCo2e / n.movedKwhPerYear).toBeLessThan(Math.max(...values) - Math.min(...values));
  });
});

describe('real steel plant (UCI, Gwangyang, January 2018, 15-min): peak demand', () => {
  const readings = steel();
  const price = 8320; // ✘ an illustrative KRW per kW-month, not a quoted KEPCO rate
  const input: SiteAnalysisInput = {
    site: { id: 'steel', timezone: 'Asia/Seoul', country: 'KR' },
    meters: [{ id: 'plant', intervalMinutes: 15, readings }],
    tariffs: [
      {
        id: 'ind',
        name: 'Industrial',
        tariff: { type: 'flat', currency: 'KRW', pricePerKwh: 110, demandChargePerKw: price },
      },
    ],
    emissionFactor: { kgCo2ePerKwh: 0.459, source: 'Korea grid ~0.459 t/MWh (implied by the dataset)' },
    currency: 'KRW',
  };
  const { suggestions } = runAnalysers(input, ['peak_demand']);

  it('fixture: 31 × 96 quarter-hours, the last one ending at midnight on 1 February', () => {
    expect(readings).toHaveLength(2976);
    expect(readings[2975].ts.toISOString()).toBe('2018-01-31T14:45:00.000Z');
  });

  it('saving = (D_max − cap) × price × 12, the cap leaves ≤ 0.5 % of quarter-hours above it, 0 kWh', () => {
    expect(suggestions).toHaveLength(1);
    const s = suggestions[0];
    const kw = readings.map((r) => r.energyKwh * 4);
    const dMax = Math.max(...kw);
    const n = s.evidence.numbers as Record<string, number>;
    expect(n.maxDemandKw).toBeCloseTo(dMax, 9);
    const cap = dMax - n.meanShaveKw;
    expect(s.annualSavingMoney!).toBeCloseTo((dMax - cap) * price * 12, 3);
    expect(kw.filter((p) => p > cap).length).toBeLessThanOrEqual(0.005 * kw.length);
    const shaved = kw.filter((p) => p > cap).reduce((sum, p) => sum + (p - cap) / 4, 0);
    expect(n.energyToShiftKwh).toBeCloseTo(shaved, 6);
    expect(s.annualSavingKwh).toBe(0);
    expect(s.annualSavingKgCo2e).toBe(0);
    // the cap is a modest trim of a real peak, not a redesign of the plant
    expect(n.meanShaveKw).toBeLessThan(0.2 * dMax);
  });
});
