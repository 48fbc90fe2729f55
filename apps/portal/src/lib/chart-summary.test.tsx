// What the charts publish to the browser tests, and the PV evidence chart's order (it once ran backwards).
import { describe, expect, it } from '@jest/globals';
import { evidenceOption } from '../pages/recommendations/evidence-chart';
import { summarizeChart } from './chart-summary';

describe('summarizeChart', () => {
  it('names the axes, counts the points with a value and lists x in drawing order on a time axis', () => {
    const summary = summarizeChart({
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'kWh' },
      series: [
        {
          type: 'line',
          name: 'Load',
          data: [
            [3, 1],
            [1, null],
            [2, 5],
          ],
        },
        { type: 'line', name: 'Empty', data: [] },
      ],
    });
    expect(summary.xAxes).toEqual([{ type: 'time', name: '', categories: 0 }]);
    expect(summary.yAxes).toEqual([{ type: 'value', name: 'kWh', categories: 0 }]);
    expect(summary.series).toEqual([
      { name: 'Load', type: 'line', points: 2, xs: [3, 1, 2] },
      { name: 'Empty', type: 'line', points: 0, xs: [] },
    ]);
  });

  it('gives no x order on a category axis, and counts its categories', () => {
    const summary = summarizeChart({
      xAxis: { type: 'category', data: ['Jan', 'Feb'] },
      yAxis: { type: 'value', name: 't CO₂e' },
      series: [{ type: 'bar', name: 'Scope 2', data: [4, null] }],
    });
    expect(summary.xAxes[0].categories).toBe(2);
    expect(summary.series[0]).toEqual({ name: 'Scope 2', type: 'bar', points: 1, xs: null });
  });
});

describe('evidenceOption', () => {
  it('draws the PV evidence by ascending system size on a named value axis, whatever the API’s order', () => {
    const option = evidenceOption({
      series: [
        {
          name: 'Self-consumed',
          unit: 'kWh',
          xLabel: 'System size (kWp)',
          points: [
            { ts: '40', value: 30 },
            { ts: '10', value: 10 },
            { ts: '25', value: 20 },
          ],
        },
      ],
      numbers: {},
    });
    const summary = summarizeChart(option!);
    expect(summary.xAxes[0]).toMatchObject({ type: 'value', name: 'System size (kWp)' });
    expect(summary.series[0].xs).toEqual([10, 25, 40]);
    expect(summary.yAxes.every((a) => a.name)).toBe(true);
  });
});
