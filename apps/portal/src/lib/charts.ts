// ECharts options for the portal's charts, as pure functions of the API's data.
import type { EChartsCoreOption } from 'echarts/core';
import type { Forecast, Readings } from '../api/types';
import { escapeHtml, num } from './format';

export const axisLabel = { color: '#374151' };
export const splitLine = { lineStyle: { color: '#e5e7eb' } };
/** The x axis of a time series chart: labels that do not overlap, no grid lines. */
export const timeAxis = {
  type: 'time',
  axisLabel: { ...axisLabel, hideOverlap: true },
  splitLine: { show: false },
};

/**
 * A forecast's P10–P90 band as two stacked line series: an invisible P10 and, stacked on it, P90 − P10
 * filled, so the area runs from P10 to P90 (a tooltip should name the band by its edges).
 */
export function bandSeries(points: readonly { ts: string; p10: number; p90: number }[]): object[] {
  type P = (typeof points)[number];
  const stacked = (name: string, color: string, value: (p: P) => number, area?: object) => ({
    name,
    type: 'line',
    stack: 'band',
    symbol: 'none',
    lineStyle: { opacity: 0 },
    itemStyle: { color },
    ...(area ? { areaStyle: area } : {}),
    data: points.map((p) => [Date.parse(p.ts), value(p)]),
  });
  return [
    stacked('P10', 'rgba(3, 105, 161, 0.22)', (p) => p.p10),
    stacked('P10–P90 band', 'rgba(3, 105, 161, 0.35)', (p) => Math.max(0, p.p90 - p.p10), {
      color: 'rgba(3, 105, 161, 0.22)',
    }),
  ];
}

function zonedFormatter(timeZone: string, withTime: boolean) {
  const f = new Intl.DateTimeFormat(
    'en-GB',
    withTime
      ? { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { timeZone, day: 'numeric', month: 'short', year: 'numeric' },
  );
  return (ms: number) => f.format(new Date(ms));
}

export function loadChartOption(
  readings: Readings,
  opts: { timeZone: string; resolution: string; forecast?: Forecast | null; name: string },
): EChartsCoreOption {
  const points = readings.points
    .filter((p) => p.value !== null)
    .map((p) => [Date.parse(p.ts), p.value] as [number, number]);
  const fmt = zonedFormatter(opts.timeZone, opts.resolution === 'hour' || opts.resolution === 'raw');
  const series: object[] = [
    {
      name: opts.name,
      type: opts.resolution === 'month' ? 'bar' : 'line',
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      areaStyle: opts.resolution === 'month' ? undefined : { opacity: 0.08 },
      data: points,
    },
  ];
  const legend = [opts.name];
  const fc = opts.forecast?.points ?? [];
  if (fc.length) {
    series.push(...bandSeries(fc), {
      name: 'Forecast (P50)',
      type: 'line',
      symbol: 'none',
      lineStyle: { width: 2, type: 'dashed', color: '#0369a1' },
      itemStyle: { color: '#0369a1' },
      data: fc.map((p) => [Date.parse(p.ts), p.p50]),
    });
    legend.push('Forecast (P50)', 'P10–P90 band');
  }
  // The tooltip names the band by its edges (the stacked series holds P90 − P10, not a reading).
  const byTs = new Map(fc.map((p) => [Date.parse(p.ts), p]));
  const measured = new Map(points.map(([t, v]) => [t, v]));
  const unit = readings.unit;
  const tooltipFormatter = (params: { axisValue?: number; value?: [number, number] }[]) => {
    const t = params[0]?.axisValue ?? params[0]?.value?.[0];
    if (t === undefined) return '';
    const lines = [`<strong>${fmt(t)}</strong>`];
    const m = measured.get(t);
    if (m !== undefined) lines.push(`${escapeHtml(opts.name)}: ${num(m, 2)} ${escapeHtml(unit)}`);
    const f = byTs.get(t);
    if (f)
      lines.push(
        `Forecast P50: ${num(f.p50, 2)} ${escapeHtml(unit)}`,
        `P10–P90: ${num(f.p10, 2)}–${num(f.p90, 2)} ${escapeHtml(unit)}`,
      );
    return lines.join('<br>');
  };
  return {
    grid: { left: 56, right: 16, top: 36, bottom: 56 },
    legend: { data: legend, top: 0 },
    tooltip: {
      trigger: 'axis',
      ...(fc.length
        ? { formatter: tooltipFormatter }
        : { valueFormatter: (v: number) => `${num(v, 2)} ${unit}` }),
      axisPointer: { label: { formatter: (p: { value: number }) => fmt(p.value) } },
    },
    xAxis: timeAxis,
    yAxis: { type: 'value', name: readings.unit, axisLabel, splitLine },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
}

/** hour (rows) × day (columns) of hourly values in the site's zone. */
export function heatmapOption(readings: Readings, timeZone: string): EChartsCoreOption {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const cells = new Map<string, { sum: number; n: number }>();
  const days = new Set<string>();
  let max = 0;
  for (const p of readings.points) {
    if (p.value === null) continue;
    const parts = f.formatToParts(new Date(p.ts));
    const get = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
    const day = `${get('year')}-${get('month')}-${get('day')}`;
    const hour = Number(get('hour')) % 24;
    days.add(day);
    const key = `${day}|${hour}`;
    const c = cells.get(key) ?? { sum: 0, n: 0 };
    c.sum += p.value;
    c.n += 1;
    cells.set(key, c);
  }
  const dayList = [...days].sort();
  const index = new Map(dayList.map((d, i) => [d, i]));
  const data: [number, number, number][] = [];
  for (const [key, c] of cells) {
    const [day, hour] = key.split('|');
    const v = c.sum; // an hour's energy (two values when the clocks go back)
    max = Math.max(max, v);
    data.push([index.get(day)!, Number(hour), Number(v.toFixed(3))]);
  }
  return {
    grid: { left: 52, right: 16, top: 8, bottom: 84 },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${dayList[p.value[0]]} ${String(p.value[1]).padStart(2, '0')}:00<br/>${num(p.value[2], 2)} ${escapeHtml(readings.unit)}`,
    },
    xAxis: {
      type: 'category',
      data: dayList,
      axisLabel: { ...axisLabel, hideOverlap: true },
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
      axisLabel: { ...axisLabel, interval: 3 },
      inverse: true,
    },
    visualMap: {
      min: 0,
      max: max || 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 140,
      itemWidth: 12,
      inRange: { color: ['#f7fcf5', '#a1d99b', '#31a354', '#006d2c', '#00441b'] },
      text: [`${num(max, 1)} ${readings.unit}`, `0 ${readings.unit}`],
      textStyle: { color: '#374151' },
    },
    series: [
      {
        type: 'heatmap',
        data,
        progressive: 0,
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

export function barOption(
  categories: string[],
  series: { name: string; data: number[]; stack?: string; color?: string }[],
  unit: string,
): EChartsCoreOption {
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 44 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${num(v, 1)} ${unit}` },
    xAxis: { type: 'category', data: categories, axisLabel: { ...axisLabel, interval: 0, lineHeight: 15 } },
    yAxis: { type: 'value', name: unit, axisLabel, splitLine },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: s.stack,
      data: s.data,
      itemStyle: s.color ? { color: s.color } : undefined,
      emphasis: { focus: 'series' },
    })),
  };
}
