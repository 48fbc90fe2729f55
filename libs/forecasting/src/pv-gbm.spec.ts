import { meanPinball } from './metrics';
import { solarFeatures } from './features';
import { PvSeries } from './pv-model';
import { PvGbmModel, pvGbmFeatureNames, rowCopies, targetScale, trainPvGbm } from './pv-gbm';
import { applyQra } from './quantile-averaging';
import { hourAndDay } from './pv-features';

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

  it('bags ensembles with their own seeds and combines them by their mean or by QRA weights', () => {
    const site = syntheticSite(30);
    const trainEnd = 24 * 26;
    const common = {
      trainEnd,
      fittedLevels: [0.5],
      quantileLevels: [0.5],
      gbm: { trees: 30, maxDepth: 3 },
      bags: 2,
    };
    const hidden = { ...site, generationFraction: undefined };
    const mean = trainPvGbm(site, common);
    const a = mean.artifact;
    expect(a.gbms[0]).toHaveLength(2);
    expect(a.qraWeights).toBeUndefined();
    // different seeds sample different rows, so the two bags differ
    expect(JSON.stringify(a.gbms[0][0])).not.toEqual(JSON.stringify(a.gbms[0][1]));
    const bag = (b: number, weights?: number[][]): number[] =>
      new PvGbmModel({ ...a, gbms: [[a.gbms[0][b]]], qraWeights: weights })
        .predict(hidden, trainEnd, 24 * 30)
        .map((row) => row[0]);
    const [b0, b1] = [bag(0), bag(1)];
    const combined = mean.predict(hidden, trainEnd, 24 * 30).map((row) => row[0]);
    const inside = (v: number): boolean => v > 0 && v < 1.05;
    let checked = 0;
    combined.forEach((v, k) => {
      if (!inside(b0[k]) || !inside(b1[k]) || !inside(v)) return;
      expect(v).toBeCloseTo((b0[k] + b1[k]) / 2, 9);
      checked++;
    });
    expect(checked).toBeGreaterThan(20);
    // QRA: the stored weights are applied to the bags' own predictions
    const qra = trainPvGbm(site, { ...common, combine: 'qra' });
    const w = qra.artifact.qraWeights!;
    expect(w).toHaveLength(1);
    expect(w[0]).toHaveLength(3);
    const viaQra = qra.predict(hidden, trainEnd, 24 * 30).map((row) => row[0]);
    viaQra.forEach((v, k) => {
      const expected = applyQra(w[0], [b0[k], b1[k]]);
      if (inside(b0[k]) && inside(b1[k]) && inside(expected)) expect(v).toBeCloseTo(expected, 9);
    });
  }, 60_000);

  it('with a profile floor learns output ÷ max(profile, floor) and scales the quantiles back', () => {
    expect(pvGbmFeatureNames(['ghiWm2'])[7]).toBe('profile');
    const site = syntheticSite(30);
    const trainEnd = 24 * 26;
    const hidden = { ...site, generationFraction: undefined };
    const model = trainPvGbm(site, {
      trainEnd,
      fittedLevels: [0.5],
      quantileLevels: [0.5],
      gbm: { trees: 30, maxDepth: 3 },
      profileFloor: 0.2,
    });
    expect(model.artifact.profileFloor).toBe(0.2);
    const scaled = model.predict(hidden, trainEnd, 24 * 30).map((row) => row[0]);
    const ratio = new PvGbmModel({ ...model.artifact, profileFloor: undefined })
      .predict(hidden, trainEnd, 24 * 30)
      .map((row) => row[0]);
    let checked = 0;
    scaled.forEach((v, k) => {
      const { hour, day } = hourAndDay(site.startMs + (trainEnd + k) * 3_600_000);
      const scale = Math.max(0.2, model.artifact.profiles[0][hour * 366 + day]);
      if (!(ratio[k] > 0 && ratio[k] < 1.05 && ratio[k] * scale < 1.05)) return;
      // the feature rows hold the profile as float32
      expect(v).toBeCloseTo(ratio[k] * scale, 6);
      if (scale > 0.2) checked++;
    });
    expect(checked).toBeGreaterThan(20);
    // the ratio target is learnt: a clear-sky share, larger than the output itself at midday
    expect(Math.max(...ratio)).toBeGreaterThan(Math.max(...scaled));
  }, 60_000);

  it('divides the target by the floored profile or clear-sky GHI in kW/m²', () => {
    // feature row: site, hour, month, dayOfYear, cosZenith, azimuth, clearSkyGhi, profile
    const row = [0, 2, 0, 10, 0.8, 40, 600, 0.7];
    expect(targetScale(undefined, row)).toBe(1);
    expect(targetScale(0.05, row)).toBe(0.7);
    expect(targetScale(0.05, row, 'clearSky')).toBeCloseTo(0.6, 12);
    expect(targetScale(0.05, [0, 6, 0, 10, 0.02, 90, 30, Number.NaN], 'clearSky')).toBe(0.05);
    expect(targetScale(0.05, [0, 6, 0, 10, 0.02, 90, 30, Number.NaN])).toBe(0.05);
  });

  it('repeats recent rows and rows of the forecast season', () => {
    const end = Date.UTC(2014, 1, 1); // 1 Feb 2014; end + 15 days = 16 Feb, day of year 46
    expect(rowCopies(Date.UTC(2013, 0, 1), end, undefined)).toBe(1);
    const recent = { copies: 3, recentDays: 30 };
    expect(rowCopies(Date.UTC(2014, 0, 2, 12), end, recent)).toBe(3); // 29.5 days before
    expect(rowCopies(Date.UTC(2014, 0, 1, 12), end, recent)).toBe(1); // 30.5 days before
    const season = { copies: 2, seasonDays: 20 };
    expect(rowCopies(Date.UTC(2013, 2, 8), end, season)).toBe(2); // day 66, 20 days from 46
    expect(rowCopies(Date.UTC(2013, 2, 9), end, season)).toBe(1); // day 67, 21 days
    expect(rowCopies(Date.UTC(2013, 0, 27), end, season)).toBe(2); // day 26, 20 days
    // circular: 20 Dec 2012 (day 354 of a leap year) is 16 days from 6 Jan (day 5)
    const jan = { copies: 2, seasonDays: 20, seasonLeadDays: 5 };
    expect(rowCopies(Date.UTC(2012, 11, 20), Date.UTC(2014, 0, 1), jan)).toBe(2);
    expect(rowCopies(Date.UTC(2012, 10, 20), Date.UTC(2014, 0, 1), jan)).toBe(1);
  });

  it('trains on the repeated rows: emphasis changes the trees, one copy does not', () => {
    const site = syntheticSite(30);
    const common = { trainEnd: 24 * 26, fittedLevels: [0.5], gbm: { trees: 10, maxDepth: 3 } };
    const plain = JSON.stringify(trainPvGbm(site, common).artifact.gbms);
    const once = trainPvGbm(site, { ...common, emphasis: { copies: 1, recentDays: 5 } });
    expect(JSON.stringify(once.artifact.gbms)).toBe(plain);
    const twice = trainPvGbm(site, { ...common, emphasis: { copies: 3, recentDays: 5 } });
    expect(JSON.stringify(twice.artifact.gbms)).not.toBe(plain);
  }, 60_000);
});
