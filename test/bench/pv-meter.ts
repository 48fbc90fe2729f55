/**
 * A PV meter's day-ahead forecasts the product's way, by method (session 15): NREL PVDAQ system 50
 * (Golden CO, 15-minute AC W, tilt 45°, azimuth 158°) with the NSRDB PSM3 GHI and temperature of the
 * site standing in for its irradiance forecast (a perfect-forecast setting).
 *
 *   npm run bench:pv-meter -- --data ../shared/data/pv/pvdaq [--months 2012-10,2012-11,2012-12,2013-01] [--band raw] [--generic none|FILE] [--interval 60]
 *     [--weather-timestamps start|instant|end] [--json FILE]
 *
 * For each month: trainPvVersion on the PV_TRAINING_DAYS (393) before its first local midnight (as the
 * nightly job would then: both candidates backtested on the last 28 days, the better one kept), and,
 * refitted on the same days, each candidate on its own — the quantile network fine-tuned from models/generic-pv.json
 * (trainPvModel), quantile gradient boosting (trainPvGbm, PV_GBM_PRODUCT_OPTIONS) and the two blended
 * (pvBlendArtifact, PV_BLEND_NETWORK_WEIGHT; session 16). Every day of the
 * month is forecast from its local midnight through pvForecastFromData (what the API's forecast does
 * after its reads: the band calibrated on the model's forecasts of the 28 days before, smart persistence
 * where irradiance is missing; `--band raw`: without the calibration) by each candidate, by the version trainPvVersion chose, by the generic
 * model alone and by smart persistence. Scored per daylight hour with a complete measured hour (hourly
 * sums of the 15-minute quantiles, per kW): mean pinball over P10/P50/P90, P50 MAE, P10–P90 coverage; and
 * pinball and P10–P90 coverage of the meter's own intervals, which the API serves (for 15-minute data a
 * sum of quantiles is wider than the quantile of the sum, so the hourly coverage runs higher). The kept
 * version's mean P50 − measured by local hour is printed per month and over all (session 17).
 * The generic model was trained on this array up to 2012-09-30, so only months from October 2012 on
 * are out of its sample (the default); the file ends on 2013-02-01.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ForecastModelEntity,
  PV_BLEND_NETWORK_WEIGHT,
  PV_GBM_PRODUCT_OPTIONS,
  PV_TRAINING_DAYS,
  pvNetworkOptions,
  PvArtifact,
  PvModelArtifact,
  PvSeries,
  hourlyMeans,
  initTfBackend,
  irradiance,
  packPvGbm,
  pvBlendArtifact,
  pinballLoss,
  solarFeatures,
  trainPvGbm,
  trainPvModel,
} from '@halve/forecasting';
import { WEATHER_TIMESTAMPS, WeatherTimestamps } from '@halve/metering';
import {
  DAY_MS,
  HOUR_MS,
  PvData,
  SUBJECT,
  activeOf,
  hourlyActualPv,
  localHour,
  pvDay,
  pvFractions,
  pvHour,
  readPv,
  trainPv,
  weatherIn,
} from './site-pv';

interface Args {
  data: string;
  months: string[];
  json?: string;
  /** false (`--band raw`): the bands as the models give them, without the rolling calibration. */
  calibrate: boolean;
  /**
   * The generic PV model the network is fine-tuned from: models/generic-pv.json, another artifact (`--generic FILE`,
   * e.g. one trained by scripts/train-generic-models.ts --out DIR), or none (`--generic none`: as an installation
   * without it, the network from scratch).
   */
  generic: string | null;
  /** The meter's interval: PVDAQ's 15 minutes, or (`--interval 60`) their hourly means. */
  interval: 15 | 60;
  /** `--weather-timestamps instant`: the site's setting that says PSM3 rows are samples at their time (site-pv.ts readPv). */
  weatherTimestamps: WeatherTimestamps;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    data: '',
    months: ['2012-10', '2012-11', '2012-12', '2013-01'],
    calibrate: true,
    generic: path.join(__dirname, '..', '..', 'models', 'generic-pv.json'),
    interval: 15,
    weatherTimestamps: 'start',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data') args.data = path.resolve(argv[++i]);
    else if (argv[i] === '--months') args.months = argv[++i].split(',');
    else if (argv[i] === '--json') args.json = path.resolve(argv[++i]);
    else if (argv[i] === '--band') args.calibrate = argv[++i] !== 'raw';
    else if (argv[i] === '--generic') {
      const g = argv[++i];
      args.generic = g === 'none' ? null : path.resolve(g);
    } else if (argv[i] === '--interval') args.interval = argv[++i] === '60' ? 60 : 15;
    else if (argv[i] === '--weather-timestamps') args.weatherTimestamps = weatherTimestampsArg(argv[++i]);
    else throw new Error(`bench:pv-meter: unknown argument ${argv[i]}`);
  }
  if (!args.data)
    throw new Error('bench:pv-meter: --data DIR (the PVDAQ folder of ../shared/data/pv/pvdaq) is required');
  return args;
}

