import { calendarInfo } from './features';
import {
  DEFAULT_COLD_START_WINDOWS,
  coldStartTrainingSet,
  coldStartWindows,
  trainColdStartLoadModel,
} from './cold-start';
import { LoadModel, LoadModelArtifact } from './load-model';
import { sliceSeries } from './series';
import { loadFixtureSeries } from './testing/fixture';

describe('cold-start training windows on a real six-week slice (BDG2 Bear_education_Alvaro)', () => {
  const series = loadFixtureSeries();
  const n = series.valuesKwh.length;
  const calendar = calendarInfo(series, n);

  it('draws windows of 2–27 days of history ending at a local midnight, targets inside the training data', () => {
    const trainEnd = 24 * 35;
    const windows = coldStartWindows([series], [calendar], [trainEnd], {
      ...DEFAULT_COLD_START_WINDOWS,
      strideDays: 1,
    });
    expect(windows.length).toBeGreaterThan(10);
    for (const w of windows) {
      const days = (w.origin - w.from) / 24;
      expect(Number.isInteger(days) && days >= 2 && days <= 27).toBe(true);
      expect(calendar.dayStarts).toContain(w.origin);
      expect(w.from).toBeGreaterThanOrEqual(0);
      expect(w.origin + (w.leadDays + 1) * 24).toBeLessThanOrEqual(trainEnd);
    }
    expect(windows.some((w) => w.origin - w.from === 168)).toBe(true);
  });

  it('builds each row from its window alone: with 7 days, the 4-week mean is last week and the scale is the window mean', () => {
    const origin = 24 * 28;
    const w = { series: 0, from: origin - 168, origin, leadDays: 0 };
    const set = coldStartTrainingSet([series], [calendar], [w], 'meterScale');
    expect(set.rows).toBe(24);
    const col = (name: string) => set.names.indexOf(name);
    let sum = 0;
    for (let i = origin - 168; i < origin; i++) sum += series.valuesKwh[i];
    const scale = sum / 168;
    for (let r = 0; r < 24; r++) {
      const row = set.x.subarray(r * set.columns, (r + 1) * set.columns);
      expect(row[col('mean4Weeks')]).toBeCloseTo(row[col('lastWeek')], 6);
      expect(row[col('lastWeek')]).toBeCloseTo(series.valuesKwh[origin - 168 + r] / scale, 4);
      expect(set.y[r]).toBeCloseTo(series.valuesKwh[origin + r] / scale, 4);
    }
    // the same target with the whole series as history sees four weeks: a different input
    const full = coldStartTrainingSet([series], [calendar], [{ ...w, from: 0 }], 'meterScale');
    expect(full.x[col('mean4Weeks')]).not.toBeCloseTo(full.x[col('lastWeek')], 3);
  });

  it('trains a generic LoadModel artifact that forecasts a meter from one week of readings', async () => {
    const { artifact, model, metrics } = await trainColdStartLoadModel([series], {
      trainEnds: [24 * 35],
      windows: { strideDays: 1 },
      hyperParameters: { epochs: 2, hiddenUnits: [16] },
    });
    model.dispose();
    expect(metrics.trainingRows).toBeGreaterThan(300);
    expect(artifact.scaleKwh).toBeNull();
    const loaded = await LoadModel.fromArtifact(JSON.parse(JSON.stringify(artifact)) as LoadModelArtifact);
    try {
      const week = sliceSeries(series, 24 * 35 - 168, 24 * 35);
      const q = loaded.forecast(week, 24);
      expect(q.p50).toHaveLength(24);
      for (let h = 0; h < 24; h++) {
        expect(q.p10[h]).toBeLessThanOrEqual(q.p50[h] + 1e-9);
        expect(q.p50[h]).toBeLessThanOrEqual(q.p90[h] + 1e-9);
      }
      // scaled to the meter: the day's forecast total within half of the week's daily mean either way
      const total = q.p50.reduce((a, b) => a + b, 0);
      const dailyMean = week.valuesKwh.reduce((a, b) => a + b, 0) / 7;
      expect(total / dailyMean).toBeGreaterThan(0.5);
      expect(total / dailyMean).toBeLessThan(1.5);
    } finally {
      loaded.dispose();
    }
  }, 120_000);
});
