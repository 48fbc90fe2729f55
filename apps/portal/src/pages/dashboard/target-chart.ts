import type { TargetProgress } from '../../api/types';
import { num } from '../../lib/format';
import { t } from './monthly';

export function targetChart(p: TargetProgress) {
  const rows = p.trajectory;
  const actual = rows.map((r) =>
    r.year === p.year && p.actual
      ? t(p.actual)
      : r.year === p.target.baseYear && p.baseValue
        ? t(p.baseValue)
        : null,
  );
  return {
    grid: { left: 64, right: 16, top: 36, bottom: 32 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) => (v === null || v === undefined ? '–' : `${num(v, 1)} t CO₂e`),
    },
    xAxis: { type: 'category', data: rows.map((r) => String(r.year)) },
    yAxis: { type: 'value', name: 't CO₂e' },
    series: [
      {
        type: 'bar',
        name: 'Base year and selected year',
        data: actual,
        itemStyle: { color: '#15803d' },
        barMaxWidth: 28,
      },
      {
        type: 'line',
        name: 'Target trajectory',
        data: rows.map((r) => t(r.value)),
        lineStyle: { type: 'dashed' },
        itemStyle: { color: '#b45309' },
      },
    ],
  };
}
