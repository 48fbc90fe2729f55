/**
 * Load-forecast benchmark: per-meter TF.js model vs the three baselines, day-ahead,
 * issued at local midnight, on a folder of buildings.
 *
 *   node --require ./scripts/swc-register.js test/bench/forecast.ts --data DIR [--limit N] [--all] [--json FILE] [--generic FILE]
 *     [--hp '{"batchSize":512}'] [--no-backend-ratio] [--warm-start] [--demo] [--retrain-days K [--retrain-window D]]
 *     [--keep-stuck-runs]
 *
 * `--generic models/generic-load.json` fine-tunes each per-meter model from the generic one
 * (the product's path); that artifact was trained on 2016 data only, so 2017 stays unseen.
 *
 * Folders: BDG2-style (`<building>.csv` with `timestamp,kwh` + `metadata.csv` with
 * `building`, `tz`[, `use`]): the first calendar year trains, the next one is backtested.
 * BDG1 weather folders (`timestamp,energy,…,TemperatureC`, one year): the first 70 % of
 * days train, the rest is backtested three ways (issue 19): `model` with the measured temperature
 * of the forecast day standing in for a perfect weather forecast, `modelTempPersisted` (the same
 * model, the forecast day's temperature = yesterday's at the same hour: no weather forecast at
 * all) and `modelNoTemp` (the same model trained without temperature features).
 * `--demo` runs the demo organisation's Phoenix office (libs/metering/demo, BDG1 Office_Abigail
 * 2015 with its temperature) the same way.
 * Missing values: NaN, negative values and runs of ≥ 6 exact zeros (BDG2 writes 0 while a
 * meter is not reporting) are missing, and so are stuck runs (session 20, markMissing: ≥ 6 h of one exact value that
 * is ≥ 50 steps of the meter's resolution or finer than it reports — a logger's fill, as the product cleans a load
 * meter); CV(RMSE) covers every test hour with a measured value. `--keep-stuck-runs` trains and scores on the
 * stuck runs as before session 20.
 *
 * Baselines are named for what they are. `hourOfWeekTemperature` (CalTRACK-style TOWT) needs
 * outdoor temperature: on a building without any (the 68 BDG2 buildings: BDG2's weather file
 * is not obtainable here) it is reported as not available (–, null in the JSON), and the same
 * fit without temperature terms, the hour-of-week mean, is reported as `hourOfWeekMean`.
 * Every baseline's coefficients and its fallback level come from the training period only.
 *
 * Printed per method (issue 19): median CV(RMSE), P10–P90 coverage (nominal 0.80; every method's
 * bands are calibrated on the last days of the training year, calibration.ts, and from a week into the
 * test window on its own day-ahead errors of the last 56 days, rolling-calibration.ts) and CRPS from the
 * three quantiles ((2/3)·Σ pinball) ÷ the test year's mean load; and the training's wall and CPU
 * seconds next to the model's accuracy, with the load average (other processes stretch wall time).
 * `--retrain-days K`: also `modelRetrained`, the model as the product runs it (retrained every K days on the
 * 365 days before, warm-started; forecast-retrain.ts; `--retrain-window D` reads D days instead); `model` stays the static protocol (trained once).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  BASELINE_NAMES,
  BacktestResult,
  ForecastScores,
  LoadModel,
  LoadModelArtifact,
  LoadModelHyperParameters,
  ROLLING_CALIBRATION_MODEL_MIN_DAYS,
  backtestDayAhead,
  calendarInfo,
  initTfBackend,
  rollingCalibratedForecast,
  scoreForecast,
  testPoints,
  trainLoadModel,
} from '@halve/forecasting';
import {
  BuildingData,
  readBuildingsFolder,
  readDemoOffice,
  readWeatherFolder,
  secondYearStart,
} from './building-data';
import { forecastLatencyMs } from './forecast-latency';
import * as retrain from './forecast-retrain';
import { median } from './stats';

interface Args {
  data: string;
  limit?: number;
  all: boolean;
  json?: string;
  generic?: string;
  /** Hyper-parameter overrides (JSON) for experiments, e.g. '{"batchSize":512}'. */
  hp?: Partial<LoadModelHyperParameters>;
  /** Skip the unbudgeted WASM-vs-CPU training at the end (about 4 minutes). */
  noBackendRatio?: boolean;
  /**
   * Time a retraining as the nightly job runs it: a model trained (untimed) on the data up to a week
   * before the test window is the warm start of the timed training (chooseMethod's previousArtifact).
   */
  warmStart?: boolean;
  /** The demo's Phoenix office (libs/metering/demo) instead of a data folder. */
  demo?: boolean;
  /** Also score the model retrained every K days as the product retrains it (forecast-retrain.ts). */
  retrainDays?: number;
  /** Days each retraining reads (default the product's TRAINING_DAYS). */
  retrainWindowDays?: number;
  /** Train and score on stuck runs (logger fills) as before session 20. */
  keepStuckRuns?: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { data: path.resolve(__dirname, '../../../shared/data/buildings'), all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') args.data = path.resolve(argv[++i]);
    else if (a === '--limit') args.limit = Number(argv[++i]);
    else if (a === '--all') args.all = true;
    else if (a === '--json') args.json = path.resolve(argv[++i]);
    else if (a === '--generic') args.generic = path.resolve(argv[++i]);
    else if (a === '--no-backend-ratio') args.noBackendRatio = true;
    else if (a === '--warm-start') args.warmStart = true;
    else if (a === '--demo') args.demo = true;
    else if (a === '--retrain-days') args.retrainDays = Number(argv[++i]);
    else if (a === '--retrain-window') args.retrainWindowDays = Number(argv[++i]);
    else if (a === '--keep-stuck-runs') args.keepStuckRuns = true;
    else if (a === '--hp') args.hp = JSON.parse(argv[++i]) as Partial<LoadModelHyperParameters>;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(1) : '–').padStart(6);

