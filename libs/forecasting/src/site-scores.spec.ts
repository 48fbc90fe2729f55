import { IDENTITY_CALIBRATION } from './calibration';
import {
  SiteHour,
  bandScores,
  errorCorrelation,
  oracleCalibrations,
  recombine,
  siteScores,
  sumOfQuantiles,
} from './site-scores';

const band = (p10: number, p50: number, p90: number) => ({ p10, p50, p90 });
const ZERO = band(0, 0, 0);

describe('site net-load scores', () => {
  it('scores a band: coverage, both tails, CRPS from three quantiles and mean width', () => {
    const q = band(2, 4, 6);
    const s = bandScores([1, 5, 10, 3], [q, q, q, q])!;
    expect([s.hours, s.coverageP10P90, s.belowP10, s.aboveP90]).toEqual([4, 0.5, 0.25, 0.25]);
    // pinball by hand (levels 0.1, 0.5, 0.9): y=1: 0.9+1.5+0.5; y=5: 0.3+0.5+0.1; y=10: 0.8+3+3.6; y=3: 0.1+0.5+0.3
    // = 12.1 over 12 → mean 1.008333, CRPS = 2 × mean
    expect(s.crpsKwh).toBeCloseTo((2 * 12.1) / 12, 10);
    expect(s.meanBandWidthKwh).toBe(4);
    expect(bandScores([], [])).toBeNull();
  });

  it('sums quantiles for the naive band, generation’s upper quantile under the load’s lower one', () => {
    expect(sumOfQuantiles(band(8, 10, 12), band(0, 5, 6))).toEqual(band(2, 5, 12));
  });

  it('recombines through combineNetLoad, after rescaling each meter’s sides', () => {
    const same = recombine(band(8, 10, 12), band(0, 5, 6), IDENTITY_CALIBRATION, IDENTITY_CALIBRATION);
    // P50 5; below √(2² + 1²) = √5, above √(2² + 5²) = √29
    expect(same.p50).toBeCloseTo(5, 12);
    expect(same.p10).toBeCloseTo(5 - Math.sqrt(5), 10);
    expect(same.p90).toBeCloseTo(5 + Math.sqrt(29), 10);
    const scaled = recombine(
      band(8, 10, 12),
      band(0, 5, 6),
      { lowerFactor: 2, upperFactor: 1, points: 0 },
      { lowerFactor: 1, upperFactor: 0.5, points: 0 },
    );
    // load 6/10/12, PV 0/5/5.5: below √(4² + 0.5²) = √16.25, above √(2² + 5²)
    expect(scaled.p10).toBeCloseTo(5 - Math.sqrt(16.25), 10);
    expect(scaled.p90).toBeCloseTo(5 + Math.sqrt(29), 10);
  });

  it('correlates the meters’ standardised errors over daylight hours only', () => {
    const hour = (loadKwh: number, pvKwh: number, daylight = true): SiteHour => ({
      loadKwh,
      pvKwh,
      load: band(8, 10, 12),
      pv: band(0, 5, 6),
      net: ZERO,
      daylight,
    });
    // z: load (y − 10)/2, PV below 5 ÷ 5, above 5 ÷ 1: (0.5, 0.5), (−0.5, −0.5), (1, 1)
    const together = [hour(11, 5.5), hour(9, 2.5), hour(12, 6), hour(12, 0, false)];
    expect(errorCorrelation(together)).toBeCloseTo(1, 12);
    const opposite = [hour(11, 2.5), hour(9, 5.5), hour(12, 0), hour(8, 6, false)];
    expect(errorCorrelation(opposite)).toBeCloseTo(-1, 12);
    expect(errorCorrelation(together.slice(0, 2))).toBeNull();
  });

  it('calibrates each meter on the scored hours for the oracle, and the net band follows', () => {
    // 100 night hours: load 10 ± 1 forecast, measured 10 + d with d = −4.95 … 4.95 in steps of 0.1
    const hours: SiteHour[] = Array.from({ length: 100 }, (_, i) => ({
      loadKwh: 10 + (i - 49.5) / 10,
      pvKwh: 0,
      load: band(9, 10, 11),
      pv: ZERO,
      net: band(9, 10, 11),
      daylight: false,
    }));
    const oracle = oracleCalibrations(hours);
    // split-conformal: the ⌈101 × 0.9⌉ = 91st smallest of the scores −4.95 … 4.95 is 4.05, either side
    expect(oracle.load.lowerFactor).toBeCloseTo(4.05, 10);
    expect(oracle.load.upperFactor).toBeCloseTo(4.05, 10);
    expect(oracle.pv.points).toBe(0); // no daylight hour: the PV is left as it is
    const s = siteScores(hours);
    expect(s.net!.coverageP10P90).toBeCloseTo(0.2, 12); // |d| ≤ 1: 20 of 100
    expect(s.netOracleCalibrated!.coverageP10P90).toBeCloseTo(0.82, 12); // |d| ≤ 4.05: 82 of 100
    expect(s.naiveOracleCalibrated!.coverageP10P90).toBeCloseTo(0.82, 12);
    expect(s.pvDaylight).toBeNull();
    expect(s.netDaylight).toBeNull();
  });
});
