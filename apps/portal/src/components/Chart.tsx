// ECharts, with only the charts and components the portal uses (keeps the bundle small).
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  AriaComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { summarizeChart } from '../lib/chart-summary';

declare global {
  interface Window {
    /** Set by the browser tests before the portal loads: charts then publish what they show. */
    __HALVE_CHART_TEST__?: boolean;
  }
}

/** Whether the page runs under the browser tests (never in production: nothing sets the flag there). */
function chartTest(): boolean {
  return typeof window !== 'undefined' && window.__HALVE_CHART_TEST__ === true;
}

echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  VisualMapComponent,
  MarkLineComponent,
  AriaComponent,
  CanvasRenderer,
]);

export const PALETTE = [
  '#15803d',
  '#0369a1',
  '#b45309',
  '#7c3aed',
  '#be123c',
  '#0f766e',
  '#4d7c0f',
  '#a16207',
];

/** Number of data points across all series: the browser tests read it from `data-points`. */
function countPoints(option: EChartsCoreOption): number {
  const series = (option as { series?: unknown }).series;
  const list = Array.isArray(series) ? series : series ? [series] : [];
  return list.reduce(
    (n: number, s) =>
      n + (Array.isArray((s as { data?: unknown[] }).data) ? (s as { data: unknown[] }).data.length : 0),
    0,
  );
}

export function Chart({
  option,
  height = 320,
  label,
  testId,
}: {
  option: EChartsCoreOption;
  height?: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    // The browser tests read the live instance (series data) from the element.
    if (chartTest()) (el as HTMLDivElement & { __echarts?: echarts.ECharts }).__echarts = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.setOption(
      {
        color: PALETTE,
        aria: { enabled: true, label: { description: label } },
        textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
        animationDuration: 300,
        ...option,
      },
      { notMerge: true },
    );
    ref.current?.setAttribute('data-points', String(countPoints(option)));
    if (chartTest()) ref.current?.setAttribute('data-chart-summary', JSON.stringify(summarizeChart(option)));
    ref.current?.setAttribute('data-rendered', 'false');
    chart.off('finished');
    chart.on('finished', () => ref.current?.setAttribute('data-rendered', 'true'));
  }, [option, label]);

  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      data-chart="echarts"
      style={{ height }}
    />
  );
}
