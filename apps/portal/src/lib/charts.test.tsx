// The load chart's tooltip is HTML built from a meter's name: the name must show as text, never as markup.
import { describe, expect, it } from '@jest/globals';
import type { Forecast, Readings } from '../api/types';
import { loadChartOption } from './charts';
import { escapeHtml } from './format';

type Formatter = (params: { axisValue: number }[]) => string;

describe('loadChartOption tooltip', () => {
  const ts = '2017-03-01T10:00:00.000Z';
  const readings = {
    meterId: 'm',
    from: ts,
    to: ts,
    resolution: 'hour',
    timezone: 'UTC',
    unit: 'kWh',
    points: [{ ts, value: 12.5 }],
  } as Readings;
  const forecast = {
    meterId: 'm',
    issuedAt: ts,
    method: 'model',
    reason: '',
    unit: 'kWh',
    points: [{ ts, p10: 10, p50: 12, p90: 14 }],
  } as Forecast;

  it('escapes a meter name that holds markup, and keeps the values', () => {
    const name = '<img src=x onerror="alert(1)">Main & \'Annex\'';
    const option = loadChartOption(readings, { timeZone: 'UTC', resolution: 'hour', forecast, name }) as {
      tooltip: { formatter: Formatter };
    };
    const html = option.tooltip.formatter([{ axisValue: Date.parse(ts) }]);
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Main &amp; &#39;Annex&#39;: 12.5 kWh',
    );
    expect(html).toContain('Forecast P50: 12 kWh');
    expect(html).toContain('P10–P90: 10–14 kWh');
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('Main building (north) – 2017')).toBe('Main building (north) – 2017');
  });
});
