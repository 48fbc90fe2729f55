/**
 * Choosing the PV band's rolling calibration (pv-band-calibration.ts) on data before bench:site's test
 * windows (issue 19): the PV meter's version trained (from scratch: models/generic-pv.json saw these
 * months) on the 365 days before 2012-03-01 and 2012-07-01, its forecasts of the next 92 days
 * (the model's output depends on the weather of the hour, not on the issue time, so each day is
 * forecast once), and for each day factors fitted on the last K days, scored as bench:site scores the
 * PV (daylight hours' P10–P90 coverage). Variants: 15-minute points with the product's floor (1 % of
 * capacity) or fitBandCalibration's default floor, or hourly sums (bench:site's daylight hours).
 *
 * `--hourly-tails` (session 17) scores the product's intervals (K days, PV_CALIBRATION_TAIL) summed to hours
 * as the site forecast sums them, beside the same hours rescaled by factors fitted on the window's hourly
 * sums with each tail (fitHourlyBand; a candidate, rejected: see the README's site net-load section).
 *
 *   node --require ./scripts/swc-register.js test/bench/site-pv-k.ts [--pv DIR] [--days 14,21,28] [--tails 0.08,0.07]
 *     [--hourly-tails 0.1,0.08,0.06] [--json FILE]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BandCalibration,
  FractionQuantiles,
  applyBandCalibration,
  applyPvBandCalibration,
  coverage,
  fitBandCalibration,
  fitPvBandCalibration,
  geometry,
  initTfBackend,
  PV_CALIBRATION_TAIL,
  PvPastWindow,
  pvPastWindow,
} from '@halve/forecasting';
import { HOUR_MS, SUBJECT, localHour, pvDay, pvFractions, readPv, trainPv, weatherIn } from './site-pv';

type Q = { p10: number[]; p50: number[]; p90: number[] };
const cat = (qs: Q[]): Q => ({
  p10: qs.flatMap((q) => q.p10),
  p50: qs.flatMap((q) => q.p50),
  p90: qs.flatMap((q) => q.p90),
});
const hourly = (v: number[]) =>
  Array.from({ length: v.length / 4 }, (_, h) => v[4 * h] + v[4 * h + 1] + v[4 * h + 2] + v[4 * h + 3]);
const hourlyQ = (q: Q): Q => ({ p10: hourly(q.p10), p50: hourly(q.p50), p90: hourly(q.p90) });
const pick = (q: Q, idx: number[]): Q => ({
  p10: idx.map((i) => q.p10[i]),
  p50: idx.map((i) => q.p50[i]),
  p90: idx.map((i) => q.p90[i]),
});

/**
 * Factors of an hour's band (the sum of its intervals' calibrated quantiles) around the summed P50,
 * split-conformal on the past window's complete UTC hours (every interval with a reading and a forecast,
 * one of them a calibration point), each side to miss `tail`. Measured in session 17, not shipped.
 */
