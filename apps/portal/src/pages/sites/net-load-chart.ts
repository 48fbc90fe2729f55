// ECharts option for a site's net-load forecast (GET …/sites/{siteId}/forecast), as a pure function.
import type { EChartsCoreOption } from 'echarts/core';
import { axisLabel, bandSeries, splitLine, timeAxis } from '../../lib/charts';
import { num } from '../../lib/format';

export interface NetLoadPoint {
  ts: string;
  p10: number;
  p50: number;
  p90: number;
  loadKwh: number;
  pvKwh: number;
  windKwh: number;
}

/** P50 net load with its P10–P90 band, and the load and generation it is made of. */
export function netLoadChartOption(points: readonly NetLoadPoint[], timeZone: string): EChartsCoreOption {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const at = (p: NetLoadPoint) => Date.parse(p.ts);
  const generation = points.some((p) => p.pvKwh + p.windKwh > 0);
  const byTs = new Map(points.map((p) => [at(p), p]));
  /** A P50 line without symbols. */
  const line = (
    name: string,
    lineStyle: { width: number; type?: 'dashed'; color: string },
    value: (p: NetLoadPoint) => number,
  ) => ({
    name,
    type: 'line',
    symbol: 'none',
    lineStyle,
    itemStyle: { color: lineStyle.color },
    data: points.map((p) => [at(p), value(p)]),
  });
  const series: object[] = [
    ...bandSeries(points),
    line('Net load (P50)', { width: 2, color: '#0369a1' }, (p) => p.p50),
    line('Load (P50)', { width: 1, type: 'dashed', color: '#6b7280' }, (p) => p.loadKwh),
  ];
  if (generation)
    series.push(
      line('PV + wind (P50)', { width: 1, type: 'dashed', color: '#b45309' }, (p) => p.pvKwh + p.windKwh),
    );
  const tooltip = (params: { axisValue?: number; value?: [number, number] }[]) => {
    const t = params[0]?.axisValue ?? params[0]?.value?.[0];
    const p = t === undefined ? undefined : byTs.get(t);
    if (!p) return '';
    return [
      `<strong>${fmt.format(new Date(t!))}</strong>`,
      `Net load P50: ${num(p.p50, 2)} kWh`,
      `P10–P90: ${num(p.p10, 2)}–${num(p.p90, 2)} kWh`,
      `Load: ${num(p.loadKwh, 2)} kWh`,
      ...(generation ? [`PV + wind: ${num(p.pvKwh + p.windKwh, 2)} kWh`] : []),
    ].join('<br>');
  };
  return {
    grid: { left: 56, right: 16, top: 36, bottom: 40 },
    legend: {
      data: ['Net load (P50)', 'P10–P90 band', 'Load (P50)', ...(generation ? ['PV + wind (P50)'] : [])],
      top: 0,
    },
    tooltip: { trigger: 'axis', formatter: tooltip },
    xAxis: timeAxis,
    yAxis: { type: 'value', name: 'kWh / h', axisLabel, splitLine },
    series,
  };
}
