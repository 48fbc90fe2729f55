/**
 * Scoring of site net-load forecasts against what was measured (the site benchmark, test/bench/site.ts), pure: the hours each site's forecasts
 * were issued for, the net-load band as served (combineNetLoad), the naive band (sum of quantiles), and
 * the same combination after rescaling each meter's band (calibration.ts factors) — with factors fitted
 * on the test hours themselves (an oracle: how the combination does when every meter is calibrated,
 * a diagnostic and never a setting) or fitted before the test window (a candidate fix).
 */
import { BandCalibration, IDENTITY_CALIBRATION, fitBandCalibration } from './calibration';
import { coverage, meanPinball } from './metrics/metrics';
import { QuantilePoint, combineNetLoad } from './site-forecast';

export interface Q {
  p10: number;
  p50: number;
  p90: number;
}

/** One scored hour of a site: measured load and PV (kWh), their forecasts, and the net band as served. */
export interface SiteHour {
  loadKwh: number;
  pvKwh: number;
  load: Q;
  /** the PV meter's hour: sums of its 15-minute quantiles */
  pv: Q;
  net: Q;
  /** PV P90 > 0 or measured output */
  daylight: boolean;
}

/** Coverage, tails, CRPS (2 × mean pinball over P10/P50/P90, kWh) and mean band width of `y` by `q`. */
export function bandScores(y: readonly number[], q: readonly Q[]) {
  if (y.length === 0) return null;
  const lower = q.map((r) => r.p10);
  const upper = q.map((r) => r.p90);
  const crpsKwh =
    2 *
    meanPinball(
      [...y],
      q.map((r) => [r.p10, r.p50, r.p90]),
      [0.1, 0.5, 0.9],
    );
  return {
    hours: y.length,
    coverageP10P90: coverage([...y], lower, upper),
    belowP10: y.filter((v, i) => v < lower[i]).length / y.length,
    aboveP90: y.filter((v, i) => v > upper[i]).length / y.length,
    crpsKwh,
    meanBandWidthKwh: q.reduce((a, r) => a + r.p90 - r.p10, 0) / q.length,
  };
}

/** Load P10 − PV P90 … load P90 − PV P10: the band if both meters were always wrong the same way. */
export function sumOfQuantiles(load: Q, pv: Q): Q {
  return { p10: load.p10 - pv.p90, p50: load.p50 - pv.p50, p90: load.p90 - pv.p10 };
}

/** A band rescaled around its P50 by calibration factors. */
export const rescale = (q: Q, c: BandCalibration): Q => ({
  p10: q.p50 - c.lowerFactor * (q.p50 - q.p10),
  p50: q.p50,
  p90: q.p50 + c.upperFactor * (q.p90 - q.p50),
});

/** The product's combination (combineNetLoad) of one hour's load and PV after rescaling their bands. */
export function recombine(load: Q, pv: Q, loadCal: BandCalibration, pvCal: BandCalibration): Q {
  const at = (q: Q): QuantilePoint[] => [{ ts: new Date(0), ...q }];
  const { points } = combineNetLoad(
    [
      { role: 'load', intervalMinutes: 60, points: at(rescale(load, loadCal)) },
      { role: 'pv', intervalMinutes: 60, points: at(rescale(pv, pvCal)) },
    ],
    0,
    3_600_000,
  );
  return points[0];
}

const split = (q: readonly Q[]) => ({
  p10: q.map((r) => r.p10),
  p50: q.map((r) => r.p50),
  p90: q.map((r) => r.p90),
});

/** Correlation of the load's and the PV's errors, each standardised by its own band side (daylight hours). */
export function errorCorrelation(hours: readonly SiteHour[]): number | null {
  const z = (y: number, q: Q) => {
    const side = y >= q.p50 ? q.p90 - q.p50 : q.p50 - q.p10;
    return side > 1e-9 ? (y - q.p50) / side : null;
  };
  const pairs = hours
    .filter((h) => h.daylight)
    .map((h) => [z(h.loadKwh, h.load), z(h.pvKwh, h.pv)])
    .filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
  if (pairs.length < 3) return null;
  const mean = (k: 0 | 1) => pairs.reduce((s, p) => s + p[k], 0) / pairs.length;
  const [ma, mb] = [mean(0), mean(1)];
  let [ab, aa, bb] = [0, 0, 0];
  for (const [a, b] of pairs) {
    ab += (a - ma) * (b - mb);
    aa += (a - ma) ** 2;
    bb += (b - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Oracle factors: each meter's band calibrated on these very hours (load: all, PV: daylight). */
export function oracleCalibrations(hours: readonly SiteHour[]) {
  const day = hours.filter((h) => h.daylight);
  return {
    load: fitBandCalibration(
      hours.map((h) => h.loadKwh),
      split(hours.map((h) => h.load)),
    ),
    pv: fitBandCalibration(
      day.map((h) => h.pvKwh),
      split(day.map((h) => h.pv)),
    ),
  };
}

/** A site's scores: net as served, naive, each meter, and the net after rescaling the meters' bands. */
export function siteScores(hours: readonly SiteHour[], pvBefore: BandCalibration = IDENTITY_CALIBRATION) {
  const day = hours.filter((h) => h.daylight);
  const net = (hs: readonly SiteHour[]) => hs.map((h) => h.loadKwh - h.pvKwh);
  const oracle = oracleCalibrations(hours);
  const scored = (hs: readonly SiteHour[], f: (h: SiteHour) => Q) => bandScores(net(hs), hs.map(f));
  return {
    net: scored(hours, (h) => h.net),
    naiveSumOfQuantiles: scored(hours, (h) => sumOfQuantiles(h.load, h.pv)),
    netDaylight: scored(day, (h) => h.net),
    naiveDaylight: scored(day, (h) => sumOfQuantiles(h.load, h.pv)),
    load: bandScores(
      hours.map((h) => h.loadKwh),
      hours.map((h) => h.load),
    ),
    pvDaylight: bandScores(
      day.map((h) => h.pvKwh),
      day.map((h) => h.pv),
    ),
    errorCorrelationDaylight: errorCorrelation(hours),
    oracleFactors: { load: oracle.load, pv: oracle.pv },
    netOracleCalibrated: scored(hours, (h) => recombine(h.load, h.pv, oracle.load, oracle.pv)),
    netDaylightOracleCalibrated: scored(day, (h) => recombine(h.load, h.pv, oracle.load, oracle.pv)),
    naiveOracleCalibrated: scored(hours, (h) =>
      sumOfQuantiles(rescale(h.load, oracle.load), rescale(h.pv, oracle.pv)),
    ),
    naiveDaylightOracleCalibrated: scored(day, (h) =>
      sumOfQuantiles(rescale(h.load, oracle.load), rescale(h.pv, oracle.pv)),
    ),
    pvDaylightCalibratedBefore: bandScores(
      day.map((h) => h.pvKwh),
      day.map((h) => rescale(h.pv, pvBefore)),
    ),
    netPvCalibratedBefore: scored(hours, (h) => recombine(h.load, h.pv, IDENTITY_CALIBRATION, pvBefore)),
  };
}
