import type { Evidence } from '../../api/types';

export function evidenceOption(evidence: Evidence) {
  const series = (evidence.series ?? []).filter((s) => Array.isArray(s.points) && s.points.length);
  if (!series.length) return null;
  // A series over something other than time (PV: by system size) names its x axis; draw it on a value axis, ascending.
  const xLabel = (series[0] as { xLabel?: string }).xLabel;
  if (xLabel)
    return {
      grid: { left: 56, right: 16, top: 36, bottom: 48 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', name: xLabel, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: series.map((s) => ({ type: 'value', name: s.unit ?? '' })).slice(0, 2),
      series: series.map((s, i) => ({
        type: 'line',
        name: s.unit && !s.name.includes(s.unit) ? `${s.name} (${s.unit})` : s.name,
        yAxisIndex: Math.min(i, 1),
        showSymbol: false,
        data: s.points.map((p) => [Number(p.ts), p.value]).sort((a, b) => a[0] - b[0]),
      })),
    };
  const times = series.flatMap((s) => s.points.map((p) => Date.parse(p.ts)));
  // A "typical week" (hour-of-week profile) is dated on a reference week: label it by weekday.
  const week = Math.max(...times) - Math.min(...times) <= 7 * 86_400_000;
  return {
    grid: { left: 56, right: 16, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: week
      ? {
          type: 'time',
          axisLabel: {
            formatter: (v: number) =>
              new Date(v).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' }),
          },
        }
      : { type: 'time' },
    yAxis: { type: 'value', name: series[0].unit ?? '' },
    series: series.map((s) => ({
      type: 'line',
      name: s.unit && !s.name.includes(s.unit) ? `${s.name} (${s.unit})` : s.name,
      showSymbol: false,
      data: s.points.map((p) => [Date.parse(p.ts), p.value]),
    })),
  };
}
