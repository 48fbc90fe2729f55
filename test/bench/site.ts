/**
 * Site net-load benchmark (issue 19): is the site forecast's P10–P90 band (site-forecast.ts
 * combineNetLoad: each meter a split normal, meters independent, variances added) calibrated?
 *
 *   node --require ./scripts/swc-register.js test/bench/site.ts [--buildings DIR] [--pv DIR] [--limit N] [--from MM-DD]
 *     [--json FILE] [--hp '{"timeBudgetSeconds":600}'] [--pv-band raw|rolling]
 *
 * `--pv-band raw` leaves out the PV band's rolling calibration (pv-band-calibration.ts), as before it.
 * Sites are built from real data: the load meter is a BDG2 building (hourly kWh; every k-th building of
 * the folder, --limit of them), the PV meter NREL PVDAQ system 50 (Golden CO, 15-minute AC W, tilt 45°,
 * azimuth 158°) with the NSRDB PSM3 GHI and temperature of the site standing in for its irradiance
 * forecast (a perfect-forecast setting, as the PV backtests already say). PV calendar dates are mapped
 * onto the building's year, month and day kept: by default PVDAQ 2012-10-01 … 2012-12-31 beside BDG2
 * 2017-10-01 … 2017-12-31 (test window, 92 days; `--from MM-DD` moves it). models/generic-pv.json, which
 * per-meter PV models are fine-tuned from, was trained on this array up to 2012-09-30: a window starting
 * before 2012-10-01 runs without it (the per-meter model is then trained from scratch). The PV's capacity
 * is set so that its output over the training year is 20, 30 or 40 % (by building, in turn) of the
 * building's load over its training year (PV output is forecast as a share of capacity, so this is the
 * same as scaling the building).
 *
 * Training, the product's way, once, at the start of the test window: the load meter's model by
 * chooseMethod on the 365 days before it (ForecastingService.handle: generic warm start from
 * models/generic-load.json), the PV meter's by trainPvVersion on the 365 days before it (fine-tuned from
 * models/generic-pv.json, kept only when it beats smart persistence and the generic model). Forecasts:
 * day-ahead at each local midnight of the test window, the load by forecastLoad on the 56 days before the
 * issue time (ForecastingService.forecast), the PV by pvForecast with smart persistence from the 15 days
 * before it and its band calibrated on the model's forecasts of the 28 days before it
 * (RenewableForecastingService.forecastPv, pv-band-calibration.ts); the two are combined by combineNetLoad on the
 * building's hours (days where the PV's local day is not 24 h long, clock changes, are left out).
 *
 * Scored per hour with a measured load and a complete measured PV hour: P10–P90 coverage (nominal 0.80)
 * and its two tails of the net load, of the load and of the PV (daylight hours: PV P90 > 0 or output > 0),
 * CRPS from the three quantiles (2 × mean pinball) ÷ the mean load, and the same for the naive band
 * (sum of quantiles: load P10 − PV P90 … load P90 − PV P10). Two re-combinations separate the formula
 * from the meters' own calibration (libs/forecasting/src/site-scores.ts): `oracle` rescales each meter's
 * band (calibration.ts factors) on the test hours themselves so that each meter covers 0.80 there, then
 * combines (a diagnostic of the formula, never a setting); `pvCalibratedBefore` rescales the PV band by
 * factors fitted on the 28 days before the test window (the version the product had then, forecast
 * day-ahead; on top of the rolling calibration unless `--pv-band raw`), a candidate fix that sees no test data. The load and PV errors of these synthetic sites
 * are independent by construction (different places and years), so this checks the combination formula
 * and each meter's calibration, not the weather correlation of a real site. The PV meter's code is in
 * test/bench/site-pv.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BandCalibration,
  ComponentForecast,
  ForecastModelEntity,
  LoadModelArtifact,
  LoadModelHyperParameters,
  MeterSeries,
  PvModelArtifact,
  SiteHour,
  chooseMethod,
  combineNetLoad,
  forecastLoad,
  initTfBackend,
  siteScores,
} from '@halve/forecasting';
import { BuildingData, readBuildingsFolder } from './building-data';
import {
  DAY_MS,
  HOUR_MS,
  PvData,
  PvPoint,
  activeOf,
  hourlyActualPv,
  localHour,
  pvCalibrationBefore,
  pvDay,
  pvFractions,
  pvHour,
  readPv,
  trainPv,
} from './site-pv';

/** Test window: the PV's local days and the building's (floating-clock) days, month and day kept. */
const TEST_DAYS = 92;
/** models/generic-pv.json saw system 50 up to here: a PV test window before it runs without it. */
const GENERIC_PV_TRAINED_TO = Date.parse('2012-10-01T00:00:00-06:00');
/** PV output over the training year ÷ the building's load over it, by building in turn. */
const SHARES = [0.2, 0.3, 0.4];

