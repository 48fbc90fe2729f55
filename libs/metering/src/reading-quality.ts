import { QUALITY_NAMES } from './import-encoder';

export interface QualityReport {
  meterId: string;
  from: Date;
  to: Date;
  intervalMinutes: number | null;
  expected: number | null;
  present: number;
  coverage: number | null;
  gaps: { start: Date; end: Date; intervals: number }[];
  gapCount: number;
  flatLines: { start: Date; end: Date; value: number; intervals: number }[];
  spikes: { ts: Date; value: number; median: number }[];
  negatives: { count: number; first: { ts: Date; value: number }[] };
  qualityCounts: Record<'measured' | 'estimated' | 'filled', number>;
}

type QualityRow = { ts: Date; value: number; quality: number };

/** Pure: the intervals expected in [from, to) and the gaps between the readings (the first 200 listed). */
function findGaps(
  rows: QualityRow[],
  stepMs: number,
  from: Date,
  to: Date,
): { expected: number; gaps: QualityReport['gaps']; gapCount: number } {
  const gaps: QualityReport['gaps'] = [];
  let gapCount = 0;
  const first = Math.ceil(from.getTime() / stepMs) * stepMs;
  const expected = Math.max(0, Math.ceil((to.getTime() - first) / stepMs));
  let cursor = first;
  const pushGap = (start: number, end: number) => {
    if (end <= start) return;
    gapCount++;
    if (gaps.length < 200)
      gaps.push({
        start: new Date(start),
        end: new Date(end),
        intervals: Math.round((end - start) / stepMs),
      });
  };
  for (const r of rows) {
    const t = r.ts.getTime();
    if (t > cursor) pushGap(cursor, t);
    cursor = Math.max(cursor, t + stepMs);
  }
  pushGap(
    cursor,
    Math.ceil(to.getTime() / stepMs) * stepMs > to.getTime()
      ? to.getTime()
      : Math.ceil(to.getTime() / stepMs) * stepMs,
  );
  return { expected, gaps, gapCount };
}

/** Pure: flat lines, at least 6 hours (and 6 readings) of exactly the same non-zero value (the first 100). */
function findFlatLines(rows: QualityRow[], stepMs: number | null): QualityReport['flatLines'] {
  const minRun = Math.max(6, stepMs ? Math.ceil((6 * 3_600_000) / stepMs) : 6);
  const flatLines: QualityReport['flatLines'] = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (
      j < rows.length &&
      rows[j].value === rows[i].value &&
      (!stepMs || rows[j].ts.getTime() - rows[j - 1].ts.getTime() === stepMs)
    )
      j++;
    if (j - i >= minRun && rows[i].value !== 0 && flatLines.length < 100) {
      flatLines.push({
        start: rows[i].ts,
        end: new Date(rows[j - 1].ts.getTime() + (stepMs ?? 0)),
        value: rows[i].value,
        intervals: j - i,
      });
    }
    i = j;
  }
  return flatLines;
}

/** Pure: spikes, far above a robust level (median + 10 MAD and more than 3× the median) of the period. */
function findSpikes(rows: QualityRow[]): QualityReport['spikes'] {
  const spikes: QualityReport['spikes'] = [];
  if (rows.length < 24) return spikes;
  const sorted = rows.map((r) => r.value).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const mad = rows.map((r) => Math.abs(r.value - median)).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
  const limit = Math.max(median + 10 * Math.max(mad, 1e-9), 3 * median);
  for (const r of rows)
    if (r.value > limit && median > 0 && spikes.length < 100)
      spikes.push({ ts: r.ts, value: r.value, median });
  return spikes;
}

/** Pure: coverage, gaps, flat-lines, spikes and negatives of one meter's readings in [from, to). */
export function assessQuality(
  meterId: string,
  rows: QualityRow[],
  intervalMinutes: number | null,
  from: Date,
  to: Date,
  allowNegative: boolean,
): QualityReport {
  const stepMs = intervalMinutes ? intervalMinutes * 60_000 : null;
  const qualityCounts = { measured: 0, estimated: 0, filled: 0 };
  for (const r of rows) qualityCounts[QUALITY_NAMES[r.quality] ?? 'measured']++;
  const { expected, gaps, gapCount } = stepMs
    ? findGaps(rows, stepMs, from, to)
    : { expected: null, gaps: [], gapCount: 0 };
  const negativesAll = allowNegative ? [] : rows.filter((r) => r.value < 0);
  return {
    meterId,
    from,
    to,
    intervalMinutes,
    expected,
    present: rows.length,
    coverage: expected ? Math.min(1, rows.length / expected) : null,
    gaps,
    gapCount,
    flatLines: findFlatLines(rows, stepMs),
    spikes: findSpikes(rows),
    negatives: {
      count: negativesAll.length,
      first: negativesAll.slice(0, 20).map((r) => ({ ts: r.ts, value: r.value })),
    },
    qualityCounts,
  };
}
