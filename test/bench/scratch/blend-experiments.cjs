/* global require, process, console */
/**
 * Offline blend/correction experiments of issue 19 on the members dumped by dump-members.ts:
 *   node test/bench/scratch/blend-experiments.cjs DUMP.json val|test '[{"how":{...}}, ...]'
 * (configs: test/bench/results/forecast-buildings-issue19-error-correction-selection.txt).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('fs');
const D = JSON.parse(fs.readFileSync(process.argv[2]));
const SUB = new Set(Array.from({ length: 17 }, (_, i) => Math.floor((i * 68) / 17)));
const median = (a) => {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)] : (s[m - 1] + s[m]) / 2;
};
const cv = (y, p) => {
  let se = 0,
    sy = 0,
    n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    se += (y[i] - p[i]) ** 2;
    sy += y[i];
    n++;
  }
  return Math.sqrt(se / n) / (sy / n);
};
// exact simplex-constrained quadratic min: f(w)=w'Aw-2b'w, w>=0, sum w=1; enumerate supports
function solveSimplex(A, b) {
  const M = b.length;
  let best = null,
    bf = Infinity;
  for (let mask = 1; mask < 1 << M; mask++) {
    const S = [];
    for (let i = 0; i < M; i++) if ((mask >> i) & 1) S.push(i);
    const k = S.length;
    // KKT: A_SS w - nu 1 = b_S, 1'w=1
    const n = k + 1;
    const K = Array.from({ length: n }, () => new Array(n + 1).fill(0));
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) K[i][j] = A[S[i]][S[j]];
      K[i][k] = -1;
      K[i][n] = b[S[i]];
    }
    for (let j = 0; j < k; j++) K[k][j] = 1;
    K[k][n] = 1;
    // gauss
    let ok = true;
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(K[r][c]) > Math.abs(K[p][c])) p = r;
      if (Math.abs(K[p][c]) < 1e-12) {
        ok = false;
        break;
      }
      [K[c], K[p]] = [K[p], K[c]];
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const f = K[r][c] / K[c][c];
        for (let cc = c; cc <= n; cc++) K[r][cc] -= f * K[c][cc];
      }
    }
    if (!ok) continue;
    const w = new Array(M).fill(0);
    let feas = true;
    for (let i = 0; i < k; i++) {
      w[S[i]] = K[i][n] / K[i][i];
      if (w[S[i]] < -1e-12) feas = false;
    }
    if (!feas) continue;
    let f = 0;
    for (let i = 0; i < M; i++) {
      f -= 2 * b[i] * w[i];
      for (let j = 0; j < M; j++) f += w[i] * A[i][j] * w[j];
    }
    if (f < bf) {
      bf = f;
      best = w.map((v) => Math.max(0, v));
    }
  }
  return best;
}
const knnCache = new Map();
function knn(e, d, y, k) {
  const key = e.name + d.trainEnd + k;
  if (knnCache.has(key)) return knnCache.get(key);
  const out = new Array(d.target.length).fill(NaN);
  const byO = new Map();
  d.origin.forEach((o, r) => {
    if (!byO.has(o)) byO.set(o, []);
    byO.get(o).push(r);
  });
  const dow = (t) => (5 + Math.floor(t / 24)) % 7;
  const cls = (t) => {
    const w = dow(t);
    return w === 0 ? 0 : w === 6 ? 1 : 2;
  };
  const dayVec = (s) => {
    const v = y.slice(s, s + 24);
    return v.every(Number.isFinite) ? v : null;
  };
  for (const [o, rows] of byO) {
    const yv = dayVec(o - 24),
      yv2 = dayVec(o - 48);
    if (!yv) continue;
    const c0 = cls(o);
    const cand = [];
    for (let c = o - 48; c >= 24; c -= 24) {
      if (cls(c + 24) !== c0 || cls(c) !== cls(o - 24)) continue;
      const cv_ = dayVec(c),
        nx = dayVec(c + 24);
      if (!cv_ || !nx) continue;
      let dist = 0;
      for (let h = 0; h < 24; h++) dist += (cv_[h] - yv[h]) ** 2;
      const cp = dayVec(c - 24);
      if (yv2 && cp) for (let h = 0; h < 24; h++) dist += 0.5 * (cp[h] - yv2[h]) ** 2;
      dist *= 1 + (0.002 * (o - c)) / 24;
      cand.push([dist, c]);
    }
    cand.sort((a, b) => a[0] - b[0]);
    const sel = cand.slice(0, k);
    if (!sel.length) continue;
    const my = yv.reduce((a, b) => a + b, 0) / 24;
    for (const r of rows) {
      const h = d.target[r] - o;
      if (h >= 24) continue;
      let s = 0;
      for (const [, c] of sel) {
        const cm = dayVec(c).reduce((a, b) => a + b, 0) / 24;
        s += y[c + 24 + h] + (my - cm);
      }
      out[r] = s / sel.length;
    }
  }
  knnCache.set(key, out);
  return out;
}
function members(e, tag, names) {
  const d = e[tag],
    y = e.actual;
  const P = [];
  for (const nm of names) {
    if (d[nm]) P.push(d[nm]);
    else if (nm === 'lastWeek') P.push(d.target.map((t) => (Number.isFinite(y[t - 168]) ? y[t - 168] : NaN)));
    else if (nm.startsWith('knn')) P.push(knn(e, d, y, +nm.slice(3) || 10));
    else if (nm === 'lastDay')
      P.push(
        d.target.map((t, r) => {
          const o = d.origin[r];
          let k = t - 24;
          while (k >= o) k -= 24;
          return Number.isFinite(y[k]) ? y[k] : NaN;
        }),
      );
  }
  // fill NaN with net
  for (const p of P) for (let r = 0; r < p.length; r++) if (!Number.isFinite(p[r])) p[r] = d.net[r];
  return P;
}
function run(e, tag, cfg) {
  const d = e[tag],
    y = e.actual;
  const names = cfg.names || ['net', 'tree', 'lin'];
  const P = members(e, tag, names);
  const M = P.length;
  const W0 = cfg.w0 || [0.4, 0.4, 0.2, 0, 0].slice(0, M);
  const byO = new Map();
  d.origin.forEach((o, r) => {
    if (!byO.has(o)) byO.set(o, []);
    byO.get(o).push(r);
  });
  const origins = [...byO.keys()];
  const evalStart = tag === 'val' ? e.valStart : e.testStart;
  const out = new Array(d.target.length).fill(NaN);
  for (let oi = 0; oi < origins.length; oi++) {
    const o = origins[oi];
    let w = W0;
    if (cfg.K && o >= evalStart - 30 * 24) {
      const A = Array.from({ length: M }, () => new Array(M).fill(0)),
        b = new Array(M).fill(0);
      let N = 0,
        yy = 0;
      for (let j = Math.max(0, oi - cfg.K); j < oi; j++) {
        const oj = origins[j];
        if (oj < o - (cfg.K + 1) * 24) continue;
        const wt = cfg.decay ? Math.pow(cfg.decay, (o - oj) / 24) : 1;
        for (const r of byO.get(oj)) {
          const t = d.target[r];
          if (t >= o || !Number.isFinite(y[t])) continue;
          for (let a = 0; a < M; a++) {
            b[a] += wt * P[a][r] * y[t];
            for (let c = 0; c < M; c++) A[a][c] += wt * P[a][r] * P[c][r];
          }
          N += wt;
          yy += wt * y[t];
        }
      }
      if (N >= 24 * 7) {
        const ybar = yy / N,
          lam = cfg.lambda * ybar * ybar;
        for (let a = 0; a < M; a++) {
          b[a] = b[a] / N + lam * W0[a];
          for (let c = 0; c < M; c++) A[a][c] = A[a][c] / N + (a === c ? lam : 0);
        }
        w = solveSimplex(A, b) || W0;
      }
    }
    for (const r of byO.get(o)) {
      let v = 0;
      for (let a = 0; a < M; a++) v += w[a] * P[a][r];
      out[r] = v;
    }
  }
  const fin = out.slice();
  if (cfg.arK) {
    // online AR(1) on daily mean errors
    const derr = new Map();
    for (const o of origins) {
      const rows = byO.get(o).filter((r) => Number.isFinite(y[d.target[r]]));
      if (rows.length)
        derr.set(o, rows.reduce((s, r) => s + y[d.target[r]] - Math.max(0, out[r]), 0) / rows.length);
    }
    for (let oi = 1; oi < origins.length; oi++) {
      const o = origins[oi];
      const eprev = derr.get(o - 24);
      if (eprev === undefined) continue;
      let sxy = 0,
        sxx = 0,
        n = 0;
      for (let k = 1; k <= cfg.arK; k++) {
        const a = derr.get(o - 24 * k),
          b = derr.get(o - 24 * (k + 1));
        if (a === undefined || b === undefined) continue;
        sxy += a * b;
        sxx += b * b;
        n++;
      }
      let phi = cfg.rc0 ?? 0.2;
      if (n >= 7 && sxx > 0) {
        const ph = sxy / sxx;
        phi = (n * ph + cfg.n0 * phi) / (n + cfg.n0);
      }
      phi = Math.min(cfg.maxPhi ?? 0.9, Math.max(0, phi));
      for (const r of byO.get(o)) fin[r] += phi * eprev;
    }
  }
  for (let oi = 1; !cfg.arK && oi < origins.length; oi++) {
    const o = origins[oi];
    const rc = cfg.rc ?? 0.2;
    if (!rc) continue;
    const prev = origins[oi - 1];
    if (prev !== o - 24) continue;
    const rows = byO.get(prev).filter((r) => Number.isFinite(y[d.target[r]]));
    if (!rows.length) continue;
    const err = rows.reduce((s, r) => s + y[d.target[r]] - Math.max(0, out[r]), 0) / rows.length;
    for (const r of byO.get(o)) fin[r] += rc * err;
  }
  if (cfg.how) {
    // per hour-of-week (and hour-of-day) shrunk mean error over past weeks/days of the blend (before rc)
    const tgtRow = new Map();
    d.target.forEach((t, r) => {
      if (d.target[r] - d.origin[r] < 24) tgtRow.set(t, r);
    });
    const add = new Array(d.target.length).fill(0);
    for (let r = 0; r < d.target.length; r++) {
      const t = d.target[r],
        o = d.origin[r];
      let s = 0,
        n = 0;
      for (let k = 1; k <= cfg.how.weeks; k++) {
        const tt = t - 168 * k;
        if (tt >= o) continue;
        const rr = tgtRow.get(tt);
        if (rr === undefined || !Number.isFinite(y[tt])) continue;
        s += y[tt] - out[rr];
        n++;
      }
      let s2 = 0,
        n2 = 0;
      for (let k = 1; k <= cfg.how.days; k++) {
        const tt = t - 24 * k;
        if (tt >= o) continue;
        const rr = tgtRow.get(tt);
        if (rr === undefined || !Number.isFinite(y[tt])) continue;
        s2 += y[tt] - out[rr];
        n2++;
      }
      add[r] = (cfg.how.a * s) / (n + cfg.how.n0) + (cfg.how.b * s2) / (n2 + cfg.how.n0);
    }
    for (let r = 0; r < fin.length; r++) fin[r] += add[r];
  }
  const idx = d.target.map((t, r) => r).filter((r) => d.target[r] >= evalStart);
  return cv(
    idx.map((r) => y[d.target[r]]),
    idx.map((r) => Math.max(0, fin[r])),
  );
}
const tag = process.argv[3];
const cfgs = JSON.parse(process.argv[4]);
for (const c of cfgs) {
  const v = D.map((e) => run(e, tag, c));
  const s = v.filter((_, i) => SUB.has(i));
  const g = (a) => Math.exp(a.reduce((x, y) => x + Math.log(y), 0) / a.length);
  console.log(
    JSON.stringify(c),
    tag,
    'all',
    (100 * median(v)).toFixed(2),
    (100 * g(v)).toFixed(2),
    v.length,
    'sub',
    (100 * median(s)).toFixed(2),
    (100 * g(s)).toFixed(2),
    s.length,
  );
}
