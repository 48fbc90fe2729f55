// Where the weather chart draws each row (the middle of what its value stands for under the site's setting) and
// how it draws a generation meter's output beside it (mean kW at the middle of each interval).
import { describe, expect, it } from '@jest/globals';
import {
  type WeatherPoint,
  readingShiftMinutes,
  rowPeriodMinutes,
  weatherChartOption,
} from './weather-chart';

const row = (ts: string, ghiWM2: number | null, temperatureC: number | null = null): WeatherPoint => ({
  ts,
  ghiWM2,
  temperatureC,
  cloudCoverPct: null,
  windSpeedMS: null,
});
const halfHourly = [
  row('2017-08-01T18:00:00.000Z', 800, 25),
  row('2017-08-01T18:30:00.000Z', 820, 26),
  row('2017-08-01T19:00:00.000Z', 790),
];
type Drawn = { name: string; yAxisIndex: number; data: [number, number][] };
const drawn = (option: ReturnType<typeof weatherChartOption>) => option.series as Drawn[];
const at = (iso: string) => Date.parse(iso);

describe('weather chart', () => {
  it('measures each row’s period as the server reads it: to the next row (the previous for a period end), at most an hour', () => {
    const periods = (points: WeatherPoint[], reading: 'start' | 'end') =>
      points.map((_, i) => rowPeriodMinutes(points, i, reading));
    expect(periods(halfHourly, 'start')).toEqual([30, 30, 30]);
    // a gap of missing rows does not stretch the row before it; the row after it takes the hour
    expect(periods([...halfHourly, row('2017-08-02T19:00:00.000Z', 0)], 'start')).toEqual([30, 30, 30, 60]);
    // a period end looks back: the first row, with nothing before it, takes the gap to the next
    expect(periods([row('2017-08-01T18:00:00.000Z', 1), row('2017-08-01T19:00:00.000Z', 2)], 'end')).toEqual([
      60, 60,
    ]);
    expect(periods([halfHourly[0]], 'start')).toEqual([60]);
  });

  it('shifts a period-start row forward and a period-end row back by half the spacing, an instant not at all', () => {
    expect(readingShiftMinutes('start', 60)).toBe(30);
    expect(readingShiftMinutes('end', 60)).toBe(-30);
    expect(readingShiftMinutes('instant', 30)).toBe(0);
    const ghi = (reading: 'start' | 'end' | 'instant') =>
      drawn(weatherChartOption(halfHourly, reading)).find((s) => s.name === 'GHI (W/m²)')!.data;
    expect(ghi('start')[0]).toEqual([at('2017-08-01T18:15:00.000Z'), 800]);
    expect(ghi('end')[0]).toEqual([at('2017-08-01T17:45:00.000Z'), 800]);
    expect(ghi('instant').map((d) => d[0])).toEqual(halfHourly.map((p) => at(p.ts)));
  });

  it('draws only the columns with values, temperature on the right axis', () => {
    const series = drawn(weatherChartOption(halfHourly, 'instant'));
    expect(series.map((s) => [s.name, s.yAxisIndex, s.data.length])).toEqual([
      ['GHI (W/m²)', 0, 3],
      ['Temperature (°C)', 1, 2],
    ]);
  });

  it('draws a generation meter’s output as mean kW at the middle of each interval, on an axis of its own', () => {
    const option = weatherChartOption(halfHourly, 'instant', {
      name: 'PV array',
      intervalMinutes: 15,
      points: [
        { ts: '2017-08-01T18:00:00.000Z', value: 0.5 },
        { ts: '2017-08-01T18:15:00.000Z', value: 0.75 },
      ],
    });
    const pv = drawn(option).find((s) => s.name === 'PV array (kW)')!;
    // 0.5 kWh in a quarter hour is 2 kW on average, drawn at 18:07:30
    expect(pv.data).toEqual([
      [at('2017-08-01T18:07:30.000Z'), 2],
      [at('2017-08-01T18:22:30.000Z'), 3],
    ]);
    expect(pv.yAxisIndex).toBe(2);
    expect((option.yAxis as unknown[]).length).toBe(3);
    expect((option.legend as { data: string[] }).data).toContain('PV array (kW)');
  });

  it('leaves the output out when the meter has no readings in those days', () => {
    const option = weatherChartOption(halfHourly, 'start', {
      name: 'PV array',
      intervalMinutes: 15,
      points: [],
    });
    expect(drawn(option).map((s) => s.name)).toEqual(['GHI (W/m²)', 'Temperature (°C)']);
    expect((option.yAxis as unknown[]).length).toBe(2);
  });
});
