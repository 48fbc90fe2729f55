/**
 * The jobs forecasting owns, by name: the type stored in `jobs.type` and the prefix of every job id
 * (jobId(FORECAST_TRAIN_JOB, key)). Changing a value orphans queued jobs: add a new one instead.
 */

/** `forecast-train` {meterId}: trains a version of one meter's model (ForecastTrainJob). */
export const FORECAST_TRAIN_JOB = 'forecast-train';

/** The daily task that enqueues a FORECAST_TRAIN_JOB per stale meter (BullMQ job scheduler id). */
export const NIGHTLY_TRAINING = 'forecast-nightly-train';
