/**
 * PV generation model: capacity-normalised output (0–1) learned on top of the physical
 * clear-sky shape. Inputs: sun position and Ineichen clear-sky irradiance at the site,
 * time of day/year, and any weather predictors given (irradiance, cloud cover,
 * temperature… already in physical units, standardised with the training statistics).
 * Output: monotone quantiles (default P1…P99) from a small TF.js MLP trained on the pinball
 * loss; at night (sun below the horizon all interval) every quantile is exactly 0.
 */
import type * as tf from '@tensorflow/tfjs';
import { currentBackend, initTfBackend } from './backend';
import { SolarFeatures, solarFeatures } from './features';
import { SerializedNetwork, deserializeNetwork, serializeNetwork } from './model-artifact';
import { createQuantileNetwork, predictQuantiles, trainQuantileNetwork } from './quantile-network';

export interface PvSeries {
  /** UTC ms of the start of the first interval. */
  startMs: number;
  intervalMinutes: number;
  /** AC output ÷ capacity, per interval (NaN = missing). Absent when only forecasting. */
  generationFraction?: number[];
  latitudeDeg: number;
  longitudeDeg: number;
  altitudeM?: number;
  /** Weather predictors aligned with the intervals, physical units (e.g. ghiWm2, cloudCover, temperatureC). */
  predictors: Record<string, number[]>;
  /** Number of intervals (defaults to generationFraction's length or the first predictor's). */
  length?: number;
  /** Site identifier when one model is trained on several sites (a one-hot input). */
  siteKey?: string;
}

export const PV_PERCENTILES: number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

export interface PvHyperParameters {
  hiddenUnits: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  timeBudgetSeconds: number;
}

export const DEFAULT_PV_HYPER_PARAMETERS: PvHyperParameters = {
  hiddenUnits: [64, 32],
  epochs: 60,
  batchSize: 256,
  learningRate: 0.002,
  seed: 11,
  timeBudgetSeconds: 60,
};

export interface PvModelArtifact {
  format: 'halve-pv-model/1';
  predictorNames: string[];
  predictorMean: number[];
  predictorStd: number[];
  quantileLevels: number[];
  /** Sites seen in training (one-hot inputs); an unknown site gets all zeros. */
  siteKeys: string[];
  hyperParameters: PvHyperParameters;
  backend: string;
  trainSeconds: number;
  network: SerializedNetwork;
}

function seriesLength(series: PvSeries): number {
  if (series.length !== undefined) return series.length;
  if (series.generationFraction) return series.generationFraction.length;
  const first = Object.values(series.predictors)[0];
  if (!first) throw new Error('PvSeries needs a length, a generation series or predictors');
  return first.length;
}

/** The interval starts of steps [from, to) of a PV series (up to its length) with their sun and clear sky. */
export function pvSeriesSun(
  series: PvSeries,
  from: number,
  to: number,
): { starts: number[]; sun: SolarFeatures } {
  const n = Math.min(to, seriesLength(series));
  const starts: number[] = [];
  for (let i = from; i < n; i++) starts.push(series.startMs + i * series.intervalMinutes * 60_000);
  const { intervalMinutes, latitudeDeg, longitudeDeg, altitudeM } = series;
  return { starts, sun: solarFeatures(starts, intervalMinutes, latitudeDeg, longitudeDeg, altitudeM ?? 0) };
}

interface PvDesign {
  x: Float32Array;
  rows: number;
  columns: number;
  /** Series index of each row (daylight intervals only). */
  index: number[];
}

const SOLAR_COLUMNS = 8;

