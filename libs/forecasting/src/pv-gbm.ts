/**
 * PV quantile gradient boosting, the GEFCom2014 solar winners' family of method: one
 * quantile GBM per fitted level (optionally bagged over seeds and combined by their mean or
 * by quantile regression averaging) on the NWP predictors plus engineered features (sun
 * position, Ineichen clear sky, the clear-sky index of each irradiance predictor, local-day
 * means, hour and month for hour × month interactions, and the site's empirical clear-sky
 * profile learnt from its own output), then sorted (no crossing) and interpolated to the
 * requested percentiles. Pure TypeScript; 0 at night.
 */
import {
  GbmArtifact,
  GbmOptions,
  SerializedGbm,
  deserializeGbm,
  fitGbm,
  predictGbm,
  serializeGbm,
} from './gradient-boosting';
import { fromBase64, toBase64 } from './gbm-serialization';
import {
  clearSkyIndex,
  empiricalClearSkyProfile,
  fixQuantileCrossing,
  hourAndDay,
  interpolateQuantiles,
  localDayMeans,
} from './pv-features';
import { PV_PERCENTILES, PvSeries, pvSeriesSun } from './pv-model';
import { applyQra, fitQra } from './quantile-averaging';

/**
 * Levels fitted by default (21: 0.02, every 0.05 from 0.05 to 0.95, 0.98); the 99 percentiles
 * are interpolated between them. Chosen on GEFCom2014 tasks 1–2 over the 11 levels 0.02, 0.1, …,
 * 0.9, 0.98 (mean pinball 0.01200/0.00963 against 0.01206/0.00972); fitting 0.01 and 0.99 too
 * changed nothing.
 */
export const PV_GBM_LEVELS: number[] = [
  0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
  0.95, 0.98,
];

export const DEFAULT_PV_GBM_OPTIONS: Partial<GbmOptions> = {
  trees: 200,
  learningRate: 0.1,
  maxDepth: 5,
  minLeafRows: 20,
  rowSample: 0.7,
  columnSample: 0.7,
  earlyStoppingRounds: 30,
  seed: 11,
};

const MISSING = -999;
/**
 * An interval whose middle is after sunset (or before sunrise) is still forecast when the site's
 * clear-day profile there is above this share of capacity (an hour the sun sets in); below it, 0.
 * Not 0: a meter's few watts of noise at night put PVDAQ system 50's midnight profile at ≈ 1e-5.
 */
const LIT_PROFILE = 0.001;
/** Columns of the clear-sky GHI and the empirical clear-sky profile in the feature rows (see pvGbmFeatureNames). */
const CLEAR_SKY_COLUMN = 6;
const PROFILE_COLUMN = 7;

/** What a floored target divides by: the site's empirical clear-sky profile, or clear-sky GHI ÷ 1000 W/m². */
export type PvTargetBasis = 'profile' | 'clearSky';

/**
 * Divisor of the target of a feature row: 1 (the capacity fraction), or with a floor the
 * site's empirical clear-sky profile at that hour ('profile') or the Ineichen clear-sky GHI
 * in kW/m² ('clearSky'), at least the floor, so the trees learn the output's share of a clear
 * day's and the quantiles are scaled back row by row. The clear-sky basis is known for every
 * day of the year, the profile only for days of the year the training output covers.
 */
export function targetScale(
  floor: number | undefined,
  row: ArrayLike<number>,
  basis: PvTargetBasis = 'profile',
): number {
  if (floor === undefined) return 1;
  const v = basis === 'clearSky' ? row[CLEAR_SKY_COLUMN] / 1000 : row[PROFILE_COLUMN];
  return Math.max(floor, Number.isFinite(v) ? v : 0);
}

export interface PvGbmArtifact {
  format: 'halve-pv-gbm/2';
  predictorNames: string[];
  /** Predictors whose clear-sky index is a feature (irradiance in W/m²). */
  irradianceNames: string[];
  siteKeys: string[];
  /** Empirical clear-sky profile per site key (24 × 366), from the training output. */
  profiles: number[][];
  fittedLevels: number[];
  quantileLevels: number[];
  /** Set: the trees predict output ÷ max(basis, profileFloor) (see targetScale). */
  profileFloor?: number;
  targetBasis?: PvTargetBasis;
  /** false: no local-day means among the features (absent: with them); see TrainPvGbmOptions.dayMeans. */
  dayMeans?: boolean;
  /** gbms[level][bag]: the bagged ensembles of each fitted level (seeds seed, seed + 1, …). */
  gbms: GbmArtifact[][];
  /**
   * QRA weights per fitted level ([intercept, weight of bag 0, …]), fitted on the held-out
   * validation days; absent: the bags' plain mean.
   */
  qraWeights?: number[][];
  trainSeconds: number;
}

