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

/** The rows' spacing in minutes: the median gap between consecutive rows (60 when there are fewer than two). */
export function rowSpacingMinutes(points: readonly WeatherPoint[]): number {
  const gaps = points
    .slice(1)
    .map((p, i) => (Date.parse(p.ts) - Date.parse(points[i].ts)) / MINUTE)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor((gaps.length - 1) / 2)] : 60;
}

/**
 * Minutes from a row's timestamp to the middle of what its value stands for, as the site's setting reads it: a
 * period that starts there (+½ spacing), one that ends there (−½), or the instant itself.
 */
export function readingShiftMinutes(reading: Site['weatherTimestamps'], spacingMinutes: number): number {
  return reading === 'start' ? spacingMinutes / 2 : reading === 'end' ? -spacingMinutes / 2 : 0;
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
  const shift = readingShiftMinutes(reading, rowSpacingMinutes(points)) * MINUTE;
  const shown = LINES.filter((l) => points.some((p) => p[l.key] !== null));
  const series: object[] = shown.map((l) => ({
    name: l.name,
    type: 'line',
    symbol: 'none',
    yAxisIndex: l.axis,
    lineStyle: { width: 1.5, color: l.color },
    itemStyle: { color: l.color },
    data: points.filter((p) => p[l.key] !== null).map((p) => [Date.parse(p.ts) + shift, p[l.key]]),
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