function weatherTimestampsArg(v: string): WeatherTimestamps {
  const found = WEATHER_TIMESTAMPS.find((w) => w === v);
  if (!found)
    throw new Error(`bench:pv-meter: --weather-timestamps ${v}: one of ${WEATHER_TIMESTAMPS.join(', ')}`);
  return found;
}

/** Local midnight (America/Denver) starting a month given as YYYY-MM. */
function monthStart(month: string): number {
  const guess = Date.parse(`${month}-01T07:00:00Z`);
  return [guess - HOUR_MS, guess, guess + HOUR_MS].find((t) => localHour(t) === 0)!;
}

const nextMidnight = (d: number) => [23, 24, 25].map((h) => d + h * HOUR_MS).find((t) => localHour(t) === 0)!;

interface Scores {
  hours: number;
  pinball: number;
  mae: number;
  coverage: number;
  /** P10–P90 coverage and mean pinball (kWh per kW) of the meter's intervals themselves (what the API serves), daylight. */
  coverage15: number;
  pinball15: number;
  /** By local hour of the day (0–23): the scored hours and the sum of P50 − measured (kWh per kW). */
  byHour: { hours: number[]; bias: number[] };
}

/** Hourly scores, per kW, of one way of forecasting over the days [fromMs, toMs). */
async function score(
  pv: PvData,
  fromMs: number,
  toMs: number,
  active: ForecastModelEntity | null,
  generic: PvModelArtifact | null,
  calibrate: boolean,
): Promise<Scores> {
  let n = 0;
  let pin = 0;
  let mae = 0;
  let covered = 0;
  let n15 = 0;
  let covered15 = 0;
  let pin15 = 0;
  const byHour = { hours: new Array<number>(24).fill(0), bias: new Array<number>(24).fill(0) };
  for (let d = fromMs; d < toMs; d = nextMidnight(d)) {
    const f = await pvDay(pv, d, active, generic, calibrate);
    pvFractions(pv, d, d + DAY_MS).forEach((v, k) => {
      const q = f.points[k];
      if (!q || !Number.isFinite(v) || !(q.p90 > 0 || v > 0.001)) return;
      n15++;
      const e = (v * pv.stepMs) / HOUR_MS;
      if (e >= q.p10 && e <= q.p90) covered15++;
      pin15 += (pinballLoss(e, q.p10, 0.1) + pinballLoss(e, q.p50, 0.5) + pinballLoss(e, q.p90, 0.9)) / 3;
    });
    hourlyActualPv(pv, d, 1).forEach((v, h) => {
      const q = pvHour(f.points, h, 1);
      if (!Number.isFinite(v) || !(q.p90 > 0 || v > 0.001)) return;
      n++;
      pin += (pinballLoss(v, q.p10, 0.1) + pinballLoss(v, q.p50, 0.5) + pinballLoss(v, q.p90, 0.9)) / 3;
      mae += Math.abs(v - q.p50);
      if (v >= q.p10 && v <= q.p90) covered++;
      const local = localHour(d + h * HOUR_MS);
      byHour.hours[local]++;
      byHour.bias[local] += q.p50 - v;
    });
  }
  return {
    hours: n,
    pinball: pin / n,
    mae: mae / n,
    coverage: covered / n,
    coverage15: covered15 / n15,
    pinball15: pin15 / n15,
    byHour,
  };
}