/** Predictor names treated as irradiance (clear-sky index features): ssrd/ghi/tsr/… in W/m². */
function irradianceNamesOf(names: readonly string[]): string[] {
  return names.filter((n) => /^(ssrd|ghi|tsr)[A-Za-z]*Wm2$/.test(n));
}

/** Predictors averaged over the local day as well: irradiance and cloud cover. */
function dayMeanNamesOf(names: readonly string[]): string[] {
  return names.filter((n) => irradianceNamesOf([n]).length > 0 || /^cloudCover$/.test(n));
}

export function pvGbmFeatureNames(predictorNames: readonly string[], dayMeans = true): string[] {
  const irr = irradianceNamesOf(predictorNames);
  return [
    'site',
    'hour',
    'month',
    'dayOfYear',
    'cosZenith',
    'azimuth',
    'clearSkyGhi',
    'profile',
    ...predictorNames,
    ...irr.map((n) => `${n}:csi`),
    ...irr.map((n) => `${n}:profileXcsi`),
    ...(dayMeans ? dayMeanNamesOf(predictorNames) : []).map((n) => `${n}:dayMean`),
  ];
}

interface Design {
  x: Float32Array;
  rows: number;
  columns: number;
  index: number[];
}

/** Feature rows of the daylight intervals [from, to) of one series. */
export function buildPvGbmFeatures(
  series: PvSeries,
  from: number,
  to: number,
  predictorNames: readonly string[],
  siteIndex: number,
  profile: ArrayLike<number>,
  withDayMeans = true,
): Design {
  const { starts, sun } = pvSeriesSun(series, from, to);
  const irr = irradianceNamesOf(predictorNames);
  const offset = series.longitudeDeg / 15;
  const dayMeans = (withDayMeans ? dayMeanNamesOf(predictorNames) : []).map((name) =>
    localDayMeans(series.predictors[name] ?? [], series.startMs, series.intervalMinutes, offset),
  );
  const columns = pvGbmFeatureNames(predictorNames, withDayMeans).length;
  const values: number[] = [];
  const index: number[] = [];
  const val = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : MISSING);
  for (let k = 0; k < starts.length; k++) {
    const i = from + k;
    const { hour, day } = hourAndDay(starts[k]);
    const prof = profile[hour * 366 + day];
    if (sun.cosZenith[k] <= 0 && !(prof > LIT_PROFILE)) continue;
    const month = new Date(starts[k]).getUTCMonth();
    values.push(
      siteIndex,
      hour,
      month,
      day,
      sun.cosZenith[k],
      sun.azimuthDeg[k],
      sun.clearSkyGhiWm2[k],
      prof,
    );
    for (const name of predictorNames) values.push(val(series.predictors[name]?.[i]));
    const csi = irr.map((name) => clearSkyIndex(series.predictors[name]?.[i], sun.clearSkyGhiWm2[k]));
    for (const c of csi) values.push(val(c));
    for (const c of csi) values.push(val(c * prof));
    for (const m of dayMeans) values.push(val(m[i]));
    index.push(i);
  }
  return { x: Float32Array.from(values), rows: index.length, columns, index };
}

export interface TrainPvGbmOptions {
  trainEnd?: number | number[];
  predictorNames?: string[];
  fittedLevels?: number[];
  quantileLevels?: number[];
  gbm?: Partial<GbmOptions>;
  /** Learn output ÷ max(basis, floor) instead of output (default: output); see targetScale. */
  profileFloor?: number;
  /** The divisor of a floored target: the empirical profile (default) or clear-sky GHI. */
  targetBasis?: PvTargetBasis;
  /** Ensembles per level, each with its own seed (row and column samples); default 1. */
  bags?: number;
  /** How bags combine: their mean (default) or QRA fitted on the validation days. */
  combine?: 'mean' | 'qra';
  /** Rows that count more (repeated in the training set); default none; see rowCopies. */
  emphasis?: RowEmphasis;
  /**
   * Local-day means of irradiance and cloud cover as features (default true). A forecast of part of
   * a day would average only that part, so the product's per-meter models go without them.
   */
  dayMeans?: boolean;
}

