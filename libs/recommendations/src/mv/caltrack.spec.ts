import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TOWT_BIN_EDGES_C,
  TOWT_BIN_EDGES_F,
  type TowtRow,
  celsiusToFahrenheit,
  fahrenheitToCelsius,
  fitCaltrackDaily,
  fitTowt,
  interpolateTemperatureGaps,
  localHourOfWeek,
  meanCoolingDegreeDays,
  meanHeatingDegreeDays,
  mergeSparseTemperatureBins,
  predictCaltrackDaily,
  predictTowt,
  temperatureBinFeatures,
  temperatureBinFeaturesC,
  towtAnnualModelCheck,
} from './caltrack';

describe('TOWT temperature-bin features — DOMAIN.md §8 vectors 11–13', () => {
  it.each([
    [40, [30, 10, 0, 0, 0, 0, 0]],
    [100, [30, 15, 10, 10, 10, 15, 10]],
    [20, [20, 0, 0, 0, 0, 0, 0]],
  ])('T = %p °F → %p', (t, expected) => {
    const features = temperatureBinFeatures(t, TOWT_BIN_EDGES_F);
    expect(features).toHaveLength(7);
    features.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('features sum to T, including on bin edges', () => {
    for (const t of [-10, 30, 45, 47.5, 65, 90, 90.01, 120]) {
      expect(temperatureBinFeatures(t, TOWT_BIN_EDGES_F).reduce((s, v) => s + v, 0)).toBeCloseTo(t, 12);
    }
    // At an edge the lower bin takes it: 45 → (30, 15, 0, …).
    expect(temperatureBinFeatures(45, TOWT_BIN_EDGES_F).slice(0, 3)).toEqual([30, 15, 0]);
  });

  it('°C edges and features are the °F ones converted', () => {
    const expectedC = [-1.11, 7.22, 12.78, 18.33, 23.89, 32.22];
    TOWT_BIN_EDGES_C.forEach((e, i) => expect(e).toBeCloseTo(expectedC[i], 2));
    // Vector 12 in °C: each bin width scales by 5/9, the first and last shift with the origin.
    const tC = fahrenheitToCelsius(100);
    const f = temperatureBinFeaturesC(tC);
    expect(f[0]).toBeCloseTo(fahrenheitToCelsius(30), 10);
    expect(f[1]).toBeCloseTo((15 * 5) / 9, 10);
    expect(f[6]).toBeCloseTo((10 * 5) / 9, 10);
    expect(celsiusToFahrenheit(tC)).toBeCloseTo(100, 12);
  });
});

describe('bin merging', () => {
  it('keeps bins with ≥ 20 hours, merges a sparse middle bin upwards and a sparse last bin downwards', () => {
    const temps = [
      ...Array(20).fill(20),
      ...Array(20).fill(40),
      ...Array(5).fill(50),
      ...Array(20).fill(60),
      ...Array(3).fill(95),
    ];
    // Bins: ≤30: 20, (30,45]: 20, (45,55]: 5 → drop 55, (55,65]: 20, (65,75]: 0 → drop 75, (75,90]: 0 → drop 90,
    // >90: 3 → drop 90 (its lower edge). Next pass: (45,65]: 25, (65,∞): 3 → drop 65.
    expect(mergeSparseTemperatureBins(temps, TOWT_BIN_EDGES_F, 20)).toEqual([30, 45]);
  });

  it('returns the edges unchanged when every bin is populated, and [] for no data', () => {
    const temps = [20, 40, 50, 60, 70, 80, 95].flatMap((t) => Array(20).fill(t));
    expect(mergeSparseTemperatureBins(temps, TOWT_BIN_EDGES_F)).toEqual([...TOWT_BIN_EDGES_F]);
    expect(mergeSparseTemperatureBins([], TOWT_BIN_EDGES_F)).toEqual([]);
  });
});

describe('hour of week', () => {
  it('pins Monday 00:00 local = 0 and Sunday 23:00 = 167', () => {
    expect(localHourOfWeek(new Date('2024-01-01T00:00:00Z'), 'UTC')).toBe(0); // a Monday
    expect(localHourOfWeek(new Date('2024-01-07T23:00:00Z'), 'UTC')).toBe(167);
    // 2015-03-02 00:00 in Phoenix (UTC−7) is 07:00 UTC.
    expect(localHourOfWeek(new Date('2015-03-02T07:00:00Z'), 'America/Phoenix')).toBe(0);
    expect(localHourOfWeek(new Date('2015-03-02T06:00:00Z'), 'America/Phoenix')).toBe(167);
  });
});

describe('temperature gap interpolation', () => {
  it('fills gaps of ≤ 6 h linearly, leaves longer and edge gaps missing', () => {
    expect(interpolateTemperatureGaps([10, null, null, 16])).toEqual([10, 12, 14, 16]);
    const long = [0, ...Array(7).fill(null), 8];
    expect(interpolateTemperatureGaps(long)).toEqual(long);
    const six = interpolateTemperatureGaps([0, ...Array(6).fill(null), 7]);
    expect(six).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(interpolateTemperatureGaps([null, 1, Number.NaN, 3, null])).toEqual([null, 1, 2, 3, null]);
  });
});

describe('degree days — DOMAIN.md §8 vector 14', () => {
  it('[60, 70, 50] at 65: mean HDD 6.6667, mean CDD 1.6667', () => {
    expect(meanHeatingDegreeDays([60, 70, 50], 65)).toBeCloseTo(6.6667, 4);
    expect(meanCoolingDegreeDays([60, 70, 50], 65)).toBeCloseTo(1.6667, 4);
  });
});

/** A year of daily mean temperatures between about 25 °F and 95 °F. */
function yearOfTemperaturesF(): number[] {
  return Array.from({ length: 365 }, (_, d) => 60 - 35 * Math.cos((2 * Math.PI * d) / 365) + 3 * Math.sin(d));
}

describe('CalTRACK daily model', () => {
  it('recovers y = 5 + 0.3·HDD(60 °F) exactly', () => {
    const tempsF = yearOfTemperaturesF();
    const rows = tempsF.map((t) => ({
      energyKwh: 5 + 0.3 * Math.max(60 - t, 0),
      temperatureC: fahrenheitToCelsius(t),
    }));
    const model = fitCaltrackDaily(rows);
    expect(model.modelType).toBe('hdd_only');
    expect(model.heatingBalancePointF).toBe(60);
    expect(model.intercept).toBeCloseTo(5, 8);
    expect(model.betaHdd).toBeCloseTo(0.3, 8);
    expect(model.adjustedRSquared).toBeCloseTo(1, 10);
    expect(model.cvRmse).toBeLessThan(1e-8);
    expect(model.parameters).toBe(2);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('recovers y = 10 + 0.5·HDD(54) + 0.8·CDD(72) and predicts unseen days', () => {
    const truth = (t: number) => 10 + 0.5 * Math.max(54 - t, 0) + 0.8 * Math.max(t - 72, 0);
    const rows = yearOfTemperaturesF().map((t) => ({
      energyKwh: truth(t),
      temperatureC: fahrenheitToCelsius(t),
    }));
    const model = fitCaltrackDaily(rows);
    expect(model.modelType).toBe('hdd_cdd');
    expect(model.heatingBalancePointF).toBe(54);
    expect(model.coolingBalancePointF).toBe(72);
    expect(model.intercept).toBeCloseTo(10, 8);
    expect(model.betaHdd).toBeCloseTo(0.5, 8);
    expect(model.betaCdd).toBeCloseTo(0.8, 8);
    const predicted = predictCaltrackDaily(model, [fahrenheitToCelsius(20), fahrenheitToCelsius(100)]);
    expect(predicted[0]).toBeCloseTo(truth(20), 8);
    expect(predicted[1]).toBeCloseTo(truth(100), 8);
  });

  it('gas meters never get a CDD term', () => {
    const truth = (t: number) => 10 + 0.5 * Math.max(54 - t, 0) + 0.8 * Math.max(t - 72, 0);
    const rows = yearOfTemperaturesF().map((t) => ({
      energyKwh: truth(t),
      temperatureC: fahrenheitToCelsius(t),
    }));
    const model = fitCaltrackDaily(rows, { fuel: 'gas' });
    expect(model.betaCdd).toBe(0);
    expect(['hdd_only', 'intercept_only']).toContain(model.modelType);
  });

  it('falls back to intercept-only when use does not depend on temperature', () => {
    const rows = yearOfTemperaturesF().map((t, d) => ({
      energyKwh: 100 + (d % 7 === 0 ? 5 : 0),
      temperatureC: fahrenheitToCelsius(t),
    }));
    const model = fitCaltrackDaily(rows);
    expect(model.modelType).toBe('intercept_only');
    expect(model.intercept).toBeCloseTo(100 + (5 * 53) / 365, 10);
    expect(model.adjustedRSquared).toBe(0);
  });

  it('rejects heating candidates without 10 non-zero days', () => {
    // Only 5 days below any balance point on the grid (the rest at 95 °F): no HDD term is
    // allowed even though y = 5 + 0.3·HDD(60) would fit exactly; the CDD slope would be < 0.
    const tempsF = Array.from({ length: 120 }, (_, d) => (d < 5 ? 40 : 95));
    const rows = tempsF.map((t) => ({
      energyKwh: 5 + 0.3 * Math.max(60 - t, 0),
      temperatureC: fahrenheitToCelsius(t),
    }));
    const model = fitCaltrackDaily(rows);
    expect(model.modelType).toBe('intercept_only');
    expect(model.betaHdd).toBe(0);
    // With the rule relaxed to 5 days a heating model fits the two temperature levels exactly.
    const relaxed = fitCaltrackDaily(rows, { minNonZeroDays: 5 });
    expect(relaxed.modelType).toBe('hdd_only');
    expect(predictCaltrackDaily(relaxed, [fahrenheitToCelsius(40)])[0]).toBeCloseTo(11, 8);
  });
});

/** Occupied on weekdays 08:00–18:00. */
const occupiedTruth = (how: number) => how < 120 && how % 24 >= 8 && how % 24 < 18;
const alphaTruth = (how: number) => (occupiedTruth(how) ? 40 + (how % 24) : 10 + (how % 7) * 0.5);
const betaOccupied = [0.2, -0.1, 0.05, 0.3, 0.6, 0.9, 1.2];
const betaUnoccupied = [0.1, -0.05, 0.02, 0.1, 0.2, 0.3, 0.4];

function syntheticTowtRows(start: string, hours: number): TowtRow[] {
  const t0 = Date.parse(start);
  return Array.from({ length: hours }, (_, h) => {
    const ts = new Date(t0 + h * 3_600_000);
    // Triangle wave 15–105 °F with a 37 h period: every bin gets hours in both occupancy states.
    const phase = (h / 37) % 1;
    const tempF = 15 + 90 * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
    const how = localHourOfWeek(ts, 'UTC');
    const features = temperatureBinFeatures(tempF, TOWT_BIN_EDGES_F);
    const betas = occupiedTruth(how) ? betaOccupied : betaUnoccupied;
    const energyKwh = features.reduce((s, v, j) => s + v * betas[j], alphaTruth(how));
    return { ts, localHourOfWeek: how, temperatureC: fahrenheitToCelsius(tempF), energyKwh };
  });
}

describe('CalTRACK hourly TOWT model', () => {
  it('recovers known hour-of-week and occupied/unoccupied bin coefficients (single model)', () => {
    const rows = syntheticTowtRows('2024-01-01T00:00:00Z', 8 * 168);
    const model = fitTowt(rows);
    const [segment] = model.segments;
    expect(segment.occupied.map((o, how) => o === occupiedTruth(how)).every(Boolean)).toBe(true);
    expect(segment.occupiedBinEdgesF).toEqual([...TOWT_BIN_EDGES_F]);
    expect(segment.unoccupiedBinEdgesF).toEqual([...TOWT_BIN_EDGES_F]);
    segment.hourOfWeekCoefficients.forEach((a, how) => expect(a).toBeCloseTo(alphaTruth(how), 6));
    segment.occupiedTemperatureCoefficients.forEach((b, j) => expect(b).toBeCloseTo(betaOccupied[j], 6));
    segment.unoccupiedTemperatureCoefficients.forEach((b, j) => expect(b).toBeCloseTo(betaUnoccupied[j], 6));
    expect(model.cvRmse).toBeLessThan(1e-6);
    expect(model.parameters).toBe(168 + 7 + 7);

    // Out of sample, and the model survives a JSON round trip.
    const future = syntheticTowtRows('2024-03-04T00:00:00Z', 168);
    const restored = JSON.parse(JSON.stringify(model));
    const predicted = predictTowt(restored, future);
    predicted.forEach((p, i) => expect(p).toBeCloseTo(future[i].energyKwh, 6));
  });

  it('three-month-weighted segmentation fits one model per month present', () => {
    const rows = syntheticTowtRows('2024-01-01T00:00:00Z', 14 * 168);
    const model = fitTowt(rows, { segmentation: 'three-month-weighted' });
    expect(model.segments.map((s) => s.month)).toEqual([1, 2, 3, 4]);
    for (const s of model.segments) {
      expect(s.occupiedBinEdgesF).toEqual([...TOWT_BIN_EDGES_F]);
      s.hourOfWeekCoefficients.forEach((a, how) => expect(a).toBeCloseTo(alphaTruth(how), 5));
    }
    // May has no segment: no prediction rather than a wrong one.
    const may = predictTowt(model, [
      { ts: new Date('2024-05-06T10:00:00Z'), localHourOfWeek: 10, temperatureC: 20 },
    ]);
    expect(may[0]).toBeNaN();
    expect(towtAnnualModelCheck(fitTowt(rows), rows).allowed).toBe(true);
  });

  it('month-by-month model: p is the sum of its segments, and CV(RMSE)/NMBE use n − Σp (hand-worked)', () => {
    // Monday 00:00 UTC (hour of week 0) only: 5 in January at 10 kWh, 4 in February at 20 kWh.
    // Temperature 0 °F: 9 hours < 20 merge every bin away, and the single feature T = 0 gets no
    // weight, so each segment estimates one parameter (the hour-0 α) = its weighted mean:
    //   January  (Jan ×1, Feb ×0.5): (5·10 + 0.5·4·20)/(5 + 2)   = 90/7   = 12.857143
    //   February (Feb ×1, Jan ×0.5): (4·20 + 0.5·5·10)/(4 + 2.5) = 210/13 = 16.153846
    // e = actual − predicted: Jan −20/7 (×5), Feb 50/13 (×4);
    //   SSE = 5·400/49 + 4·2500/169 = 828000/8281 = 99.987924;  Σe = −100/7 + 200/13 = 100/91
    // ȳ = 130/9 = 14.444444;  n = 9, p = 1 + 1 = 2, n − p = 7
    //   CV(RMSE) = √(99.987924/7)/14.444444 = 3.779417/14.444444 = 0.261652
    //   NMBE     = (100/91)/(7 · 14.444444) = 1.098901/101.111111 = 0.010868
    // (the old p = largest segment = 1 gave √(99.987924/8)/14.444444 = 0.244753, 6.5 % lower)
    const rows: TowtRow[] = [
      '2024-01-01',
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
      '2024-01-29',
      '2024-02-05',
      '2024-02-12',
      '2024-02-19',
      '2024-02-26',
    ].map((d) => ({
      ts: new Date(`${d}T00:00:00Z`),
      localHourOfWeek: 0,
      temperatureC: fahrenheitToCelsius(0),
      energyKwh: d.startsWith('2024-01') ? 10 : 20,
    }));
    const model = fitTowt(rows, { segmentation: 'three-month-weighted' });
    expect(model.segments.map((s) => [s.month, s.parameters])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(model.segments[0].hourOfWeekCoefficients[0]).toBeCloseTo(90 / 7, 9);
    expect(model.segments[1].hourOfWeekCoefficients[0]).toBeCloseTo(210 / 13, 9);
    expect(model.n).toBe(9);
    expect(model.parameters).toBe(2);
    expect(model.cvRmse).toBeCloseTo(0.261652, 6);
    expect(model.nmbe).toBeCloseTo(0.010868, 6);
  });

  it('hours of week never seen predict NaN; zeros are treated as missing', () => {
    const rows = syntheticTowtRows('2024-01-01T00:00:00Z', 4 * 168).filter((r) => r.localHourOfWeek !== 5);
    rows[0] = { ...rows[0], energyKwh: 0 };
    const model = fitTowt(rows);
    expect(model.segments[0].hourOfWeekCoefficients[5]).toBeNull();
    expect(model.n).toBe(rows.length - 1);
    expect(
      predictTowt(model, [{ ts: new Date('2024-02-05T05:00:00Z'), localHourOfWeek: 5, temperatureC: 10 }])[0],
    ).toBeNaN();
    expect(() => predictTowt(model, [{ ts: new Date(), localHourOfWeek: 168, temperatureC: 10 }])).toThrow(
      RangeError,
    );
  });

  describe('real data: BDG1 Office_Abigail, 8 weeks (see __fixtures__/SOURCE.txt)', () => {
    const lines = readFileSync(
      join(__dirname, '__fixtures__', 'office-abigail-2015-03-02-to-04-26.csv'),
      'utf8',
    )
      .trim()
      .split('\n')
      .slice(1);
    const rows: TowtRow[] = lines.map((line) => {
      const [local, energy, temperature] = line.split(',');
      // Local standard time in America/Phoenix (UTC−7, no DST).
      const ts = new Date(`${local.replace(' ', 'T')}-07:00`);
      return {
        ts,
        localHourOfWeek: localHourOfWeek(ts, 'America/Phoenix'),
        temperatureC: Number(temperature),
        energyKwh: Number(energy),
      };
    });

    it('fits with in-sample CV(RMSE) < 30 % and |NMBE| ≈ 0 (single model)', () => {
      expect(rows).toHaveLength(1343);
      const model = fitTowt(rows, { zone: 'America/Phoenix' });
      expect(model.cvRmse).toBeGreaterThan(0.05);
      expect(model.cvRmse).toBeLessThan(0.3);
      // Unweighted least squares with per-hour dummies leaves Σe = 0.
      expect(Math.abs(model.nmbe)).toBeLessThan(1e-9);
      const occupiedHours = model.segments[0].occupied.filter(Boolean).length;
      expect(occupiedHours).toBeGreaterThan(20);
      expect(occupiedHours).toBeLessThan(100);
    });

    it('three-month-weighted model also stays below 30 %', () => {
      const model = fitTowt(rows, { zone: 'America/Phoenix', segmentation: 'three-month-weighted' });
      expect(model.segments.map((s) => s.month)).toEqual([3, 4]);
      expect(model.cvRmse).toBeLessThan(0.3);
    });

    it('daily model on the same weeks picks a cooling model (Phoenix spring)', () => {
      const byDay = new Map<string, { energyKwh: number; temperatureSumC: number; hours: number }>();
      lines.forEach((line, i) => {
        const day = line.slice(0, 10);
        const acc = byDay.get(day) ?? { energyKwh: 0, temperatureSumC: 0, hours: 0 };
        acc.energyKwh += rows[i].energyKwh;
        acc.temperatureSumC += rows[i].temperatureC;
        acc.hours++;
        byDay.set(day, acc);
      });
      const daily = [...byDay.values()].map((d) => ({
        energyKwh: (d.energyKwh * 24) / d.hours,
        temperatureC: d.temperatureSumC / d.hours,
      }));
      const model = fitCaltrackDaily(daily);
      expect(model.n).toBe(56);
      expect(model.betaCdd).toBeGreaterThan(0);
      expect(model.cvRmse).toBeLessThan(0.3);
    });
  });
});
