/* global require, process, console */
/**
 * Issue 19, session 20: a year-ago member (the same weekday 364 days before the target, scaled by the last 7 days'
 * level against the same 7 days a year before) blended into the shipped P50 of a dump-members.ts test dump:
 *   DUMP_ONLY=test node -r ./scripts/swc-register.js test/bench/scratch/dump-members.ts DATA DUMP.json all
 *   node test/bench/scratch/year-ago-experiments.cjs DUMP.json '[{"kind":"blend","w":0.1}, ...]'
 * Columns: median CV(RMSE) over the buildings on 2017, its first half, its second half.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('fs');
const D = JSON.parse(fs.readFileSync(process.argv[2]));
const H = 24,
  YA = 364 * 24;
const median = (a) => {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)] : (s[m - 1] + s[m]) / 2;
};
const gmean = (a) => Math.exp(a.reduce((s, x) => s + Math.log(x), 0) / a.length);
function cv(y, p, mask) {
  let se = 0,
    sy = 0,
    n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!mask[i] || !Number.isFinite(y[i]) || !Number.isFinite(p[i])) continue;
    se += (y[i] - p[i]) ** 2;
    sy += y[i];
    n++;
  }
  return Math.sqrt(se / n) / (sy / n);
}
function mean(a, from, to) {
  let s = 0,
    n = 0;
  for (let i = Math.max(0, from); i < to; i++)
    if (Number.isFinite(a[i]) && a[i] !== null) {
      s += a[i];
      n++;
    }
  return n ? s / n : NaN;
}
const variants = JSON.parse(process.argv[3] || '[]');
const res = {};
for (const b of D) {
  const y = b.actual.map((v) => (v === null ? NaN : v));
  const t = b.test;
  const idx = t.target.map((x, k) => k).filter((k) => t.target[k] >= b.testStart);
  const Y = idx.map((k) => y[t.target[k]]);
  const F = idx.map((k) => t.shipped[k]);
  const half = idx.map((k) => t.target[k] - b.testStart < 182 * 24);
  // year-ago member per point
  const M = idx.map((k) => {
    const o = t.origin[k],
      tg = t.target[k];
    const ya = tg - YA;
    if (ya < 0) return NaN;
    const Lnow = mean(y, o - 7 * H, o),
      Lthen = mean(y, o - YA - 7 * H, o - YA);
    const v = y[ya];
    if (!(Lthen > 0) || !Number.isFinite(v)) return NaN;
    return (v * Lnow) / Lthen;
  });
  // day-level: for each point, year-ago day mean ratio
  const groups = new Map();
  idx.forEach((k, j) => {
    const g = t.origin[k];
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(j);
  });
  const all = idx.map(() => true);
  const out = {
    base: [
      cv(Y, F, all),
      cv(Y, F, half),
      cv(
        Y,
        F,
        half.map((h) => !h),
      ),
    ],
    member: [cv(Y, M, all)],
  };
  for (const v of variants) {
    const P = F.slice();
    if (v.kind === 'blend') {
      for (let j = 0; j < P.length; j++) if (Number.isFinite(M[j])) P[j] = (1 - v.w) * F[j] + v.w * M[j];
    } else if (v.kind === 'online') {
      // per origin: the w among v.ws with the least squared error over the last v.k days' points already known
      const origins = [...groups.keys()].sort((a, b) => a - b);
      for (const o of origins) {
        let best = 0,
          bestE = Infinity;
        for (const w of v.ws) {
          let e = 0,
            n = 0;
          for (const o2 of origins) {
            if (o2 >= o || o2 < o - v.k * 24) continue;
            for (const j of groups.get(o2)) {
              if (t.target[idx[j]] >= o || !Number.isFinite(Y[j])) continue;
              const p = Number.isFinite(M[j]) ? (1 - w) * F[j] + w * M[j] : F[j];
              e += (Y[j] - p) ** 2;
              n++;
            }
          }
          if (n > 0 && e < bestE * (w === 0 ? 1 : 1)) {
            bestE = e;
            best = w;
          }
        }
        for (const j of groups.get(o)) if (Number.isFinite(M[j])) P[j] = (1 - best) * F[j] + best * M[j];
      }
    } else if (v.kind === 'level') {
      for (const [, js] of groups) {
        const fm = js.reduce((s, j) => s + F[j], 0) / js.length;
        const mm = js.map((j) => M[j]);
        if (mm.some((x) => !Number.isFinite(x))) continue;
        const m = mm.reduce((s, x) => s + x, 0) / mm.length;
        if (!(fm > 0 && m > 0)) continue;
        let r = Math.pow(m / fm, v.w);
        if (v.clip) r = Math.min(Math.max(r, 1 / v.clip), v.clip);
        for (const j of js) P[j] = F[j] * r;
      }
    }
    out[JSON.stringify(v)] = [
      cv(Y, P, all),
      cv(Y, P, half),
      cv(
        Y,
        P,
        half.map((h) => !h),
      ),
    ];
  }
  res[b.name] = out;
}
const names = Object.keys(res);
const keys = Object.keys(res[names[0]]);
for (const key of keys) {
  const cols = res[names[0]][key].map((_, c) => median(names.map((n) => res[n][key][c])));
  const ratio =
    key === 'base' || key === 'member'
      ? ''
      : ' gmean ratio ' +
        [0, 1, 2].map((c) => gmean(names.map((n) => res[n][key][c] / res[n].base[c])).toFixed(4)).join(' / ');
  console.log(key.padEnd(40), cols.map((x) => (100 * x).toFixed(2)).join(' / '), ratio);
}
if (process.argv[4])
  for (const n of names)
    console.log(
      n,
      Object.values(res[n])
        .map((r) => (100 * r[0]).toFixed(1))
        .join(' '),
    );