/** The mean P50 − measured by local hour, where some hour was scored ("7h +0.012 …"). */
function biasLine(byHour: Scores['byHour']): string {
  return byHour.hours
    .map((n, h) =>
      n > 0 ? `${h}h ${(byHour.bias[h] / n >= 0 ? '+' : '') + (byHour.bias[h] / n).toFixed(3)}` : '',
    )
    .filter(Boolean)
    .join(' ');
}

/** Each candidate refitted on the PV_TRAINING_DAYS before `originMs` (what trainPvVersion's refit makes). */
async function candidates(pv: PvData, generic: PvModelArtifact | null, originMs: number) {
  const startMs = originMs - PV_TRAINING_DAYS * DAY_MS;
  const hourly = hourlyMeans(pvFractions(pv, startMs, originMs), startMs, pv.stepMs / 60_000);
  const starts = hourly.values.map((_, i) => hourly.startMs + i * HOUR_MS);
  const sun = solarFeatures(starts, 60, SUBJECT.latitudeDeg!, SUBJECT.longitudeDeg!, 0);
  const input = irradiance(weatherIn(pv, startMs, originMs), hourly.startMs, 60, sun.clearSkyGhiWm2);
  const series: PvSeries = {
    startMs: hourly.startMs,
    intervalMinutes: 60,
    generationFraction: hourly.values.map((y, i) => (Number.isFinite(input.values[i]) ? y : Number.NaN)),
    latitudeDeg: SUBJECT.latitudeDeg!,
    longitudeDeg: SUBJECT.longitudeDeg!,
    altitudeM: 0,
    predictors: { ghiWm2: input.values, temperatureC: input.temperatureC },
  };
  const network = await trainPvModel(series, pvNetworkOptions(generic, ['ghiWm2', 'temperatureC']));
  network.model.dispose();
  const t0 = Date.now();
  const gbm = packPvGbm(
    trainPvGbm(series, { ...PV_GBM_PRODUCT_OPTIONS, predictorNames: ['ghiWm2', 'temperatureC'] }).artifact,
  );
  const gbmSeconds = (Date.now() - t0) / 1000;
  const version = (artifact: PvArtifact) =>
    activeOf({ method: 'model', artifact, baselineName: null, reason: 'bench' });
  return {
    network: version(network.artifact),
    gbm: version(gbm),
    blend: version(pvBlendArtifact(gbm, network.artifact, PV_BLEND_NETWORK_WEIGHT)),
    seconds: { network: network.artifact.trainSeconds, gbm: gbmSeconds },
    bytes: { network: JSON.stringify(network.artifact).length, gbm: JSON.stringify(gbm).length },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await initTfBackend();
  const pv = readPv(args.data, args.interval, args.weatherTimestamps);
  const generic = args.generic
    ? (JSON.parse(fs.readFileSync(args.generic, 'utf8')) as PvModelArtifact)
    : null;
  const persistence = activeOf({
    method: 'baseline',
    baselineName: 'smartPersistence',
    artifact: null,
    reason: 'bench',
  });
  const rows: Record<string, unknown>[] = [];
  const methods = ['network', 'gbm', 'blend', 'product', 'generic', 'smartPersistence'].filter(
    (m) => generic || m !== 'generic',
  ) as ('network' | 'gbm' | 'blend' | 'product' | 'generic' | 'smartPersistence')[];
  const totals = Object.fromEntries(
    methods.map((m) => [m, { hours: 0, pinball: 0, mae: 0, covered: 0, covered15: 0, pinball15: 0 }]),
  );
  const productByHour: Scores['byHour'] = {
    hours: new Array<number>(24).fill(0),
    bias: new Array<number>(24).fill(0),
  };
  console.log(
    `PVDAQ system 50 from ${args.data}; months ${args.months.join(', ')}; per kW, hourly, daylight`,
  );
  for (const month of args.months) {
    const from = monthStart(month);
    const next = new Date(from + 32 * DAY_MS).toISOString().slice(0, 7);
    const to = Math.min(monthStart(next), pv.startMs + pv.watts.length * pv.stepMs - DAY_MS);
    const chosen = await trainPv(pv, generic, from);
    const c = await candidates(pv, generic, from);
    const active = {
      network: c.network,
      gbm: c.gbm,
      blend: c.blend,
      product: chosen.active,
      generic: null,
      smartPersistence: persistence,
    };
    const scores: Partial<Record<(typeof methods)[number], Scores>> = {};
    for (const m of methods) scores[m] = await score(pv, from, to, active[m], generic, args.calibrate);
    const picked =
      chosen.outcome.method === 'generic'
        ? 'generic'
        : ((chosen.outcome.hyperParameters as { method?: string }).method ?? chosen.outcome.baselineName);
    console.log(
      `${month}: trainPvVersion kept ${chosen.outcome.method} (${picked}); backtest ${JSON.stringify((chosen.outcome as { backtest?: { candidates?: unknown } }).backtest?.candidates ?? null)}`,
    );
    for (const m of methods) {
      const s = scores[m]!;
      console.log(
        `  ${m.padEnd(17)} pinball ${s.pinball.toFixed(5)}  MAE ${s.mae.toFixed(5)}  coverage ${s.coverage.toFixed(3)} (per interval: pinball ${s.pinball15.toFixed(5)}, coverage ${s.coverage15.toFixed(3)})  (${s.hours} h)`,
      );
      const t = totals[m];
      t.hours += s.hours;
      t.pinball += s.pinball * s.hours;
      t.mae += s.mae * s.hours;
      t.covered += s.coverage * s.hours;
      t.covered15 += s.coverage15 * s.hours; // weighted by hours: the months' interval counts are ≈ 4 ×
      t.pinball15 += s.pinball15 * s.hours;
    }
    const kept = scores.product!.byHour;
    console.log(`  product P50 − measured by local hour, kWh per kW: ${biasLine(kept)}`);
    kept.hours.forEach((n, h) => {
      productByHour.hours[h] += n;
      productByHour.bias[h] += kept.bias[h];
    });
    console.log(
      `  training ${c.seconds.network.toFixed(1)} s network, ${c.seconds.gbm.toFixed(1)} s gradient boosting; artifact ${(c.bytes.network / 1024).toFixed(0)} / ${(c.bytes.gbm / 1024).toFixed(0)} KiB`,
    );
    rows.push({
      month,
      kept: picked,
      backtest: (chosen.outcome as { backtest?: unknown }).backtest ?? null,
      scores,
      trainSeconds: c.seconds,
      artifactBytes: c.bytes,
    });
  }
  console.log('all months (hour-weighted):');
  const summary = Object.fromEntries(
    methods.map((m) => {
      const t = totals[m];
      const s = {
        hours: t.hours,
        pinball: t.pinball / t.hours,
        mae: t.mae / t.hours,
        coverage: t.covered / t.hours,
        coverage15: t.covered15 / t.hours,
        pinball15: t.pinball15 / t.hours,
      };
      console.log(
        `  ${m.padEnd(17)} pinball ${s.pinball.toFixed(5)}  MAE ${s.mae.toFixed(5)}  coverage ${s.coverage.toFixed(3)} (per interval: pinball ${s.pinball15.toFixed(5)}, coverage ${s.coverage15.toFixed(3)})`,
      );
      return [m, s];
    }),
  );
  console.log(`  product P50 − measured by local hour, kWh per kW: ${biasLine(productByHour)}`);
  if (args.json) {
    fs.writeFileSync(
      args.json,
      JSON.stringify(
        { command: `npm run bench:pv-meter -- ${process.argv.slice(2).join(' ')}`, summary, months: rows },
        null,
        2,
      ),
    );
    console.log(`wrote ${args.json}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
