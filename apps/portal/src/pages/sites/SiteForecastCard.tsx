import { type ReactNode, useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Link } from 'react-router-dom';
import { DataTable } from '../../components/DataTable';
import { Badge, Card, Empty, Loading } from '../../components/ui';
import { num } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { ForecastError, sentence } from '../meter/ForecastError';
import { netLoadChartOption } from './net-load-chart';

const ROLE_LABEL: Record<string, string> = { load: 'load', pv: 'PV', wind: 'wind' };

function methodLabel(method: string | undefined, version: number | undefined): string {
  if (method === 'model') return `its model${version ? ` v${version}` : ''}`;
  if (method === 'generic') return 'generic model';
  if (method === 'baseline') return 'baseline';
  return '–';
}

/**
 * The site's net load (import − PV − wind) for the 48 hours after its data, and what it is made of.
 * `chart` draws the option (the site page passes the ECharts component; tests a stand-in).
 */
export function SiteForecastCard({
  orgId,
  siteId,
  timeZone,
  chart,
}: {
  orgId: string;
  siteId: string;
  timeZone: string;
  chart: (option: EChartsCoreOption) => ReactNode;
}) {
  const forecast = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}/forecast', { path: { orgId, siteId } });
  const f = forecast.data;
  const option = useMemo(
    () => (f?.points.length ? netLoadChartOption(f.points, timeZone) : null),
    [f, timeZone],
  );
  const total = f ? f.points.reduce((s, p) => s + p.p50, 0) : 0;
  return (
    <Card title="Net-load forecast" id="site-forecast">
      {forecast.loading && !f ? <Loading what="Loading the site forecast" /> : null}
      {forecast.error ? <ForecastError error={forecast.error} /> : null}
      {f && !f.points.length ? <Empty title="The forecast is empty for this period." /> : null}
      {f && option ? (
        <>
          <p className="muted small">
            Electricity import meters minus PV and wind, hour by hour, for the {f.points.length} hours after
            the latest reading: <strong data-testid="site-forecast-total">{num(total, 0)} kWh</strong> net
            (P50). The shaded band holds 80 % of likely outcomes (P10–P90), combined from each meter’s own
            band as independent errors
            {f.incompleteHours ? `; ${f.incompleteHours} hours not covered by every meter are left out` : ''}.
          </p>
          {chart(option)}
        </>
      ) : null}
      {f ? (
        <DataTable
          label="Meters in the net-load forecast"
          columns={['Meter', 'Part', 'Method', 'kWh (P50)', 'Why']}
          rows={f.components}
          row={(c) => (
            <tr key={c.meterId} data-testid="site-forecast-component">
              <td>
                <Link to={`/orgs/${orgId}/meters/${c.meterId}`}>{c.meterName}</Link>
              </td>
              <td>{c.role ? ROLE_LABEL[c.role] : '–'}</td>
              <td>
                {c.included ? (
                  <Badge tone={c.method === 'model' ? 'good' : 'info'}>
                    {methodLabel(c.method, c.modelVersion)}
                  </Badge>
                ) : (
                  <Badge tone="warn">left out</Badge>
                )}
              </td>
              <td>{c.totalKwh !== undefined ? num(c.totalKwh, 0) : '–'}</td>
              <td className="small">{sentence(c.reason)}</td>
            </tr>
          )}
          empty={<Empty title="No meters on this site yet." />}
        />
      ) : null}
    </Card>
  );
}
