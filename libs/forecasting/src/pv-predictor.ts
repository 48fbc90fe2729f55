/**
 * A stored PV model, whichever kind: the quantile network of pv-model.ts (the generic model and
 * per-meter models fine-tuned from it), the quantile gradient boosting of pv-gbm.ts (per-meter
 * models of hourly meters, packed for the registry), or the two averaged at each level (a blend).
 * Forecasting loads any of them through loadPvPredictor and reads the same quantile rows.
 */
import { blendQuantiles } from './pv-analog';
import { PackedPvGbmArtifact, PvGbmModel, unpackPvGbm } from './pv-gbm';
import { PvModel, PvModelArtifact, PvSeries } from './pv-model';

/**
 * Gradient boosting and the quantile network averaged at each level, (1 − networkWeight)·trees +
 * networkWeight·network: the two err differently (the network generalises over a season the trees'
 * month and day-of-year splits have not seen).
 */
export interface PvBlendArtifact {
  format: 'halve-pv-blend/1';
  quantileLevels: number[];
  predictorNames: string[];
  networkWeight: number;
  gbm: PackedPvGbmArtifact;
  network: PvModelArtifact;
}

export type PvArtifact = PvModelArtifact | PackedPvGbmArtifact | PvBlendArtifact;

/** Whether a stored artifact is a PV model this code can forecast with. */
export function isPvArtifact(a: unknown): a is PvArtifact {
  const format = (a as { format?: unknown } | null)?.format;
  return format === 'halve-pv-model/1' || format === 'halve-pv-gbm-packed/1' || format === 'halve-pv-blend/1';
}

/** The method's name as the API's reasons say it. */
export function pvMethodLabel(a: PvArtifact): string {
  if (a.format === 'halve-pv-blend/1')
    return `quantile gradient boosting blended with the quantile network at ${Math.round(a.networkWeight * 100)} %`;
  return a.format === 'halve-pv-model/1' ? 'quantile neural network' : 'quantile gradient boosting';
}

/** Column of each of `levels` among `of` (null when one is missing). */
export function levelColumns(levels: readonly number[], of: readonly number[]): number[] | null {
  const columns = levels.map((l) => of.findIndex((m) => Math.abs(m - l) < 1e-9));
  return columns.every((c) => c >= 0) ? columns : null;
}

/** The blend of a packed GBM and a network artifact at the GBM's levels (the network must have them). */
export function pvBlendArtifact(
  gbm: PackedPvGbmArtifact,
  network: PvModelArtifact,
  networkWeight: number,
): PvBlendArtifact {
  if (!(networkWeight > 0 && networkWeight < 1)) throw new RangeError('pvBlendArtifact: weight in (0, 1)');
  if (!levelColumns(gbm.quantileLevels, network.quantileLevels))
    throw new RangeError("pvBlendArtifact: the network lacks some of the trees' quantile levels");
  return {
    format: 'halve-pv-blend/1',
    quantileLevels: [...gbm.quantileLevels],
    predictorNames: [...new Set([...gbm.predictorNames, ...network.predictorNames])],
    networkWeight,
    gbm,
    network,
  };
}

/** (1 − w)·trees + w·network at the trees' levels (`columns`: the network's column of each). */
export function blendPvRows(
  trees: readonly (readonly number[])[],
  network: readonly (readonly number[])[],
  columns: readonly number[],
  w: number,
): number[][] {
  return blendQuantiles(
    trees,
    network.map((row) => columns.map((c) => row[c])),
    w,
  );
}

export interface PvPredictor {
  readonly quantileLevels: readonly number[];
  readonly predictorNames: readonly string[];
  /** Quantile rows (one per interval of [from, to)) of output ÷ capacity, 0 at night. */
  predict(series: PvSeries, from: number, to: number): number[][];
  /** Frees the network's tensors (nothing for trees). */
  dispose(): void;
}

export async function loadPvPredictor(a: PvArtifact): Promise<PvPredictor> {
  const { quantileLevels, predictorNames } = a;
  if (a.format === 'halve-pv-blend/1') {
    const columns = levelColumns(a.quantileLevels, a.network.quantileLevels);
    if (!columns) throw new RangeError("halve-pv-blend/1: the network lacks some of the blend's levels");
    const gbm = await loadPvPredictor(a.gbm);
    const network = await loadPvPredictor(a.network);
    return {
      quantileLevels,
      predictorNames,
      predict: (s, from, to) =>
        blendPvRows(gbm.predict(s, from, to), network.predict(s, from, to), columns, a.networkWeight),
      dispose: () => {
        gbm.dispose();
        network.dispose();
      },
    };
  }
  if (a.format === 'halve-pv-model/1') {
    const model = await PvModel.fromArtifact(a);
    return {
      quantileLevels,
      predictorNames,
      predict: (s, from, to) => model.predict(s, from, to),
      dispose: () => model.dispose(),
    };
  }
  const model = new PvGbmModel(unpackPvGbm(a));
  return {
    quantileLevels,
    predictorNames,
    predict: (s, from, to) => model.predict(s, from, to),
    dispose: () => undefined,
  };
}