/** The baselines as reported: the library's three, with the temperature one split by whether temperature exists. */
const REPORTED_BASELINES = [
  'seasonalNaive',
  'hourOfWeekTemperature',
  'hourOfWeekMean',
  'hourOfWeekRecentLoad',
] as const;

function hasTemperature(b: BuildingData): boolean {
  return !!b.series.temperatureC && b.series.temperatureC.some(Number.isFinite);
}

/** Every k-th building so that all types stay represented (default ~17 of 68). */
function subset(buildings: BuildingData[], args: Args): BuildingData[] {
  if (args.all) return buildings;
  const limit = args.limit ?? Math.min(buildings.length, 17);
  if (limit >= buildings.length) return buildings;
  const step = buildings.length / limit;
  return Array.from({ length: limit }, (_, i) => buildings[Math.floor(i * step)]);
}

/** Test window start: first local midnight of the second calendar year, or at 70 % of the days. */
function testStartIndex(b: BuildingData, weather: boolean): number {
  const s = b.series;
  const calendar = calendarInfo(s, s.valuesKwh.length);
  if (!weather) {
    const start = secondYearStart(s, calendar);
    if (start !== undefined) return start;
  }
  return calendar.dayStarts[Math.floor(calendar.dayStarts.length * 0.7)];
}

interface Row {
  name: string;
  type: string;
  cvRmse: Record<string, number>;
  pinball: Record<string, number>;
  /** CRPS from the three quantiles, (2/3)·Σ pinball = 2 × mean pinball, ÷ the test period's mean load. */
  relativeCrps: Record<string, number>;
  /** P10–P90 coverage by method (the model's is also `coverageP10P90`). */
  coverage: Record<string, number>;
  coverageP10P90: number;
  trainSeconds: number;
  /** CPU seconds of the training (this process, all threads): less sensitive to other load than wall time. */
  trainCpuSeconds: number;
  cvRmseWithoutTemperature?: number;
  cvRmseTemperaturePersisted?: number;
  retrain?: retrain.RetrainRow;
}

