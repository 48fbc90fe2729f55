/**
 * A training task as plain data, and running it: what a training thread (training-thread.ts) gets
 * and does. The series travel as Float64Arrays (transferred, not copied); the same training code as
 * before runs on them, so a model trained in the thread is the one the main thread would have trained.
 * This module and what it imports stay free of NestJS, TypeORM and the other libs: a thread loads
 * only the forecasting maths and TF.js.
 */
import { initTfBackend, TfBackendName } from './backend';
import { ChooseMethodOptions, MethodChoice, chooseMethod } from './backtest';
import { LoadModelArtifact, LoadModelHyperParameters } from './load-model';
import {
  RenewableTrainingData,
  TrainOutcome,
  TrainingProgress,
  trainWindVersion,
} from './renewables-training';
import { trainPvVersion } from './pv-training';
import { MeterSeries } from './series';

/** A MeterSeries whose values are typed arrays (transferable). */
export interface PackedSeries extends Omit<MeterSeries, 'valuesKwh' | 'temperatureC'> {
  valuesKwh: Float64Array;
  temperatureC?: Float64Array;
}

export type TrainingTask =
  | {
      kind: 'load';
      series: PackedSeries;
      genericArtifact?: LoadModelArtifact;
      /** The meter's active model: the warm start of a retraining (chooseMethod). */
      previousArtifact?: LoadModelArtifact;
      hyperParameters?: Partial<LoadModelHyperParameters>;
    }
  | { kind: 'pv' | 'wind'; data: Omit<RenewableTrainingData, 'fractions'> & { fractions: Float64Array } };

export type TrainingResult =
  | { kind: 'load'; backend: TfBackendName; trainSeconds: number; choice: MethodChoice }
  | { kind: 'pv' | 'wind'; backend: TfBackendName; outcome: TrainOutcome };

export function packSeries(series: MeterSeries): PackedSeries {
  const { valuesKwh, temperatureC, ...rest } = series;
  return {
    ...rest,
    valuesKwh: Float64Array.from(valuesKwh),
    ...(temperatureC ? { temperatureC: Float64Array.from(temperatureC) } : {}),
  };
}

export function unpackSeries(packed: PackedSeries): MeterSeries {
  const { valuesKwh, temperatureC, ...rest } = packed;
  return {
    ...rest,
    valuesKwh: Array.from(valuesKwh),
    ...(temperatureC ? { temperatureC: Array.from(temperatureC) } : {}),
  };
}

/** The buffers a task can hand over to its thread instead of copying them. */
export function transferablesOf(task: TrainingTask): ArrayBuffer[] {
  if (task.kind === 'load') {
    const out = [task.series.valuesKwh.buffer as ArrayBuffer];
    if (task.series.temperatureC) out.push(task.series.temperatureC.buffer as ArrayBuffer);
    return out;
  }
  return [task.data.fractions.buffer as ArrayBuffer];
}

/** Runs a task (in a training thread, or in this one for a test): initialises TF.js, trains, returns what the service stores. */
export async function runTrainingTask(
  task: TrainingTask,
  progress: TrainingProgress,
): Promise<TrainingResult> {
  const backend = await initTfBackend();
  if (task.kind === 'load') {
    const options: ChooseMethodOptions = {
      ...(task.genericArtifact ? { genericArtifact: task.genericArtifact } : {}),
      ...(task.previousArtifact ? { previousArtifact: task.previousArtifact } : {}),
      ...(task.hyperParameters ? { hyperParameters: task.hyperParameters } : {}),
    };
    const started = Date.now();
    const choice = await chooseMethod(unpackSeries(task.series), options);
    return { kind: 'load', backend, trainSeconds: (Date.now() - started) / 1000, choice };
  }
  const data: RenewableTrainingData = { ...task.data, fractions: Array.from(task.data.fractions) };
  const outcome =
    task.kind === 'pv' ? await trainPvVersion(data, progress) : await trainWindVersion(data, progress);
  return { kind: task.kind, backend, outcome };
}
