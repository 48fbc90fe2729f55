// What a chart shows, in a form the browser tests can check without reading pixels: each axis (type, name,
// number of categories) and each series (points drawn, x values in order). Chart.tsx publishes it only
// when a test asks for it (window.__HALVE_CHART_TEST__), so production pages carry none of it.
import type { EChartsCoreOption } from 'echarts/core';

export interface AxisSummary {
  type: string;
  name: string;
  /** Number of categories of a category axis (0 for time and value axes). */
  categories: number;
}

export interface SeriesSummary {
  name: string;
  type: string;
  /** Data points with a value (a gap, null, is not a point). */
  points: number;
  /** The x value of each point, in drawing order, on a time or value x axis; null on a category axis. */
  xs: number[] | null;
}

export interface ChartSummary {
  xAxes: AxisSummary[];
  yAxes: AxisSummary[];
  series: SeriesSummary[];
}

type AxisOption = { type?: string; name?: string; data?: unknown[] };
type SeriesOption = { name?: string; type?: string; data?: unknown[]; xAxisIndex?: number };

function list<T>(v: T | T[] | undefined): T[] {
  return Array.isArray(v) ? v : v ? [v] : [];
}

function axis(a: AxisOption): AxisSummary {
  return { type: a.type ?? 'category', name: a.name ?? '', categories: a.data?.length ?? 0 };
}

/** The value of a data item: the last element of an [x, y] pair, or the item itself. */
function hasValue(d: unknown): boolean {
  if (Array.isArray(d)) return d[d.length - 1] !== null && d[d.length - 1] !== undefined;
  if (d && typeof d === 'object' && 'value' in d) return (d as { value: unknown }).value !== null;
  return d !== null && d !== undefined;
}

function series(s: SeriesOption, xAxes: AxisSummary[]): SeriesSummary {
  const data = Array.isArray(s.data) ? s.data : [];
  const xType = xAxes[s.xAxisIndex ?? 0]?.type;
  const ordered = (xType === 'time' || xType === 'value') && s.type !== 'heatmap';
  return {
    name: s.name ?? '',
    type: s.type ?? '',
    points: data.filter(hasValue).length,
    xs: ordered ? data.filter(Array.isArray).map((d) => Number(d[0])) : null,
  };
}

export function summarizeChart(option: EChartsCoreOption): ChartSummary {
  const o = option as {
    xAxis?: AxisOption | AxisOption[];
    yAxis?: AxisOption | AxisOption[];
    series?: unknown;
  };
  const xAxes = list(o.xAxis).map(axis);
  return {
    xAxes,
    yAxes: list(o.yAxis).map(axis),
    series: list(o.series as SeriesOption | SeriesOption[]).map((s) => series(s, xAxes)),
  };
}