/** The weather folders' extra rows: the model with yesterday's temperature as the forecast, and without temperature. */
const TEMPERATURE_VARIANTS = ['modelTempPersisted', 'modelNoTemp'] as const;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.demo) args.data = path.resolve(__dirname, '../../libs/metering/demo');
  const weather = args.demo || !fs.existsSync(path.join(args.data, 'metadata.csv'));
  const cleaning = { stuckRuns: !args.keepStuckRuns };
  const all = args.demo
    ? [readDemoOffice(args.data, cleaning)]
    : weather
      ? readWeatherFolder(args.data, cleaning)
      : readBuildingsFolder(args.data, cleaning);
  const buildings = subset(all, args);
  const backend = await initTfBackend();
  const generic = args.generic
    ? (JSON.parse(fs.readFileSync(args.generic, 'utf8')) as LoadModelArtifact)
    : undefined;
  console.log(
    `backend ${backend}; ${buildings.length} of ${all.length} buildings from ${args.data}${weather ? ' (with temperature)' : ''}${generic ? `; fine-tuned from ${args.generic}` : ''}${args.warmStart ? '; timed training warm-starts from the model of a week before' : ''}; ${args.keepStuckRuns ? 'stuck runs kept (trained and scored on, as before session 20)' : 'stuck runs missing (logger fills: not trained or scored on)'}`,
  );
  const rows: Row[] = [];
  let latency: { model: number; product: number } | null = null;
  for (const b of buildings) {
    const testStart = testStartIndex(b, weather);
    const previous = args.warmStart ? await previousArtifact(b, testStart, args.hp) : undefined;
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const initialArtifact =
      previous ?? (generic && generic.useTemperature === !!b.series.temperatureC ? generic : undefined);
    const trained = await trainLoadModel(b.series, {
      trainEnd: testStart,
      initialArtifact,
      hyperParameters: args.hp,
    });
    const trainSeconds = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const trainCpuSeconds = (cpu.user + cpu.system) / 1e6;
    let result: BacktestResult;
    let persisted: ForecastScores | null = null;
    let retrained: retrain.RetrainedBacktest | null = null;
    try {
      result = backtestDayAhead(b.series, { testStart, model: trained.model });
      retrained = await retrain.ifAsked(args.retrainDays, b.series, {
        testStart,
        first: trained,
        hp: args.hp,
        windowDays: args.retrainWindowDays,
      });
      if (weather) persisted = scoreWithPersistedTemperature(b, testStart, trained.model);
      latency ??= await forecastLatencyMs(trained.model, b.series, testStart);
    } finally {
      trained.model.dispose();
    }
    const meanLoad = testMeanKwh(b, testStart);
    const row: Row = {
      name: b.name,
      type: b.type,
      cvRmse: { model: result.model!.cvRmse },
      pinball: { model: result.model!.pinball },
      relativeCrps: { model: (2 * result.model!.pinball) / meanLoad },
      coverage: { model: result.model!.coverageP10P90 },
      coverageP10P90: result.model!.coverageP10P90,
      trainSeconds,
      trainCpuSeconds,
    };
    for (const name of BASELINE_NAMES) {
      // Without temperature the library's hourOfWeekTemperature is an hour-of-week mean: report it under that name.
      const as = name === 'hourOfWeekTemperature' && !hasTemperature(b) ? 'hourOfWeekMean' : name;
      row.cvRmse[as] = result.baselines[name].cvRmse;
      row.pinball[as] = result.baselines[name].pinball;
      row.relativeCrps[as] = (2 * result.baselines[name].pinball) / meanLoad;
      row.coverage[as] = result.baselines[name].coverageP10P90;
    }
    if (retrained) retrain.addRetrainedScores(row, retrained, meanLoad);
    for (const name of REPORTED_BASELINES) {
      row.cvRmse[name] ??= Number.NaN; // not available
      row.pinball[name] ??= Number.NaN;
      row.relativeCrps[name] ??= Number.NaN;
      row.coverage[name] ??= Number.NaN;
    }
    if (weather) {
      const plain = await trainLoadModel(b.series, {
        trainEnd: testStart,
        useTemperature: false,
        hyperParameters: args.hp,
      });
      let noTemp: ForecastScores;
      try {
        noTemp = backtestDayAhead(b.series, { testStart, model: plain.model }).model!;
      } finally {
        plain.model.dispose();
      }
      row.cvRmseWithoutTemperature = noTemp.cvRmse;
      row.cvRmseTemperaturePersisted = persisted!.cvRmse;
      for (const [name, s] of [
        ['modelTempPersisted', persisted!],
        ['modelNoTemp', noTemp],
      ] as const) {
        row.cvRmse[name] = s.cvRmse;
        row.pinball[name] = s.pinball;
        row.relativeCrps[name] = (2 * s.pinball) / meanLoad;
        row.coverage[name] = s.coverageP10P90;
      }
    }
    rows.push(row);
    const best = bestBaseline(row);
    console.log(
      `${b.name.padEnd(30)} ${b.type.slice(0, 18).padEnd(18)} model ${pct(row.cvRmse.model)} ` +
        retrain.logPart(row) +
        REPORTED_BASELINES.map((n) => `${n} ${pct(row.cvRmse[n])}`).join(' ') +
        ` cov ${row.coverageP10P90.toFixed(2)} crps ${pct(row.relativeCrps.model)} ${row.cvRmse.model < best ? 'WIN ' : 'loss'} ${trainSeconds.toFixed(1)}s (cpu ${trainCpuSeconds.toFixed(1)}s)` +
        (row.cvRmseWithoutTemperature !== undefined
          ? ` tempPersisted ${pct(row.cvRmseTemperaturePersisted!)} noTemp ${pct(row.cvRmseWithoutTemperature)}`
          : ''),
    );
  }

  const variants = [
    ...(args.retrainDays ? retrain.RETRAINED_METHODS : []),
    ...(weather ? TEMPERATURE_VARIANTS : []),
  ];
  const methods = ['model', ...variants, ...REPORTED_BASELINES];
  if (weather)
    console.log(
      '\nmodel = with temperature, the measured temperature of the forecast day standing in for a perfect forecast; ' +
        "modelTempPersisted = the same model given yesterday's temperature at the same hour (no forecast); " +
        'modelNoTemp = the same model trained without temperature. hourOfWeekTemperature uses the measured temperature too.',
    );
  console.log('\nMedian CV(RMSE) by building type (%):');
  console.log(
    `${'type'.padEnd(32)} ${'n'.padStart(3)} ${methods.map((m) => m.slice(0, 14).padStart(15)).join('')}`,
  );
  const types = [...new Set(rows.map((r) => r.type))].sort();
  for (const type of [...types, 'ALL']) {
    const group = type === 'ALL' ? rows : rows.filter((r) => r.type === type);
    console.log(
      `${type.slice(0, 32).padEnd(32)} ${String(group.length).padStart(3)} ${methods.map((m) => pct(median(group.map((r) => r.cvRmse[m]))).padStart(15)).join('')}`,
    );
  }
  const wins = rows.filter((r) => r.cvRmse.model < bestBaseline(r)).length;
  const withoutTemperature = buildings.filter((b) => !hasTemperature(b)).length;
  if (withoutTemperature > 0)
    console.log(
      `hourOfWeekTemperature: not available on ${withoutTemperature} buildings without temperature (their hour-of-week mean is hourOfWeekMean)`,
    );
  const trainTimes = rows.map((r) => r.trainSeconds);
  const trainCpu = rows.map((r) => r.trainCpuSeconds);
  printAccuracyTable(rows, methods);
  console.log(`\nmodel beats the best baseline on ${wins}/${rows.length} buildings`);
  console.log(
    `median model coverage P10–P90 ${median(rows.map((r) => r.coverageP10P90)).toFixed(3)} (nominal 0.80)`,
  );
  console.log(
    `train seconds (${backend}): median ${median(trainTimes).toFixed(1)}, max ${Math.max(...trainTimes).toFixed(1)}; ` +
      `CPU seconds median ${median(trainCpu).toFixed(1)}, max ${Math.max(...trainCpu).toFixed(1)}; load average ${os.loadavg()[0].toFixed(1)} ` +
      `— with accuracy: median CV(RMSE) ${pct(median(rows.map((r) => r.cvRmse.model)))} %, CRPS ${pct(median(rows.map((r) => r.relativeCrps.model)))} %`,
  );
  console.log(
    `7-day forecast latency: model ${latency?.model.toFixed(1)} ms, the product's path (forecastLoad) ${latency?.product.toFixed(1)} ms`,
  );
  const retraining = args.retrainDays
    ? retrain.retrainSummary(rows, args.retrainDays, bestBaseline, args.retrainWindowDays)
    : null;
  let temperatureGain: number | undefined;
  let persistedGain: number | undefined;
  if (weather) {
    const withT = median(rows.map((r) => r.cvRmse.model));
    const persistedT = median(rows.map((r) => r.cvRmseTemperaturePersisted ?? Number.NaN));
    const withoutT = median(rows.map((r) => r.cvRmseWithoutTemperature ?? Number.NaN));
    temperatureGain = withoutT - withT;
    persistedGain = withoutT - persistedT;
    const better = (method: 'model' | 'modelTempPersisted') =>
      rows.filter((r) => r.cvRmse[method] < r.cvRmse.modelNoTemp).length;
    console.log(
      `temperature: median model CV(RMSE) ${pct(withT)} % with a perfect forecast (better than without on ${better('model')}/${rows.length}), ` +
        `${pct(persistedT)} % with yesterday's temperature persisted (better on ${better('modelTempPersisted')}/${rows.length}), ` +
        `${pct(withoutT)} % without (gain ${(100 * temperatureGain).toFixed(2)} / ${(100 * persistedGain).toFixed(2)} points)`,
    );
  }
  const ratio = args.noBackendRatio ? null : await wasmCpuRatio(buildings[0], weather, args.hp);
  if (ratio)
    console.log(
      `training time WASM ${ratio.wasmSeconds.toFixed(1)} s vs CPU ${ratio.cpuSeconds.toFixed(1)} s: WASM/CPU ratio ${ratio.ratio.toFixed(2)}`,
    );

  const summary = {
    median: Object.fromEntries(methods.map((m) => [m, median(rows.map((r) => r.cvRmse[m]))])) as Record<
      string,
      number
    >,
    buildings: rows.map((r) => ({
      name: r.name,
      type: r.type,
      cvRmse: r.cvRmse,
      pinball: r.pinball,
      relativeCrps: r.relativeCrps,
      coverage: r.coverage,
      coverageP10P90: r.coverageP10P90,
      trainSeconds: r.trainSeconds,
      trainCpuSeconds: r.trainCpuSeconds,
      ...(r.cvRmseWithoutTemperature !== undefined
        ? {
            cvRmseWithoutTemperature: r.cvRmseWithoutTemperature,
            cvRmseTemperaturePersisted: r.cvRmseTemperaturePersisted,
          }
        : {}),
      ...(r.retrain ? { retrain: r.retrain } : {}),
    })),
    winsOverBestBaseline: wins,
    /** the baselines reported as null: hourOfWeekTemperature where a building has no temperature */
    buildingsWithoutTemperature: withoutTemperature,
    medianCoverage: Object.fromEntries(methods.map((m) => [m, median(rows.map((r) => r.coverage[m]))])),
    medianRelativeCrps: Object.fromEntries(
      methods.map((m) => [m, median(rows.map((r) => r.relativeCrps[m]))]),
    ),
    trainSeconds: { median: median(trainTimes), max: Math.max(...trainTimes) },
    trainCpuSeconds: { median: median(trainCpu), max: Math.max(...trainCpu) },
    loadAverage: os.loadavg(),
    forecast7DayLatencyMs: latency?.model ?? null,
    forecast7DayProductLatencyMs: latency?.product ?? null,
    wasmCpuTrainingRatio: ratio?.ratio ?? null,
    ...(temperatureGain !== undefined
      ? { temperatureGainCvRmse: temperatureGain, persistedTemperatureGainCvRmse: persistedGain }
      : {}),
    backend,
    dataFolder: args.data,
    fineTunedFrom: args.generic ?? null,
    warmStart: !!args.warmStart,
    stuckRuns: args.keepStuckRuns ? 'kept' : 'missing',
    protocol: retraining?.protocol ?? { model: retrain.STATIC_PROTOCOL },
    retraining,
  };
  if (args.json) {
    fs.writeFileSync(args.json, JSON.stringify(summary, null, 2));
    console.log(`wrote ${args.json}`);
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

/** The model a week before the test window (the active model a nightly retraining starts from). */
async function previousArtifact(
  b: BuildingData,
  testStart: number,
  hp: Partial<LoadModelHyperParameters> | undefined,
): Promise<LoadModelArtifact> {
  const weekBefore = testStart - 7 * Math.round(1440 / b.series.intervalMinutes);
  const trained = await trainLoadModel(b.series, { trainEnd: weekBefore, hyperParameters: hp });
  trained.model.dispose();
  return trained.artifact;
}

/** The model's day-ahead scores over the test window when each day's temperature is yesterday's persisted. */
function scoreWithPersistedTemperature(b: BuildingData, testStart: number, model: LoadModel): ForecastScores {
  const s = b.series;
  const calendar = calendarInfo(s, s.valuesKwh.length);
  const points = testPoints(s, calendar, testStart, s.valuesKwh.length);
  // the band recalibrated on the same variant's own past errors, as backtestDayAhead does for every method
  const q = rollingCalibratedForecast(
    s,
    calendar,
    points,
    (pts) => model.predictPoints(s, calendar, pts, { horizonTemperature: 'persistence' }),
    { notBefore: testStart, minDays: ROLLING_CALIBRATION_MODEL_MIN_DAYS },
  ).forecast;
  return scoreForecast(
    points.map((p) => s.valuesKwh[p.target]),
    q,
    Number.NaN,
  );
}

/** Mean of the measured test values (the divisor of the relative CRPS, as of CV(RMSE)). */
function testMeanKwh(b: BuildingData, testStart: number): number {
  let sum = 0;
  let n = 0;
  for (let t = testStart; t < b.series.valuesKwh.length; t++) {
    const v = b.series.valuesKwh[t];
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return sum / n;
}

/** Per method, over all buildings: median CV(RMSE), P10–P90 coverage and CRPS ÷ mean load, side by side. */
function printAccuracyTable(rows: Row[], methods: string[]): void {
  console.log('\nAll buildings, medians: CV(RMSE) %, P10–P90 coverage (nominal 0.80), CRPS ÷ mean load %');
  console.log(
    `${'method'.padEnd(24)} ${'CV(RMSE)'.padStart(9)} ${'coverage'.padStart(9)} ${'CRPS'.padStart(7)}`,
  );
  for (const m of methods) {
    const cov = median(rows.map((r) => r.coverage[m]));
    console.log(
      `${m.padEnd(24)} ${pct(median(rows.map((r) => r.cvRmse[m]))).padStart(9)} ${(Number.isFinite(cov) ? cov.toFixed(3) : '–').padStart(9)} ${pct(median(rows.map((r) => r.relativeCrps[m]))).padStart(7)}`,
    );
  }
}

/** The best available baseline's CV(RMSE) (not-available ones are NaN and skipped). */
function bestBaseline(row: Row): number {
  return Math.min(...REPORTED_BASELINES.map((n) => row.cvRmse[n]).filter(Number.isFinite));
}

async function wasmCpuRatio(
  b: BuildingData,
  weather: boolean,
  hp: Partial<LoadModelHyperParameters> | undefined,
): Promise<{ wasmSeconds: number; cpuSeconds: number; ratio: number } | null> {
  const testStart = testStartIndex(b, weather);
  const timeOn = async (backend: 'wasm' | 'cpu'): Promise<number | null> => {
    if ((await initTfBackend(backend)) !== backend) return null;
    const t0 = Date.now();
    const trained = await trainLoadModel(b.series, {
      trainEnd: testStart,
      hyperParameters: { ...hp, timeBudgetSeconds: 600 },
    });
    trained.model.dispose();
    return (Date.now() - t0) / 1000;
  };
  const wasmSeconds = await timeOn('wasm');
  const cpuSeconds = await timeOn('cpu');
  await initTfBackend('wasm');
  if (wasmSeconds === null || cpuSeconds === null) return null;
  return { wasmSeconds, cpuSeconds, ratio: wasmSeconds / cpuSeconds };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