/** Design matrix of the daylight intervals in [from, to). */
export function buildPvFeatures(
  series: PvSeries,
  from: number,
  to: number,
  predictorNames: readonly string[],
  mean: readonly number[],
  std: readonly number[],
  siteKeys: readonly string[] = [],
): PvDesign {
  const { starts, sun } = pvSeriesSun(series, from, to);
  const columns = SOLAR_COLUMNS + siteKeys.length + predictorNames.length;
  const index: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    if (sun.cosZenith[k] <= 0) continue; // night: output fixed at 0
    const i = from + k;
    const t = new Date(starts[k]);
    const doy = Math.floor((starts[k] - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000);
    const azimuthRad = (sun.azimuthDeg[k] * Math.PI) / 180;
    values.push(
      sun.clearSkyGhiWm2[k] / 1000,
      sun.clearSkyDniWm2[k] / 1000,
      sun.cosZenith[k],
      Math.sin(azimuthRad),
      Math.cos(azimuthRad),
      Math.sin((2 * Math.PI * doy) / 365.25),
      Math.cos((2 * Math.PI * doy) / 365.25),
      1,
    );
    for (const key of siteKeys) values.push(key === series.siteKey ? 1 : 0);
    predictorNames.forEach((name, p) => {
      const v = series.predictors[name]?.[i];
      values.push(Number.isFinite(v) ? (v - mean[p]) / std[p] : 0);
    });
    index.push(i);
  }
  return { x: Float32Array.from(values), rows: index.length, columns, index };
}

export class PvModel {
  private constructor(
    readonly artifact: Omit<PvModelArtifact, 'network'>,
    private readonly network: tf.LayersModel,
  ) {}

  static async fromArtifact(artifact: PvModelArtifact): Promise<PvModel> {
    await initTfBackend();
    const { network, ...meta } = artifact;
    return new PvModel(meta, await deserializeNetwork(network));
  }

  /** @internal */
  static wrap(meta: Omit<PvModelArtifact, 'network'>, network: tf.LayersModel): PvModel {
    return new PvModel(meta, network);
  }

  async toArtifact(): Promise<PvModelArtifact> {
    return { ...this.artifact, network: await serializeNetwork(this.network) };
  }

  /**
   * Quantiles of the capacity-normalised output for intervals [from, to): one row per
   * interval, one column per level; 0 at night, clipped to [0, 1.05].
   */
  predict(series: PvSeries, from: number, to: number): number[][] {
    const a = this.artifact;
    const n = Math.min(to, seriesLength(series));
    const k = a.quantileLevels.length;
    const out = Array.from({ length: Math.max(0, n - from) }, () => new Array<number>(k).fill(0));
    const design = buildPvFeatures(
      series,
      from,
      n,
      a.predictorNames,
      a.predictorMean,
      a.predictorStd,
      a.siteKeys,
    );
    const q = predictQuantiles(this.network, design.x, design.rows, design.columns, a.quantileLevels);
    design.index.forEach((i, r) => {
      const row = out[i - from];
      for (let j = 0; j < k; j++) row[j] = Math.min(1.05, Math.max(0, q[r * k + j]));
    });
    return out;
  }

  dispose(): void {
    this.network.dispose();
  }
}

export interface TrainPvOptions {
  /** Train on intervals < trainEnd of each series (default: all); one value or one per series. */
  trainEnd?: number | number[];
  /** Predictor names to use (default: all in the first series' predictors). */
  predictorNames?: string[];
  quantileLevels?: number[];
  hyperParameters?: Partial<PvHyperParameters>;
  /**
   * Fine-tune this model (e.g. the generic one): its weights, predictors, standardisation and
   * quantile levels are kept, and training goes on with FINE_TUNE_PV_HYPER_PARAMETERS. Single site only.
   */
  initialArtifact?: PvModelArtifact;
}

/** Fine-tuning a trained PV model on one site's history: a lower learning rate, fewer epochs. */
export const FINE_TUNE_PV_HYPER_PARAMETERS: Partial<PvHyperParameters> = {
  epochs: 40,
  batchSize: 64,
  learningRate: 0.0005,
};

/** Mean and standard deviation (1 when flat or absent) of each predictor over the sites' training intervals. */
function predictorScaling(sites: readonly PvSeries[], ends: readonly number[], names: readonly string[]) {
  const mean: number[] = [];
  const std: number[] = [];
  for (const name of names) {
    const v = sites.flatMap((s, k) => (s.predictors[name] ?? []).slice(0, ends[k]).filter(Number.isFinite));
    const m = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
    const sd = v.length ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) : 1;
    mean.push(m);
    std.push(sd > 1e-9 ? sd : 1);
  }
  return { mean, std };
}

/**
 * Trains a PV model on one site's capacity-normalised history, or on several sites at
 * once (each with a `siteKey`), which pools their data into one network.
 */
