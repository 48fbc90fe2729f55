import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { solarFeatures } from './features';
import { PvModel, PvModelArtifact, PvSeries, deaccumulate, trainPvModel } from './pv-model';

// A synthetic site: output = 0.8·clear-sky shape·(1 − 0.7·cloud), cloud known as a predictor.
function syntheticSite(days: number): PvSeries {
  const startMs = Date.UTC(2017, 4, 1);
  const n = days * 24;
  const starts = Array.from({ length: n }, (_, i) => startMs + i * 3_600_000);
  const sun = solarFeatures(starts, 60, 39.74, -105.18, 1830);
  let seed = 3;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const cloud = starts.map(() => rand());
  const generation = starts.map(
    (_, i) =>
      0.8 * (sun.clearSkyGhiWm2[i] / 1000) * (1 - 0.7 * cloud[i]) +
      0.02 * (rand() - 0.5) * (sun.cosZenith[i] > 0 ? 1 : 0),
  );
  return {
    startMs,
    intervalMinutes: 60,
    generationFraction: generation.map((g) => Math.max(0, g)),
    latitudeDeg: 39.74,
    longitudeDeg: -105.18,
    altitudeM: 1830,
    predictors: { cloudCover: cloud },
  };
}

describe('PV model', () => {
  it('learns a cloud-driven clear-sky output: zero at night, ordered quantiles, round-trips', async () => {
    const site = syntheticSite(40);
    const trainEnd = 24 * 33;
    const { model, artifact } = await trainPvModel(site, {
      trainEnd,
      quantileLevels: [0.1, 0.5, 0.9],
      hyperParameters: { epochs: 60, batchSize: 32, hiddenUnits: [16], learningRate: 0.005 },
    });
    try {
      const q = model.predict(site, trainEnd, 24 * 40);
      let absError = 0;
      let n = 0;
      q.forEach((row, k) => {
        expect(row[0]).toBeLessThanOrEqual(row[1]);
        expect(row[1]).toBeLessThanOrEqual(row[2]);
        const y = site.generationFraction![trainEnd + k];
        if (y === 0 && row.every((v) => v === 0)) return;
        absError += Math.abs(y - row[1]);
        n++;
      });
      // night hours (UTC 04–11 in Colorado in May) are exactly 0
      expect(q[6].every((v) => v === 0)).toBe(true);
      expect(absError / n).toBeLessThan(0.08);
      const restored = await PvModel.fromArtifact(JSON.parse(JSON.stringify(artifact)));
      expect(restored.predict(site, trainEnd, trainEnd + 24)).toEqual(q.slice(0, 24));
      restored.dispose();
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('fine-tunes from a trained artifact: its predictors, standardisation and levels, starting from its weights', async () => {
    // Real data: ten days of PVDAQ system 50 (the demo file, W per 15 minutes → hourly) and the PSM3 GHI of the site.
    const root = join(__dirname, '..', '..', '..');
    const generic = JSON.parse(
      readFileSync(join(root, 'models', 'generic-pv.json'), 'utf8'),
    ) as PvModelArtifact;
    const startMs = Date.UTC(2012, 4, 1, 7);
    const hours = 10 * 24;
    const power = new Array<number>(hours).fill(0);
    for (const line of readFileSync(join(root, 'libs', 'metering', 'demo', 'pvdaq-system50-2012.csv'), 'utf8')
      .split('\n')
      .slice(1)) {
      const [ts, w] = line.split(',');
      const h = Math.floor((Date.parse((ts ?? '').replace(' ', 'T')) - startMs) / 3_600_000);
      if (h >= 0 && h < hours) power[h] += Math.max(0, Number(w)) / 4 / 3070;
    }
    // PSM3 is half-hourly: the hour's GHI is the mean of its two rows.
    const ghiSum = new Array<number>(hours).fill(0);
    const ghiRows = new Array<number>(hours).fill(0);
    for (const line of readFileSync(
      join(root, 'test', 'fixtures', 'forecasting', 'pvdaq-system50-psm3-2012-05-01_07-03.csv'),
      'utf8',
    )
      .split('\n')
      .slice(1)) {
      const [ts, g] = line.split(',');
      const h = Math.floor((Date.parse((ts ?? '').replace(' ', 'T')) - startMs) / 3_600_000);
      if (h >= 0 && h < hours && Number.isFinite(Number(g))) {
        ghiSum[h] += Number(g);
        ghiRows[h]++;
      }
    }
    const ghi = ghiSum.map((sum, h) => (ghiRows[h] ? sum / ghiRows[h] : Number.NaN));
    const site: PvSeries = {
      startMs,
      intervalMinutes: 60,
      generationFraction: power,
      latitudeDeg: 39.7406,
      longitudeDeg: -105.1775,
      altitudeM: 1798,
      predictors: { ghiWm2: ghi },
    };
    const initial = await PvModel.fromArtifact(generic);
    const untouched = await trainPvModel(site, { initialArtifact: generic, hyperParameters: { epochs: 0 } });
    const tuned = await trainPvModel(site, { initialArtifact: generic, hyperParameters: { epochs: 5 } });
    try {
      expect(tuned.artifact).toEqual(
        expect.objectContaining({
          predictorNames: generic.predictorNames,
          predictorMean: generic.predictorMean,
          predictorStd: generic.predictorStd,
          quantileLevels: generic.quantileLevels,
        }),
      );
      expect(tuned.artifact.hyperParameters).toEqual(
        expect.objectContaining({ hiddenUnits: generic.hyperParameters.hiddenUnits, learningRate: 0.0005 }),
      );
      // No epoch: the initial model itself; some epochs: moved away from it.
      expect(untouched.model.predict(site, 0, 48)).toEqual(initial.predict(site, 0, 48));
      expect(tuned.model.predict(site, 0, 48)).not.toEqual(initial.predict(site, 0, 48));
    } finally {
      [initial, untouched.model, tuned.model].forEach((m) => m.dispose());
    }
  }, 60_000);

  it('de-accumulates NWP fields with run resets', () => {
    expect(deaccumulate([1, 3, 6, 2, 5], (i) => i === 3)).toEqual([1, 2, 3, 2, 3]);
  });
});
