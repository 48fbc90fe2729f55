/* scratch (session 15): PVDAQ system 50, product inputs (PSM3 GHI + temperature, hourly): the fine-tuned
   network (as trainPvVersion trains it) against quantile GBM candidates, trained on the 365 days before W,
   scored on the daylight hours of [W, W + 28 d): pinball at P10/P50/P90 and P50 MAE (fractions of capacity). */
import * as fs from 'node:fs';
import {
  PvModelArtifact,
  PV_GBM_PRODUCT_OPTIONS,
  PvSeries,
  hourlyMeans,
  initTfBackend,
  irradiance,
  solarFeatures,
  trainPvGbm,
  trainPvModel,
} from '@halve/forecasting';
import { DAY_MS, HOUR_MS, SUBJECT, pvFractions, readPv, weatherIn } from '../site-pv';

const LEVELS = [0.1, 0.5, 0.9];
function score(y: number[], rows: number[][], levels: number[]) {
  const idx = LEVELS.map((l) => levels.findIndex((x) => Math.abs(x - l) < 1e-9));
  let pin = 0, mae = 0, cov = 0;
  y.forEach((v, k) => {
    idx.forEach((j, m) => {
      const q = rows[k][j];
      pin += (v >= q ? LEVELS[m] * (v - q) : (1 - LEVELS[m]) * (q - v)) / 3;
    });
    mae += Math.abs(v - rows[k][idx[1]]);
    if (v >= rows[k][idx[0]] && v <= rows[k][idx[2]]) cov++;
  });
  const per = idx.map((j, m) => y.reduce((a, v, k) => { const q = rows[k][j]; return a + (v >= q ? LEVELS[m] * (v - q) : (1 - LEVELS[m]) * (q - v)); }, 0) / y.length);
  const width = y.reduce((a, _, k) => a + rows[k][idx[2]] - rows[k][idx[0]], 0) / y.length;
  return { pinball: pin / y.length, per: per.map((v) => +v.toFixed(4)), width: +width.toFixed(4), mae: mae / y.length, coverage: cov / y.length, n: y.length };
}

async function main() {
  await initTfBackend();
  const pv = readPv(process.argv[2]);
  const generic = JSON.parse(fs.readFileSync('models/generic-pv.json', 'utf8')) as PvModelArtifact;
  for (const iso of process.argv.slice(3)) {
    const w = Date.parse(iso);
    const startMs = w - 365 * DAY_MS;
    const endMs = w + 28 * DAY_MS;
    const hourly = hourlyMeans(pvFractions(pv, startMs, endMs), startMs, 15);
    const n = hourly.values.length;
    const starts = Array.from({ length: n }, (_, i) => hourly.startMs + i * HOUR_MS);
    const sun = solarFeatures(starts, 60, SUBJECT.latitudeDeg!, SUBJECT.longitudeDeg!, 0);
    const input = irradiance(weatherIn(pv, startMs, endMs), hourly.startMs, 60, sun.clearSkyGhiWm2);
    const testStart = Math.round((w - hourly.startMs) / HOUR_MS);
    const series: PvSeries = {
      startMs: hourly.startMs,
      intervalMinutes: 60,
      generationFraction: hourly.values.map((y, i) => (Number.isFinite(input.values[i]) ? y : Number.NaN)),
      latitudeDeg: SUBJECT.latitudeDeg!,
      longitudeDeg: SUBJECT.longitudeDeg!,
      altitudeM: 0,
      predictors: { ghiWm2: input.values, temperatureC: input.temperatureC },
    };
    const test = starts
      .map((_, i) => i)
      .filter((i) => i >= testStart && sun.cosZenith[i] > 0 && Number.isFinite(hourly.values[i]) && Number.isFinite(input.values[i]));
    const y = test.map((i) => hourly.values[i]);
    const pick = (rows: number[][]) => test.map((i) => rows[i - testStart]);
    const out: Record<string, unknown> = {};
    let t = Date.now();
    const net = await trainPvModel(series, { trainEnd: testStart, initialArtifact: generic });
    out.network = { ...score(y, pick(net.model.predict(series, testStart, n)), net.artifact.quantileLevels), s: (Date.now() - t) / 1000 };
    net.model.dispose();
    const variants: Record<string, Parameters<typeof trainPvGbm>[1]> = {
      product: { ...PV_GBM_PRODUCT_OPTIONS },
    };
    for (const [name, o] of Object.entries(variants)) {
      t = Date.now();
      const m = trainPvGbm(series, { trainEnd: testStart, predictorNames: ['ghiWm2', 'temperatureC'], ...o });
      out[name] = { ...score(y, pick(m.predict(series, testStart, n)), LEVELS), s: (Date.now() - t) / 1000, bytes: JSON.stringify(m.artifact).length };
    }
    console.log(iso, JSON.stringify(out));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