/**
 * Training rows that count `copies` times instead of once: those in the last `recentDays`
 * days before the training end, and/or those whose day of the year lies within `seasonDays`
 * (circular) of the day of the year `seasonLeadDays` after the training end (the middle of
 * the forecast month when that is 15).
 */
export interface RowEmphasis {
  copies: number;
  recentDays?: number;
  seasonDays?: number;
  seasonLeadDays?: number;
}

/** How many times the interval starting at `utcMs` enters training ending at `endMs` (see RowEmphasis). */
export function rowCopies(utcMs: number, endMs: number, emphasis: RowEmphasis | undefined): number {
  if (!emphasis || emphasis.copies <= 1) return 1;
  const day = 86_400_000;
  const recent = emphasis.recentDays !== undefined && utcMs >= endMs - emphasis.recentDays * day;
  let seasonal = false;
  if (emphasis.seasonDays !== undefined) {
    const a = hourAndDay(utcMs).day;
    const b = hourAndDay(endMs + (emphasis.seasonLeadDays ?? 15) * day).day;
    const d = Math.abs(a - b) % 365;
    seasonal = Math.min(d, 365 - d) <= emphasis.seasonDays;
  }
  return recent || seasonal ? Math.round(emphasis.copies) : 1;
}

/** Trains one quantile GBM per fitted level on one or several sites (pooled, a site column). */
export function trainPvGbm(input: PvSeries | PvSeries[], options: TrainPvGbmOptions = {}): PvGbmModel {
  const started = Date.now();
  const sites = Array.isArray(input) ? input : [input];
  if (sites.length === 0 || sites.some((s) => !s.generationFraction))
    throw new Error('trainPvGbm: every series needs generation to learn from');
  const names = options.predictorNames ?? Object.keys(sites[0].predictors).sort();
  const fitted = options.fittedLevels ?? PV_GBM_LEVELS;
  const siteKeys = sites.map((s, k) => s.siteKey ?? `site${k}`);
  const xs: number[] = [];
  const ys: number[] = [];
  const mask: number[] = [];
  let columns = 0;
  const profiles = sites.map((s, k) => {
    const e = Array.isArray(options.trainEnd) ? options.trainEnd[k] : options.trainEnd;
    const end = Math.min(e ?? s.generationFraction!.length, s.generationFraction!.length);
    const profile = empiricalClearSkyProfile(s.generationFraction!, s.startMs, s.intervalMinutes, end);
    const design = buildPvGbmFeatures(s, 0, end, names, k, profile, options.dayMeans !== false);
    columns = design.columns;
    const stepMs = s.intervalMinutes * 60_000;
    design.index.forEach((i, r) => {
      const y = s.generationFraction![i];
      if (!Number.isFinite(y)) return;
      const t = s.startMs + i * stepMs;
      for (let copy = rowCopies(t, s.startMs + end * stepMs, options.emphasis); copy > 0; copy--) {
        for (let c = 0; c < columns; c++) xs.push(design.x[r * columns + c]);
        const row = design.x.subarray(r * columns, (r + 1) * columns);
        ys.push(Math.max(0, y) / targetScale(options.profileFloor, row, options.targetBasis));
        mask.push(Math.floor(t / 86_400_000) % 10 === 9 ? 1 : 0);
      }
    });
    return Array.from(profile);
  });
  if (ys.length < 50) throw new Error('trainPvGbm: fewer than 50 daylight intervals with measured output');
  const x = Float32Array.from(xs);
  const y = Float32Array.from(ys);
  const validation = Uint8Array.from(mask);
  const gbmOptions = { ...DEFAULT_PV_GBM_OPTIONS, ...options.gbm };
  const bags = Math.max(1, options.bags ?? 1);
  const gbms = fitted.map((alpha) =>
    Array.from(
      { length: bags },
      (_, b) =>
        fitGbm(
          x,
          y,
          ys.length,
          columns,
          { ...gbmOptions, seed: (gbmOptions.seed ?? 11) + b, loss: 'quantile', alpha },
          validation,
        ).artifact,
    ),
  );
  const qraWeights =
    options.combine === 'qra' ? fitBagQra(gbms, fitted, x, y, columns, validation) : undefined;
  return new PvGbmModel({
    format: 'halve-pv-gbm/2',
    predictorNames: names,
    irradianceNames: irradianceNamesOf(names),
    siteKeys,
    profiles,
    fittedLevels: [...fitted],
    quantileLevels: [...(options.quantileLevels ?? PV_PERCENTILES)],
    gbms,
    qraWeights,
    profileFloor: options.profileFloor,
    targetBasis: options.targetBasis,
    ...(options.dayMeans === false ? { dayMeans: false } : {}),
    trainSeconds: (Date.now() - started) / 1000,
  });
}

