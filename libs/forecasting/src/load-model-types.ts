/** The load model's settings, artifact and results, as plain types (the model itself: load-model.ts). */
import type { BandCalibration } from './calibration';
import { DEFAULT_RECENT_ERROR_CORRECTION, RecentErrorCorrection } from './error-correction';
import type { GbmOptions, SerializedGbm } from './gradient-boosting';
import type { SerializedNetwork } from './model-artifact';

export const LOAD_QUANTILE_LEVELS = [0.1, 0.5, 0.9] as const;

export interface LoadModelHyperParameters {
  hiddenUnits: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  squaredErrorWeight: number;
  validationFraction: number;
  /** Extra training points per target at a random lead of 1–6 days (0 = day-ahead only; fractions allowed). */
  extraLeadsPerTarget: number;
  seed: number;
  timeBudgetSeconds: number;
  /**
   * Ensemble members, by the divisor of their load inputs/targets: the mean of the week
   * before each origin ('recentLevel') or the meter's mean ('meterScale'). The members'
   * quantiles are averaged; the two views err differently, so the mix beats either.
   */
  members: LoadNormalisation[];
  /**
   * Share of the P50 given to the model's linear member, a least-squares regression on hour of
   * week and recent load fitted on the same training days (0 = the networks alone). The bands keep
   * the networks' width around the blended median.
   */
  linearWeight: number;
  /**
   * Share of the P50 given to the tree member: gradient-boosted trees on the 'recentLevel'
   * features without their one-hot columns (0 = no trees). Fitted first, inside the time budget.
   */
  treeWeight: number;
  /** Overrides of the tree member's options (DEFAULT_GBM_OPTIONS). */
  treeOptions?: Partial<GbmOptions>;
  /**
   * Share of the model's own error on the day before the origin (mean of actual − forecast,
   * that day's forecast issued at its own start) added to the first day after the origin; the
   * later days of a horizon are left as they are (0 = off; absent in older artifacts).
   */
  residualCorrection?: number;
  /**
   * Shifts of every forecast interval by the model's own recent errors at the same hour of the week and
   * of the day, each forecast day-ahead, shrunk toward 0 (error-correction.ts; absent = off, as in
   * older artifacts).
   */
  recentErrorCorrection?: RecentErrorCorrection;
  /**
   * Days at the end of the training data held out from every member's training: early stopping of
   * the networks and the trees, and the P10/P90 calibration (calibration.ts), use them (absent or 0 =
   * no window: validation on every tenth day and uncalibrated bands, as older artifacts).
   */
  calibrationDays?: number;
  /** Stop a network's training when its validation loss has not improved for this many epochs (0 = never). */
  patience?: number;
  /**
   * With a calibration window: after calibrating, the trees are fitted again on all rows (as many
   * trees as early stopping kept), the linear member too, and each network continues this many
   * epochs over all rows (load-training-set.ts, refitOnAllRows). Absent = no refit.
   */
  refitEpochs?: number;
}

export type LoadNormalisation = 'meterScale' | 'recentLevel';

export const DEFAULT_LOAD_HYPER_PARAMETERS: LoadModelHyperParameters = {
  hiddenUnits: [64, 32],
  // issue 19: 24 epochs with early stopping on the calibration window (patience 5), the trees on
  // half the rows per tree, instead of 60 epochs on a 25 s budget (default subset: 14 epochs were
  // 0.9 % worse by geometric mean of CV(RMSE) than before, 24 epochs 0.25 %, at a fifth of the CPU)
  epochs: 24,
  batchSize: 256,
  learningRate: 0.003,
  squaredErrorWeight: 2,
  validationFraction: 0.1,
  extraLeadsPerTarget: 0.25,
  seed: 7,
  timeBudgetSeconds: 25,
  members: ['recentLevel', 'meterScale'],
  linearWeight: 0.2,
  treeWeight: 0.4,
  treeOptions: { rowSample: 0.5 },
  residualCorrection: 0.2,
  recentErrorCorrection: DEFAULT_RECENT_ERROR_CORRECTION,
  calibrationDays: 56,
  patience: 5,
  refitEpochs: 0,
};

/** Fine-tuning from a generic or the previous model: fewer epochs, lower learning rate. */
export const FINE_TUNE_HYPER_PARAMETERS: Partial<LoadModelHyperParameters> = {
  epochs: 8,
  learningRate: 0.0015,
};

/**
 * The generic model's training (scripts/train-generic-models.ts), as the shipped models/generic-load.json
 * was trained: 60 epochs, no calibration window (every tenth day validates), no early stopping.
 */
export const GENERIC_LOAD_HYPER_PARAMETERS: Partial<LoadModelHyperParameters> = {
  epochs: 60,
  learningRate: 0.002,
  treeOptions: undefined,
  calibrationDays: 0,
  patience: 0,
  refitEpochs: undefined,
};

export interface LoadModelArtifact {
  format: 'halve-load-model/1';
  featureNames: string[];
  useTemperature: boolean;
  quantileLevels: number[];
  intervalMinutes: number;
  /**
   * Mean load of the training data, kWh per interval (the divisor of inputs and outputs);
   * null for a generic model, which uses the mean of the meter it forecasts.
   */
  scaleKwh: number | null;
  trainedFrom: string | null;
  trainedTo: string | null;
  hyperParameters: LoadModelHyperParameters;
  backend: string;
  trainSeconds: number;
  /** One serialised network per entry of hyperParameters.members. */
  networks: SerializedNetwork[];
  /** The linear member's coefficients (RECENT_LOAD_REGRESSION_COLUMNS); absent in generic models. */
  linearCoefficients?: number[];
  /** The tree member, over the 'recentLevel' feature matrix; absent in generic and older models. */
  trees?: SerializedGbm;
  /** Factors of the P10–P90 band fitted on the calibration window; absent in generic and older models. */
  bandCalibration?: BandCalibration;
}

export interface LoadTrainingMetrics {
  /** Pinball loss (ratio units) on the held-out latest part of the training data. */
  validationPinball: number;
  epochsRun: number;
  bestEpoch: number;
  trainSeconds: number;
  trainingRows: number;
  /** Trees the tree member kept (early stopping), 0 without one. */
  trees: number;
}

export interface TrainLoadOptions {
  /** Train on targets with index < trainEnd (default: the whole series). */
  trainEnd?: number;
  /** Start from this model's weights (fine-tuning); feature sets must match. */
  initialArtifact?: LoadModelArtifact;
  hyperParameters?: Partial<LoadModelHyperParameters>;
  /** Use temperature features when the series has temperature (default true). */
  useTemperature?: boolean;
}

export interface QuantilePoints {
  timesMs: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}
