/* scratch (issue 19): does the PV band calibration suffer when the past window is in-sample (the product right
   after a retraining)? For origin W: model A trained on the 365 days before W (the last 28 days in-sample),
   model B trained on the 365 days before W − 28 d (those 28 days out of sample). Uncalibrated daylight coverage
   of each on [W − 28 d, W), their split-conformal factors there, and the coverage those factors give model A
   on [W, W + 28 d) (the product's forecasts after the retraining at W). */
import {
  PvModelArtifact,
  applyBandCalibration,
  coverage,
  fitBandCalibration,
  initTfBackend,
} from '@halve/forecasting';
import {
  DAY_MS,
  HOUR_MS,
  PvData,
  hourlyActualPv,
  localHour,
  pvDay,
  pvHour,
  readPv,
  trainPv,
} from '../site-pv';

type Active = Awaited<ReturnType<typeof trainPv>>['active'];

async function days(pv: PvData, active: Active, generic: PvModelArtifact | null, from: number, to: number) {
  const y: number[] = [];
  const q = { p10: [] as number[], p50: [] as number[], p90: [] as number[] };
  for (let d = from; d < to;) {
    const next = [23, 24, 25].map((h) => d + h * HOUR_MS).find((t) => localHour(t) === 0)!;
    const f = await pvDay(pv, d, active, generic, false);
    hourlyActualPv(pv, d, 1).forEach((v, h) => {
      const g = pvHour(f.points, h, 1);
      if (Number.isFinite(v) && (g.p90 > 0 || v > 0.001)) {
        y.push(v);
        q.p10.push(g.p10);
        q.p50.push(g.p50);
        q.p90.push(g.p90);
      }
    });
    d = next;
  }
  return { y, q };
}

async function main() {
  await initTfBackend();
  const pv = readPv(process.argv[2]);
  const generic = null as PvModelArtifact | null;
  for (const iso of process.argv.slice(3)) {
    const w = Date.parse(iso);
    const a = await trainPv(pv, generic, w);
    const b = await trainPv(pv, generic, w - 28 * DAY_MS);
    const pastA = await days(pv, a.active, generic, w - 28 * DAY_MS, w);
    const pastB = await days(pv, b.active, generic, w - 28 * DAY_MS, w);
    const next = await days(pv, a.active, generic, w, w + 28 * DAY_MS);
    const calA = fitBandCalibration(pastA.y, pastA.q, { tail: 0.06 });
    const calB = fitBandCalibration(pastB.y, pastB.q, { tail: 0.06 });
    const cov = (c: typeof calA) => {
      const r = applyBandCalibration(next.q, c);
      return coverage(next.y, r.p10, r.p90).toFixed(3);
    };
    console.log(
      `${iso}: versions ${a.outcome.method}/${b.outcome.method}; past 28 d uncalibrated coverage in-sample ${coverage(pastA.y, pastA.q.p10, pastA.q.p90).toFixed(3)} out-of-sample ${coverage(pastB.y, pastB.q.p10, pastB.q.p90).toFixed(3)}; factors in ${calA.lowerFactor.toFixed(2)}/${calA.upperFactor.toFixed(2)} out ${calB.lowerFactor.toFixed(2)}/${calB.upperFactor.toFixed(2)}; next 28 d coverage uncalibrated ${coverage(next.y, next.q.p10, next.q.p90).toFixed(3)}, in-sample factors ${cov(calA)}, out-of-sample factors ${cov(calB)}`,
    );
  }
}

main();