/** QRA weights of each level's bags, fitted on the validation rows (which no tree trained on). */
function fitBagQra(
  gbms: GbmArtifact[][],
  levels: readonly number[],
  x: Float32Array,
  y: Float32Array,
  columns: number,
  validation: Uint8Array,
): number[][] {
  const rows: number[] = [];
  validation.forEach((v, r) => v && rows.push(r));
  const xv = new Float32Array(rows.length * columns);
  rows.forEach((r, k) => xv.set(x.subarray(r * columns, (r + 1) * columns), k * columns));
  const yv = Float64Array.from(rows, (r) => y[r]);
  return gbms.map((bags, l) =>
    fitQra(
      yv,
      bags.map((g) => predictGbm(g, xv, rows.length)),
      levels[l],
    ).weights.map((w) => Math.round(w * 1e6) / 1e6),
  );
}

export class PvGbmModel {
  constructor(readonly artifact: PvGbmArtifact) {}

  /** Quantiles (one row per interval of [from, to)) of the capacity-normalised output, 0 at night, in [0, 1.05]. */
  predict(series: PvSeries, from: number, to: number): number[][] {
    const a = this.artifact;
    const site = Math.max(0, a.siteKeys.indexOf(series.siteKey ?? ''));
    const design = buildPvGbmFeatures(
      series,
      from,
      to,
      a.predictorNames,
      site,
      a.profiles[site],
      a.dayMeans !== false,
    );
    const length =
      series.length ?? series.generationFraction?.length ?? Object.values(series.predictors)[0].length;
    const out = Array.from({ length: Math.max(0, Math.min(to, length) - from) }, () =>
      new Array<number>(a.quantileLevels.length).fill(0),
    );
    const byLevel = a.gbms.map((bags, l) => {
      const members = bags.map((g) => predictGbm(g, design.x, design.rows));
      const w = a.qraWeights?.[l];
      const row = new Float64Array(members.length);
      return Float64Array.from({ length: design.rows }, (_, r) => {
        for (let k = 0; k < members.length; k++) row[k] = members[k][r];
        return w ? applyQra(w, row) : row.reduce((s, v) => s + v, 0) / row.length;
      });
    });
    design.index.forEach((i, r) => {
      const row = design.x.subarray(r * design.columns, (r + 1) * design.columns);
      const scale = targetScale(a.profileFloor, row, a.targetBasis);
      const fitted = fixQuantileCrossing(byLevel.map((p) => Math.min(1.05, Math.max(0, p[r] * scale))));
      out[i - from] = interpolateQuantiles(a.fittedLevels, fitted, a.quantileLevels);
    });
    return out;
  }
}

/**
 * A PvGbmArtifact as the model registry stores it: each ensemble packed by serializeGbm (≈ 7 bytes a
 * node) and the clear-sky profiles as base64 float32, instead of JSON numbers (≈ 5× larger). Exact:
 * the trees saw every feature as float32.
 */
export interface PackedPvGbmArtifact extends Omit<PvGbmArtifact, 'format' | 'gbms' | 'profiles'> {
  format: 'halve-pv-gbm-packed/1';
  /** Per site key: 24 × 366 float32, base64. */
  profilesFloat32: string[];
  gbms: SerializedGbm[][];
}

export function packPvGbm(a: PvGbmArtifact): PackedPvGbmArtifact {
  const { profiles, gbms, ...rest } = a;
  return {
    ...rest,
    format: 'halve-pv-gbm-packed/1',
    profilesFloat32: profiles.map((p) => toBase64(Float32Array.from(p))),
    gbms: gbms.map((bags) => bags.map(serializeGbm)),
  };
}

export function unpackPvGbm(p: PackedPvGbmArtifact): PvGbmArtifact {
  const { profilesFloat32, gbms, ...rest } = p;
  return {
    ...rest,
    format: 'halve-pv-gbm/2',
    profiles: profilesFloat32.map((b64) =>
      Array.from(fromBase64(b64, (buffer, n) => new Float32Array(buffer, 0, n), 4)),
    ),
    gbms: gbms.map((bags) => bags.map(deserializeGbm)),
  };
}
