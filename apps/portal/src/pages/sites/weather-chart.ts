// ECharts option for a site's imported weather (GET …/sites/{siteId}/weather), as a pure function: irradiance on
// the left axis, temperature on the right, each only when the rows hold it; with a generation meter's output on
// an axis of its own, so that a wrong timestamps setting shows as irradiance peaking beside the output, not with it.
import type { EChartsCoreOption } from 'echarts/core';
import type { Site } from '../../api/types';
import { axisLabel, splitLine, timeAxis } from '../../lib/charts';

export interface WeatherPoint {
  ts: string;
  temperatureC: number | null;
  ghiWM2: number | null;
  cloudCoverPct: number | null;
  windSpeedMS: number | null;
}

/** A generation meter's readings (interval starts, kWh) over the same days. */
export interface GenerationOverlay {
  name: string;
  intervalMinutes: number;
  points: readonly { ts: string; value: number }[];
}

const LINES = [
  { key: 'ghiWM2', name: 'GHI (W/m²)', color: '#b45309', axis: 0 },
  { key: 'cloudCoverPct', name: 'Cloud cover (%)', color: '#6b7280', axis: 0 },
  { key: 'temperatureC', name: 'Temperature (°C)', color: '#0369a1', axis: 1 },
  { key: 'windSpeedMS', name: 'Wind speed (m/s)', color: '#15803d', axis: 1 },
] as const;

const MINUTE = 60_000;

/**
 * Minutes row i stands for, as the server reads rows (periodStartRows): to the next row for a period start (the
 * previous one for a period end), at most an hour; else the gap on the other side; else an hour. Rows in time order.
 */
export function rowPeriodMinutes(
  points: readonly WeatherPoint[],
  i: number,
  reading: Site['weatherTimestamps'],
): number {
  const gap = (j: number): number | null => {
    if (j < 0 || j >= points.length) return null;
    const d = Math.abs(Date.parse(points[j].ts) - Date.parse(points[i].ts)) / MINUTE;
    return d > 0 && d <= 60 ? d : null;
  };
  const [first, second] = reading === 'end' ? [i - 1, i + 1] : [i + 1, i - 1];
  return gap(first) ?? gap(second) ?? 60;
}

/**
 * Minutes from a row's timestamp to the middle of what its value stands for, as the site's setting reads it: a
 * period that starts there (+½ its period), one that ends there (−½), or the instant itself.
 */
export function readingShiftMinutes(reading: Site['weatherTimestamps'], periodMinutes: number): number {
  return reading === 'start' ? periodMinutes / 2 : reading === 'end' ? -periodMinutes / 2 : 0;
}

/**
 * The rows' values by column as lines on a time axis, each drawn at the middle of the period it stands for under
 * `reading` (the site's weatherTimestamps); columns without values are left out. `generation` adds the meter's mean
 * power (kW) at the middle of each interval, when it has readings in those days.
 */
export function weatherChartOption(
  points: readonly WeatherPoint[],
  reading: Site['weatherTimestamps'],
  generation?: GenerationOverlay,
): EChartsCoreOption {
  const xs = points.map(
    (p, i) => Date.parse(p.ts) + readingShiftMinutes(reading, rowPeriodMinutes(points, i, reading)) * MINUTE,
  );
  const shown = LINES.filter((l) => points.some((p) => p[l.key] !== null));
  const series: object[] = shown.map((l) => ({
    name: l.name,
    type: 'line',
    symbol: 'none',
    yAxisIndex: l.axis,
    lineStyle: { width: 1.5, color: l.color },
    itemStyle: { color: l.color },
    data: points.flatMap((p, i) => (p[l.key] !== null ? [[xs[i], p[l.key]]] : [])),
  }));
  const axis = (i: 0 | 1) => ({
    type: 'value',
    name: i === 0 ? 'W/m² · %' : '°C · m/s',
    axisLabel,
    splitLine: i === 0 ? splitLine : { show: false },
  });
  const yAxis: object[] = [axis(0), axis(1)];
  const names: string[] = shown.map((l) => l.name);
  if (generation && generation.points.length > 0) {
    const hours = generation.intervalMinutes / 60;
    const half = (generation.intervalMinutes / 2) * MINUTE;
    const name = `${generation.name} (kW)`;
    names.push(name);
    series.push({
      name,
      type: 'line',
      symbol: 'none',
      yAxisIndex: 2,
      lineStyle: { width: 1.5, color: '#7c3aed' },
      itemStyle: { color: '#7c3aed' },
      data: generation.points.map((p) => [Date.parse(p.ts) + half, p.value / hours]),
    });
    // its own scale from 0 (night's slightly negative readings stay below it), unlabelled: what matters is when
    // it rises and falls beside the irradiance
    yAxis.push({ type: 'value', name: 'kW', show: false, min: 0 });
  }
  return {
    grid: { left: 56, right: 56, top: 36, bottom: 40 },
    legend: { data: names, top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: timeAxis,
    yAxis,
    series,
  };
}