interface Args {
  buildings: string;
  pv: string;
  limit: number;
  /** First day of the 92-day test window, MM-DD (PV 2012, buildings 2017). */
  from: string;
  json?: string;
  hp?: Partial<LoadModelHyperParameters>;
  /** false (--pv-band raw): the PV band as the model gives it, without the rolling calibration. */
  pvCalibrated: boolean;
}

function parseArgs(argv: string[]): Args {
  const shared = path.resolve(__dirname, '../../../shared/data');
  const args: Args = {
    buildings: path.join(shared, 'buildings'),
    pv: path.join(shared, 'pv/pvdaq'),
    limit: 6,
    from: '10-01',
    pvCalibrated: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--buildings') args.buildings = path.resolve(argv[++i]);
    else if (a === '--pv') args.pv = path.resolve(argv[++i]);
    else if (a === '--limit') args.limit = Number(argv[++i]);
    else if (a === '--from') args.from = argv[++i];
    else if (a === '--json') args.json = path.resolve(argv[++i]);
    else if (a === '--pv-band') args.pvCalibrated = argv[++i] !== 'raw';
    else if (a === '--hp') args.hp = JSON.parse(argv[++i]) as Partial<LoadModelHyperParameters>;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Local midnights of the PV test window that start a 24-hour day, with the building's matching day. */
function testDays(from: string): { pvMs: number; loadMs: number }[] {
  const out: { pvMs: number; loadMs: number }[] = [];
  // local midnight in Denver, summer time (the windows start between April and October)
  let pvMs = Date.parse(`2012-${from}T00:00:00-06:00`);
  if (localHour(pvMs) !== 0) throw new Error(`--from ${from}: pick a day in summer time (April – October)`);
  const loadFrom = Date.parse(`2017-${from}T00:00:00Z`);
  for (let d = 0; d < TEST_DAYS; d++) {
    // next local midnight: 23, 24 or 25 hours later
    const next = [23, 24, 25].map((h) => pvMs + h * HOUR_MS).find((t) => localHour(t) === 0)!;
    if (next - pvMs === DAY_MS) out.push({ pvMs, loadMs: loadFrom + d * DAY_MS });
    pvMs = next;
  }
  return out;
}
/** A load day's forecast, the product's way (forecastLoad on the 56 days before the issue time). */
async function loadDay(
  series: MeterSeries,
  originMs: number,
  active: ForecastModelEntity,
  generic: LoadModelArtifact | null,
) {
  const i0 = Math.round((originMs - series.startMs) / HOUR_MS);
  const from = Math.max(0, i0 - 56 * 24);
  const recent: MeterSeries = {
    ...series,
    startMs: series.startMs + from * HOUR_MS,
    valuesKwh: series.valuesKwh.slice(from, i0),
  };
  const made = await forecastLoad({
    series: recent,
    steps: 24,
    originMs,
    historyDays: (originMs - series.startMs) / DAY_MS,
    active,
    generic: () => generic,
  });
  if (!made) throw new Error('no load forecast');
  return made.result.timesMs.map((t, i) => ({
    ts: new Date(t),
    p10: made.result.p10[i],
    p50: made.result.p50[i],
    p90: Math.max(made.result.p90[i], made.result.p50[i]),
  }));
}

/** One test day of one site: the meters' forecasts combined by combineNetLoad, and every hour with both measured. */
function dayHours(
  day: { loadMs: number; pvMs: number },
  load: { ts: Date; p10: number; p50: number; p90: number }[],
  pvPerKw: PvPoint[],
  actual: { load: number[]; pv: number[] },
  capacityKw: number,
): SiteHour[] {
  // the PV day relabelled onto the building's hours
  const pvPoints = pvPerKw.map((p) => ({
    ts: new Date(day.loadMs + (p.ts - day.pvMs)),
    p10: p.p10 * capacityKw,
    p50: p.p50 * capacityKw,
    p90: p.p90 * capacityKw,
  }));
  const components: ComponentForecast[] = [
    { role: 'load', intervalMinutes: 60, points: load },
    { role: 'pv', intervalMinutes: 15, points: pvPoints },
  ];
  const out: SiteHour[] = [];
  for (const p of combineNetLoad(components, day.loadMs, day.loadMs + DAY_MS).points) {
    const h = Math.round((p.ts.getTime() - day.loadMs) / HOUR_MS);
    const [loadKwh, pvKwh] = [actual.load[h], actual.pv[h]];
    if (!Number.isFinite(loadKwh) || !Number.isFinite(pvKwh)) continue;
    const pv = pvHour(pvPerKw, h, capacityKw);
    const { p10, p50, p90 } = load[h];
    out.push({
      loadKwh,
      pvKwh,
      load: { p10, p50, p90 },
      pv,
      net: { p10: p.p10, p50: p.p50, p90: p.p90 },
      daylight: pv.p90 > 0 || pvKwh > 0.001 * capacityKw,
    });
  }
  return out;
}

const finiteSum = (v: number[]) => v.filter(Number.isFinite).reduce((s, x) => s + x, 0);

interface Context {
  args: Args;
  pv: PvData;
  pvModel: Awaited<ReturnType<typeof trainPv>>;
  pvCalibration: BandCalibration;
  genericLoad: LoadModelArtifact | null;
  genericPv: PvModelArtifact | null;
  days: { pvMs: number; loadMs: number }[];
}

/** The load meter's version, the product's way (chooseMethod on the 365 days before the test window), timed. */
async function trainLoad(s: MeterSeries, ctx: Context) {
  const i0 = Math.round((ctx.days[0].loadMs - s.startMs) / HOUR_MS);
  const t0 = Math.max(0, i0 - 365 * 24);
  const train: MeterSeries = {
    ...s,
    startMs: s.startMs + t0 * HOUR_MS,
    valuesKwh: s.valuesKwh.slice(t0, i0),
  };
  const cpu0 = process.cpuUsage();
  const wall0 = Date.now();
  const choice = await chooseMethod(train, {
    ...(ctx.genericLoad ? { genericArtifact: ctx.genericLoad } : {}),
    ...(ctx.args.hp ? { hyperParameters: ctx.args.hp } : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  const active = activeOf({
    method: choice.method,
    artifact: choice.artifact ?? null,
    baselineName: choice.baseline ?? null,
    reason: choice.reason,
  });
  return {
    active,
    trainingYearKwh: finiteSum(train.valuesKwh),
    method: choice.method === 'model' ? 'model' : `baseline ${choice.baseline}`,
    wallSeconds: (Date.now() - wall0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** One site: the building's load model trained, the PV sized to `share`, every test day forecast and scored. */
async function runSite(b: BuildingData, share: number, ctx: Context) {
  const s = b.series;
  const load = await trainLoad(s, ctx);
  const pvOrigin = ctx.days[0].pvMs;
  const pvYearKwhPerKw = finiteSum(pvFractions(ctx.pv, pvOrigin - 365 * DAY_MS, pvOrigin)) / 4;
  const capacityKw = (share * load.trainingYearKwh) / pvYearKwhPerKw;
  const hours: SiteHour[] = [];
  const pvMethods: Record<string, number> = {};
  for (const day of ctx.days) {
    const h = Math.round((day.loadMs - s.startMs) / HOUR_MS);
    const upToOrigin = { ...s, valuesKwh: s.valuesKwh.slice(0, h) };
    const loadF = await loadDay(upToOrigin, day.loadMs, load.active, ctx.genericLoad);
    const f = await pvDay(ctx.pv, day.pvMs, ctx.pvModel.active, ctx.genericPv, ctx.args.pvCalibrated);
    pvMethods[f.method] = (pvMethods[f.method] ?? 0) + 1;
    const actual = { load: s.valuesKwh.slice(h, h + 24), pv: hourlyActualPv(ctx.pv, day.pvMs, capacityKw) };
    hours.push(...dayHours(day, loadF, f.points, actual, capacityKw));
  }
  const meanLoadKwh = finiteSum(hours.map((x) => x.loadKwh)) / hours.length;
  return {
    row: {
      building: b.name,
      type: b.type,
      pvShareOfTrainingYearLoad: share,
      pvShareOfTestLoad: finiteSum(hours.map((x) => x.pvKwh)) / finiteSum(hours.map((x) => x.loadKwh)),
      capacityKw,
      meanLoadKwh,
      loadMethod: load.method,
      loadTrainWallSeconds: load.wallSeconds,
      loadTrainCpuSeconds: load.cpuSeconds,
      pvMethods,
      ...siteScores(hours, ctx.pvCalibration),
    },
    hours,
  };
}

/** Every k-th building, so that types stay represented. */
function subset(all: BuildingData[], limit: number): BuildingData[] {
  if (limit >= all.length) return all;
  const step = all.length / limit;
  return Array.from({ length: limit }, (_, i) => all[Math.floor(i * step)]);
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '  –  ' : v.toFixed(3));

function printRow(name: string, r: ReturnType<typeof siteScores>) {
  console.log(
    `${name.padEnd(28)} net ${f3(r.net?.coverageP10P90)} (<P10 ${f3(r.net?.belowP10)} >P90 ${f3(r.net?.aboveP90)}) naive ${f3(r.naiveSumOfQuantiles?.coverageP10P90)}` +
      ` | day: net ${f3(r.netDaylight?.coverageP10P90)} naive ${f3(r.naiveDaylight?.coverageP10P90)}` +
      ` | load ${f3(r.load?.coverageP10P90)} PV ${f3(r.pvDaylight?.coverageP10P90)}` +
      ` | oracle-calibrated net ${f3(r.netOracleCalibrated?.coverageP10P90)} day ${f3(r.netDaylightOracleCalibrated?.coverageP10P90)}` +
      ` naive ${f3(r.naiveOracleCalibrated?.coverageP10P90)} day ${f3(r.naiveDaylightOracleCalibrated?.coverageP10P90)}` +
      ` | PV cal. before: PV ${f3(r.pvDaylightCalibratedBefore?.coverageP10P90)} net ${f3(r.netPvCalibratedBefore?.coverageP10P90)} | ρ ${f3(r.errorCorrelationDaylight)}`,
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const backend = await initTfBackend();
  const root = path.resolve(__dirname, '../..');
  const readModel = <T>(file: string): T | null => {
    const p = path.join(root, 'models', file);
    return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as T) : null;
  };
  const genericLoad = readModel<LoadModelArtifact>('generic-load.json');
  const pv = readPv(args.pv);
  const days = testDays(args.from);
  const genericPv =
    days[0].pvMs >= GENERIC_PV_TRAINED_TO ? readModel<PvModelArtifact>('generic-pv.json') : null;
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const pvModel = await trainPv(pv, genericPv, days[0].pvMs);
  const before = await pvCalibrationBefore(pv, genericPv, days[0].pvMs, args.pvCalibrated);
  const pvCpu = process.cpuUsage(cpu0);
  console.log(
    `backend ${backend}; ${days.length} test days; PV version: ${pvModel.outcome.method} — ${pvModel.outcome.reason}`,
  );
  console.log(
    `PV calibration on the 28 days before (version ${before.version}): coverage ${f3(before.coverageBefore)}, factors ${f3(before.calibration.lowerFactor)} / ${f3(before.calibration.upperFactor)} (${before.calibration.points} h)`,
  );
  const ctx: Context = { args, pv, pvModel, pvCalibration: before.calibration, genericLoad, genericPv, days };
  const buildings = subset(readBuildingsFolder(args.buildings), args.limit);
  const all: SiteHour[] = [];
  const rows: Awaited<ReturnType<typeof runSite>>['row'][] = [];
  for (const [k, b] of buildings.entries()) {
    const site = await runSite(b, SHARES[k % SHARES.length], ctx);
    rows.push(site.row);
    all.push(...site.hours);
    printRow(b.name, site.row);
  }
  const pooled = siteScores(all, before.calibration);
  printRow('pooled (hours of all sites)', pooled);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
  const crps = (k: 'net' | 'naiveSumOfQuantiles') =>
    median(rows.map((r) => (r[k]?.crpsKwh ?? NaN) / r.meanLoadKwh));
  const out = {
    command: `node --require ./scripts/swc-register.js test/bench/site.ts ${process.argv.slice(2).join(' ')}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    backend,
    wallSeconds: (Date.now() - started) / 1000,
    pvTrainCpuSeconds: (pvCpu.user + pvCpu.system) / 1e6,
    pvVersion: { method: pvModel.outcome.method, reason: pvModel.outcome.reason },
    pvCalibrationBefore: before,
    testWindow: {
      pv: `${new Date(days[0].pvMs).toISOString()} + ${TEST_DAYS} local days (America/Denver)`,
      genericPv: genericPv ? 'models/generic-pv.json' : 'none (it was trained on the test window)',
      load: `2017-${args.from} + ${TEST_DAYS} days (building days, month and day as the PV)`,
      daysScored: days.length,
    },
    note: 'load and PV errors independent by construction (different places and years): checks the combination and per-meter calibration, not weather correlation; PSM3 irradiance stands in for an irradiance forecast. oracle* = each meter calibrated on the test hours themselves (diagnostic, not a setting).',
    medianCrpsOverMeanLoad: { net: crps('net'), naiveSumOfQuantiles: crps('naiveSumOfQuantiles') },
    pooled,
    sites: rows,
  };
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(out, null, 2));
  console.log(
    `median CRPS ÷ mean load: net ${f3(out.medianCrpsOverMeanLoad.net)}, naive ${f3(out.medianCrpsOverMeanLoad.naiveSumOfQuantiles)}`,
  );
  console.log(
    `wall ${out.wallSeconds.toFixed(0)} s, load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
