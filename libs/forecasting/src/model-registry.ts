/**
 * The model registry's rules, without the database: what a version looks like to the API, when a
 * newly trained version becomes the active one, and the version a load training makes. The
 * repository (forecasting.repository.ts) reads and writes; ForecastingService orchestrates.
 */
import { BASELINE_NAMES, BaselineName } from './baselines';
import { BacktestResult, ForecastScores, MethodChoice } from './backtest';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { TrainedVersion } from './renewables-training';
import { MeterSeries } from './series';

export function scoresView(s: ForecastScores | null | undefined) {
  return s
    ? {
        cvRmse: s.cvRmse,
        nmbe: s.nmbe,
        mape: s.mape,
        mase: s.mase,
        pinball: s.pinball,
        coverageP10P90: s.coverageP10P90,
      }
    : null;
}

export function modelView(m: ForecastModelEntity) {
  return {
    version: m.version,
    status: m.status,
    method: m.method,
    baseline: m.baselineName,
    backend: m.backend,
    trainedFrom: m.trainedFrom,
    trainedTo: m.trainedTo,
    hyperParameters: m.hyperParameters,
    metrics: m.metrics,
    baselines: m.baselines,
    reason: m.reason,
    trainSeconds: m.trainSeconds,
    createdAt: m.createdAt,
    activatedAt: m.activatedAt,
  };
}

/**
 * A trained version becomes the active one when there is no active version, or when it is a model
 * that scores a lower CV(RMSE) than the active one (or the active one has no CV(RMSE), or is a
 * baseline). A baseline never replaces an active version.
 */
export function promotes(
  candidate: Pick<TrainedVersion, 'method' | 'metrics'>,
  active: Pick<ForecastModelEntity, 'method' | 'metrics'> | null,
): boolean {
  if (!active) return true;
  if (candidate.method !== 'model') return false;
  const activeCv = (active.metrics as { cvRmse?: number } | null)?.cvRmse;
  const newCv = candidate.metrics?.cvRmse ?? Number.POSITIVE_INFINITY;
  return activeCv === undefined || newCv < activeCv || active.method === 'baseline';
}

/** The registry row of a trained version, promoted or a candidate (the reason says why not). */
export function versionRow(
  at: { tenantId: string; meterId: string; version: number; jobId: string; backend: string; now: Date },
  v: TrainedVersion,
  active: Pick<ForecastModelEntity, 'version'> | null,
  promote: boolean,
): Partial<ForecastModelEntity> {
  return {
    tenantId: at.tenantId,
    meterId: at.meterId,
    version: at.version,
    status: promote ? 'active' : 'candidate',
    method: v.method,
    baselineName: v.baselineName,
    backend: at.backend,
    trainedFrom: v.trainedFrom,
    trainedTo: v.trainedTo,
    hyperParameters: v.hyperParameters,
    metrics: v.metrics,
    baselines: v.baselines,
    backtest: v.backtest,
    reason: promote
      ? v.reason
      : `${v.reason}; not promoted: the active version ${active!.version} scores better`,
    artifact: v.artifact,
    trainSeconds: v.trainSeconds,
    jobId: at.jobId,
    activatedAt: promote ? at.now : null,
  };
}

/** The version a load training's method choice makes (a 'generic' choice makes none). */
export function loadTrainedVersion(
  choice: MethodChoice & { method: 'model' | 'baseline' },
  series: MeterSeries,
  trainSeconds: number,
): TrainedVersion {
  const backtest = choice.backtest as BacktestResult;
  const metrics =
    choice.method === 'model'
      ? scoresView(backtest.model)
      : scoresView(backtest.baselines[choice.baseline as BaselineName]);
  return {
    method: choice.method,
    baselineName: choice.baseline ?? null,
    artifact: (choice.artifact as unknown as object) ?? null,
    hyperParameters: choice.artifact?.hyperParameters ?? {},
    metrics: metrics as TrainedVersion['metrics'],
    baselines: Object.fromEntries(BASELINE_NAMES.map((b) => [b, scoresView(backtest.baselines[b])])),
    backtest: backtest as unknown as object,
    reason: choice.reason,
    trainedFrom: new Date(series.startMs),
    trainedTo: new Date(series.startMs + series.valuesKwh.length * series.intervalMinutes * 60_000),
    trainSeconds,
  };
}
