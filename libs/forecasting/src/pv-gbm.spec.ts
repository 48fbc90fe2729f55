import { meanPinball } from './metrics';
import { solarFeatures } from './features';
import { PvSeries } from './pv-model';
import { pvGbmFeatureNames, trainPvGbm } from './pv-gbm';

// A synthetic site: output = 0.8·clear-sky shape·(1 − 0.7·cloud) + noise, cloud and GHI known as predictors.
function syntheticSite(days: number): PvSeries {
  const startMs = Date.UTC(2017, 4, 1);
  const n = days * 24;
  const starts = Array.from({ length: n }, (_, i) => startMs + i * 3_600_000);
  const sun = solarFeatures(starts, 60, 39.74, -105.18, 1830);
  let seed = 5;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const cloud = starts.map(() => rand());
  const generation = starts.map((_, i) =>
    sun.cosZenith[i] > 0
      ? Math.max(0, 0.8 * (sun.clearSkyGhiWm2[i] / 1000) * (1 - 0.7 * cloud[i]) + 0.04 * (rand() - 0.5))
      : 0,
  );
  return {
    startMs,
    intervalMinutes: 60,
    generationFraction: generation,
    latitudeDeg: 39.74,
    longitudeDeg: -105.18,
    altitudeM: 1830,
    predictors: {
      cloudCover: cloud,
      ghiWm2: starts.map((_, i) => sun.clearSkyGhiWm2[i] * (1 - 0.7 * cloud[i])),
    },
  };
}

describe('PV quantile gradient boosting', () => {
  it('names its features: clear-sky index and day means for irradiance, day mean for cloud cover', () => {
    const names = pvGbmFeatureNames(['cloudCover', 'ghiWm2', 'temperatureC']);
    expect(names).toContain('ghiWm2:csi');
    expect(names).toContain('ghiWm2:profileXcsi');
    expect(names).toContain('cloudCover:dayMean');
    expect(names).not.toContain('temperatureC:dayMean');
    expect(names).not.toContain('cloudCover:csi');
  });

  it('beats the training-period climatology of each hour, orders its quantiles and is 0 at night', () => {
    const site = syntheticSite(45);
    const trainEnd = 24 * 38;
    const levels = [0.1, 0.3, 0.5, 0.7, 0.9];
    const model = trainPvGbm(site, {
      trainEnd,
      fittedLevels: [0.1, 0.5, 0.9],
      quantileLevels: levels,
      gbm: { trees: 60, maxDepth: 3 },
    });
    const q = model.predict({ ...site, generationFraction: undefined }, trainEnd, 24 * 45);
    expect(q).toHaveLength(24 * 7);
    for (const row of q)
      for (let j = 1; j < row.length; j++) expect(row[j]).toBeGreaterThanOrEqual(row[j - 1]);
    // 06 UTC is night in Colorado in May
    expect(q[6].every((v) => v === 0)).toBe(true);
    const actual = site.generationFraction!.slice(trainEnd, 24 * 45);
    // climatology: the quantiles of each UTC hour's training output
    const climatology = actual.map((_, k) => {
      const hour = k % 24;
      const past = site
        .generationFraction!.slice(0, trainEnd)
        .filter((_, i) => i % 24 === hour)
        .sort((a, b) => a - b);
      return levels.map((l) => past[Math.min(past.length - 1, Math.floor(l * past.length))]);
    });
    const gbmScore = meanPinball(actual, q, levels);
    const clim = meanPinball(actual, climatology, levels);
    expect(gbmScore).toBeLessThan(0.6 * clim);
  }, 60_000);
});
