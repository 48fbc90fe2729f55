/**
 * A stored PV model, whichever kind: the quantile network of pv-model.ts (the generic model and
 * per-meter models fine-tuned from it) or the quantile gradient boosting of pv-gbm.ts (per-meter
 * models of hourly meters, packed for the registry). Forecasting loads either through
 * loadPvPredictor and reads the same quantile rows.
 */
import { PackedPvGbmArtifact, PvGbmModel, unpackPvGbm } from './pv-gbm';
import { PvModel, PvModelArtifact, PvSeries } from './pv-model';

export type PvArtifact = PvModelArtifact | PackedPvGbmArtifact;

/** Whether a stored artifact is a PV model this code can forecast with. */
export function isPvArtifact(a: unknown): a is PvArtifact {
  const format = (a as { format?: unknown } | null)?.format;
  return format === 'halve-pv-model/1' || format === 'halve-pv-gbm-packed/1';
}

/** The method's name as the API's reasons say it. */
export function pvMethodLabel(a: PvArtifact): string {
  return a.format === 'halve-pv-model/1' ? 'quantile neural network' : 'quantile gradient boosting';
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
