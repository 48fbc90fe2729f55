import { solarFeatures } from './features';
import { PvModel, PvSeries, deaccumulate, trainPvModel } from './pv-model';

// A synthetic site: output = 0.8·clear-sky shape·(1 − 0.7·cloud), cloud known as a predictor.
function syntheticSite(days: number): PvSeries {
  const startMs = Date.UTC(2017, 4, 1);
  const n = days * 24;
  const starts = Array.from({ length: n }, (_, i) => startMs + i * 3_600_000);
  const sun = solarFeatures(starts, 60, 39.74, -105.18, 1830);
  let seed = 3;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const cloud = starts.map(() => rand());
  const generation = starts.map((_, i) => 0.8 * (sun.clearSkyGhiWm2[i] / 1000) * (1 - 0.7 * cloud[i]) + 0.02 * (rand() - 0.5) * (sun.cosZenith[i] > 0 ? 1 : 0));
  return { startMs, intervalMinutes: 60, generationFraction: generation.map((g) => Math.max(0, g)), latitudeDeg: 39.74, longitudeDeg: -105.18, altitudeM: 1830, predictors: { cloudCover: cloud } };
}

describe('PV model', () => {
  it('learns a cloud-driven clear-sky output: zero at night, ordered quantiles, round-trips', async () => {
    const site = syntheticSite(40);
    const trainEnd = 24 * 33;
    const { model, artifact } = await trainPvModel(site, { trainEnd, quantileLevels: [0.1, 0.5, 0.9], hyperParameters: { epochs: 60, batchSize: 32, hiddenUnits: [16], learningRate: 0.005 } });
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

  it('de-accumulates NWP fields with run resets', () => {
    expect(deaccumulate([1, 3, 6, 2, 5], (i) => i === 3)).toEqual([1, 2, 3, 2, 3]);
  });
});
