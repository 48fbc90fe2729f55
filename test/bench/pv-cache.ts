/**
 * Disk cache of one bench:pv member's month forecasts (--cache DIR), so that members blended
 * at several weights, or a second run with another blend weight, reuse the GBM's quantiles
 * instead of retraining it. A file is named by the task and a hash of everything the forecast
 * depends on (method and settings); values are stored to 1e-6 of capacity.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** Forecasts (site × interval × percentile) from `dir` if cached under (task, key), else computed and stored. */
export async function cachedForecast(
  dir: string | undefined,
  task: number,
  key: unknown,
  compute: () => Promise<number[][][]>,
): Promise<{ forecasts: number[][][]; cached: boolean }> {
  if (!dir) return { forecasts: await compute(), cached: false };
  const hash = createHash('sha1').update(JSON.stringify(key)).digest('hex').slice(0, 12);
  const file = path.join(dir, `task${task}-${hash}.json.gz`);
  if (fs.existsSync(file)) return { forecasts: readForecastFile(file), cached: true };
  const forecasts = await compute();
  const rounded = forecasts.map((site) => site.map((row) => row.map((v) => Math.round(v * 1e6) / 1e6)));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(rounded)));
  return { forecasts: rounded, cached: false };
}

/** A cached forecast file's array. */
function readForecastFile(file: string): number[][][] {
  const forecasts = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as unknown;
  if (!Array.isArray(forecasts)) throw new Error(`${file} is not a cached forecast array`);
  return forecasts as number[][][];
}

/** The one cached forecast of `task` in `dir` (scratch scripts scoring a cached run); null when there is none. */
export function readCachedForecast(dir: string, task: number): number[][][] | null {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`task${task}-`)) : [];
  if (files.length > 1)
    throw new Error(`readCachedForecast: ${files.length} forecasts of task ${task} in ${dir}`);
  return files.length === 0 ? null : readForecastFile(path.join(dir, files[0]));
}