export async function trainPvModel(
  input: PvSeries | PvSeries[],
  options: TrainPvOptions = {},
): Promise<{ model: PvModel; artifact: PvModelArtifact; trainSeconds: number }> {
  const backend = await initTfBackend();
  const sites = Array.isArray(input) ? input : [input];
  if (sites.length === 0 || sites.some((s) => !s.generationFraction))
    throw new Error('trainPvModel: every series needs generation to learn from');
  const initial = options.initialArtifact;
  if (initial && (sites.length > 1 || initial.siteKeys.length > 0))
    throw new Error('trainPvModel: fine-tuning works on one site with a single-site model');
  const hp = {
    ...DEFAULT_PV_HYPER_PARAMETERS,
    ...(initial
      ? { ...FINE_TUNE_PV_HYPER_PARAMETERS, hiddenUnits: initial.hyperParameters.hiddenUnits }
      : {}),
    ...options.hyperParameters,
  };
  const levels = initial ? initial.quantileLevels : (options.quantileLevels ?? PV_PERCENTILES);
  const ends = sites.map((s, k) => {
    const e = Array.isArray(options.trainEnd) ? options.trainEnd[k] : options.trainEnd;
    return Math.min(e ?? seriesLength(s), seriesLength(s));
  });
  const names = initial
    ? initial.predictorNames
    : (options.predictorNames ?? Object.keys(sites[0].predictors).sort());
  const siteKeys = sites.length > 1 ? sites.map((s, k) => s.siteKey ?? `site${k}`) : [];
  const { mean, std } = initial
    ? { mean: [...initial.predictorMean], std: [...initial.predictorStd] }
    : predictorScaling(sites, ends, names);
  const xs: number[] = [];
  const ys: number[] = [];
  const val: number[] = [];
  let columns = 0;
  sites.forEach((s, k) => {
    const site = siteKeys.length ? { ...s, siteKey: siteKeys[k] } : s;
    const design = buildPvFeatures(site, 0, ends[k], names, mean, std, siteKeys);
    columns = design.columns;
    design.index.forEach((i, r) => {
      const y = s.generationFraction![i];
      if (!Number.isFinite(y)) return;
      for (let c = 0; c < design.columns; c++) xs.push(design.x[r * design.columns + c]);
      ys.push(Math.max(0, y));
      // every tenth day validates
      val.push(Math.floor((s.startMs + i * s.intervalMinutes * 60_000) / 86_400_000) % 10 === 9 ? 1 : 0);
    });
  });
  if (ys.length < 50) throw new Error('trainPvModel: fewer than 50 daylight intervals with measured output');
  const network = initial
    ? await deserializeNetwork(initial.network)
    : createQuantileNetwork(columns, levels.length, hp.hiddenUnits, hp.seed);
  const started = Date.now();
  trainQuantileNetwork(network, Float32Array.from(xs), Float32Array.from(ys), ys.length, columns, {
    levels,
    epochs: hp.epochs,
    batchSize: hp.batchSize,
    learningRate: hp.learningRate,
    squaredErrorWeight: 0,
    validationFraction: 0.1,
    seed: hp.seed,
    timeBudgetSeconds: hp.timeBudgetSeconds,
    validationMask: Uint8Array.from(val),
  });
  const trainSeconds = (Date.now() - started) / 1000;
  const meta: Omit<PvModelArtifact, 'network'> = {
    format: 'halve-pv-model/1',
    predictorNames: names,
    predictorMean: mean,
    predictorStd: std,
    quantileLevels: [...levels],
    siteKeys,
    hyperParameters: hp,
    backend: currentBackend() ?? backend,
    trainSeconds,
  };
  const model = PvModel.wrap(meta, network);
  return { model, artifact: await model.toArtifact(), trainSeconds };
}

/**
 * De-accumulates an accumulated NWP field (e.g. ECMWF SSRD in J/m² since the run start):
 * the increment over each step, restarting where the accumulation resets (`isRunStart`).
 * Divide by the step length in seconds to get a mean flux (W/m²).
 */
export function deaccumulate(values: readonly number[], isRunStart: (index: number) => boolean): number[] {
  return values.map((v, i) => {
    if (i === 0 || isRunStart(i)) return v;
    const d = v - values[i - 1];
    return Number.isFinite(d) ? Math.max(d, 0) : Number.NaN;
  });
}