function fitHourlyBand(past: PvPastWindow, calibrated: FractionQuantiles, tail: number): BandCalibration {
  const inWindow = new Set(past.points);
  const hours = new Map<number, number[]>();
  past.starts.forEach((t, i) => {
    const h = Math.floor(t / HOUR_MS);
    hours.set(h, [...(hours.get(h) ?? []), i]);
  });
  const y: number[] = [];
  const sums: Q = { p10: [], p50: [], p90: [] };
  for (const idx of hours.values()) {
    if (idx.length !== 4 || !idx.some((i) => inWindow.has(i))) continue;
    const sum = (v: readonly number[]) => idx.reduce((a, i) => a + v[i], 0);
    const row = [sum(past.actual), sum(calibrated.p10), sum(calibrated.p50), sum(calibrated.p90)];
    if (!row.every(Number.isFinite)) continue;
    y.push(row[0]);
    sums.p10.push(row[1]);
    sums.p50.push(row[2]);
    sums.p90.push(row[3]);
  }
  return fitBandCalibration(y, sums, { tail });
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const dir = path.resolve(opt('--pv') ?? path.resolve(__dirname, '../../../shared/data/pv/pvdaq'));
  const ks = (opt('--days') ?? '14,21,28').split(',').map(Number);
  const tails = (opt('--tails') ?? '').split(',').filter(Boolean).map(Number);
  const hourlyTails = (opt('--hourly-tails') ?? '').split(',').filter(Boolean).map(Number);
  await initTfBackend();
  const pv = readPv(dir);
  const g = geometry(SUBJECT);
  const out: Record<string, Record<string, number>> = {};
  for (const from of ['2012-03-01T00:00:00-07:00', '2012-07-01T00:00:00-06:00']) {
    const originMs = Date.parse(from);
    const { active } = await trainPv(pv, null, originMs);
    const maxK = Math.max(...ks);
    // Days maxK before the origin to 92 after, each a 96-interval day from its local midnight (fractions).
    const days: { ms: number; q: Q; y: number[]; pts: number[]; cov: number[] }[] = [];
    const byStart = new Map<number, number[]>();
    const lookup = (starts: readonly number[]): Q => {
      const at = (k: number) => starts.map((t) => byStart.get(t)?.[k] ?? Number.NaN);
      return { p10: at(0), p50: at(1), p90: at(2) };
    };
    let d = originMs;
    for (let n = 0; n < maxK; n++)
      d = [-23, -24, -25].map((h) => d + h * HOUR_MS).find((t) => localHour(t) === 0)!;
    while (days.length < maxK + 92) {
      const f = await pvDay(pv, d, active, null, false);
      const next = [23, 24, 25].map((h) => d + h * HOUR_MS).find((t) => localHour(t) === 0)!;
      const q = {
        p10: f.points.map((p) => p.p10 * 4),
        p50: f.points.map((p) => p.p50 * 4),
        p90: f.points.map((p) => p.p90 * 4),
      };
      const y = pvFractions(pv, d, d + 96 * 15 * 60_000);
      const dayWeather = weatherIn(pv, d, d + 96 * 15 * 60_000);
      const pts = pvPastWindow(g, 15, d, y, dayWeather).points;
      // daylight with irradiance, reading or not (the forecast's `covered`)
      const cov = pvPastWindow(
        g,
        15,
        d,
        y.map(() => 0),
        dayWeather,
      ).points;
      days.push({ ms: d, q, y, pts, cov });
      q.p50.forEach((_, i) => byStart.set(d + i * 15 * 60_000, [q.p10[i], q.p50[i], q.p90[i]]));
      d = next;
    }
    const variants: Record<string, { y: number[]; lo: number[]; hi: number[] }> = {};
    const score = (name: string, q: Q, y: number[], hourlyFactors?: BandCalibration) => {
      const s = (variants[name] ??= { y: [], lo: [], hi: [] });
      const hq = hourlyFactors ? applyBandCalibration(hourlyQ(q), hourlyFactors) : hourlyQ(q);
      hourly(y).forEach((v, h) => {
        if (!Number.isFinite(v) || !(hq.p90[h] > 0 || v > 0.004)) return;
        s.y.push(v / 4);
        s.lo.push(hq.p10[h] / 4);
        s.hi.push(hq.p90[h] / 4);
      });
    };
    for (let t = maxK; t < days.length; t++) {
      const today = days[t];
      score('raw', today.q, today.y);
      for (const k of ks) {
        const past = days.slice(t - k, t);
        const y15 = past.flatMap((p) => p.pts.map((i) => p.y[i]));
        const q15 = cat(past.map((p) => pick(p.q, p.pts)));
        const yH = past.flatMap((p) => hourly(p.y));
        const qH = cat(past.map((p) => hourlyQ(p.q)));
        const hIdx = yH
          .map((_, i) => i)
          .filter((i) => Number.isFinite(yH[i]) && (qH.p90[i] > 0 || yH[i] > 0.004));
        const fits: Record<string, ReturnType<typeof fitBandCalibration>> = {
          [`K=${k} 15-min floor 1%`]: fitBandCalibration(y15, q15, { floor: 0.01 }),
          [`K=${k} 15-min default floor`]: fitBandCalibration(y15, q15),
          [`K=${k} hourly`]: fitBandCalibration(
            hIdx.map((i) => yH[i]),
            pick(qH, hIdx),
          ),
        };
        for (const tail of tails)
          fits[`K=${k} 15-min default floor tail ${tail}`] = fitBandCalibration(y15, q15, { tail });
        if (hourlyTails.length) {
          // the product's intervals (renewables-forecast.ts: calibrated at PV_CALIBRATION_TAIL on the past
          // window), then hour factors fitted on that window's calibrated hourly sums
          const startMs = past[0].ms;
          const window = pvPastWindow(
            g,
            15,
            startMs,
            pvFractions(pv, startMs, today.ms),
            weatherIn(pv, startMs, today.ms),
          );
          const pastQ = lookup(window.starts);
          const c15 = fitPvBandCalibration(window, pastQ);
          const calibrated = applyPvBandCalibration(pastQ, c15, window.points);
          const a = applyPvBandCalibration(today.q, c15, today.cov);
          for (const tail of hourlyTails) {
            const h = fitHourlyBand(window, calibrated, tail);
            score(`K=${k} product intervals, hourly tail ${tail}`, a, today.y, h);
          }
          score(`K=${k} product intervals (tail ${PV_CALIBRATION_TAIL}), hourly sum`, a, today.y);
        }
        for (const [name, c] of Object.entries(fits)) {
          const a = applyBandCalibration(today.q, c);
          score(
            name,
            { p10: a.p10.map((v) => Math.max(0, v)), p50: a.p50, p90: a.p90.map((v) => Math.min(1.05, v)) },
            today.y,
          );
        }
      }
    }
    out[from.slice(0, 10)] = Object.fromEntries(
      Object.entries(variants).map(([k, s]) => [k, coverage(s.y, s.lo, s.hi)]),
    );
    console.log(from.slice(0, 10), JSON.stringify(out[from.slice(0, 10)], null, 1));
  }
  const json = opt('--json');
  if (json) fs.writeFileSync(path.resolve(json), JSON.stringify({ days: 92, coverage: out }, null, 2));
}

void main();
