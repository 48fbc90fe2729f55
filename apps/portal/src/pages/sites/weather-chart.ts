// ECharts option for a site's imported weather (GET …/sites/{siteId}/weather), as a pure function: irradiance on
// the left axis, temperature on the right, each only when the rows hold it.
import type { EChartsCoreOption } from 'echarts/core';
import { axisLabel, splitLine, timeAxis } from '../../lib/charts';

export interface WeatherPoint {
  ts: string;
  temperatureC: number | null;
  ghiWM2: number | null;
  cloudCoverPct: number | null;
  windSpeedMS: number | null;
}

const LINES = [
  { key: 'ghiWM2', name: 'GHI (W/m²)', color: '#b45309', axis: 0 },
  { key: 'cloudCoverPct', name: 'Cloud cover (%)', color: '#6b7280', axis: 0 },
  { key: 'temperatureC', name: 'Temperature (°C)', color: '#0369a1', axis: 1 },
  { key: 'windSpeedMS', name: 'Wind speed (m/s)', color: '#15803d', axis: 1 },
] as const;

/** The rows' values by column as lines on a time axis (timestamps as imported); columns without values are left out. */
export function weatherChartOption(points: readonly WeatherPoint[]): EChartsCoreOption {
  const shown = LINES.filter((l) => points.some((p) => p[l.key] !== null));
  const series = shown.map((l) => ({
    name: l.name,
    type: 'line',
    symbol: 'none',
    yAxisIndex: l.axis,
    lineStyle: { width: 1.5, color: l.color },
    itemStyle: { color: l.color },
    data: points.filter((p) => p[l.key] !== null).map((p) => [Date.parse(p.ts), p[l.key]]),
  }));
  const axis = (i: 0 | 1) => ({
    type: 'value',
    name: i === 0 ? 'W/m² · %' : '°C · m/s',
    axisLabel,
    splitLine: i === 0 ? splitLine : { show: false },
  });
  return {
    grid: { left: 56, right: 56, top: 36, bottom: 40 },
    legend: { data: shown.map((l) => l.name), top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: timeAxis,
    yAxis: [axis(0), axis(1)],
    series,
  };
}
