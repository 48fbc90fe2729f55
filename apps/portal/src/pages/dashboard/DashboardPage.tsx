import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { download } from '../../api/client';
import { Chart } from '../../components/Chart';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Card, Empty, ErrorBox, Loading, Stat, isMissingEndpoint } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { BusyButton } from '../../components/form';
import { barOption } from '../../lib/charts';
import { co2, humanize, num, pct } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useDataQuery } from '../../lib/api-query';
import { MONTHS, t, monthly, renewableShare, dataYears } from './monthly';
import { targetChart } from './target-chart';

export function DashboardPage() {
  const { orgId, org, role, timezone } = useOrg();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const years = useDataQuery(['query:data-years', { orgId }, timezone], (signal) =>
    dataYears(orgId, timezone, signal).catch(() => null),
  );
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!picked && years.data && years.data.last < thisYear) setYear(years.data.last);
  }, [years.data, picked, thisYear]);
  const firstYear = Math.min(years.data?.first ?? thisYear - 7, thisYear - 3);
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const inventory = useApiQuery('/api/v1/orgs/{orgId}/inventory', { path: { orgId }, query: { from, to } });
  const inv = inventory.data;
  const total = inv ? inv.scope1KgCo2e + inv.scope2LocationKgCo2e + inv.scope3KgCo2e : 0;
  const months = useDataQuery(
    ['query:monthly', { orgId }, year, inventory.updatedAt],
    (signal) => monthly(orgId, year, inv!, signal),
    { enabled: !!inv && total > 0 },
  );
  const targets = useApiQuery('/api/v1/orgs/{orgId}/targets', { path: { orgId } });
  const target = targets.data?.[0];
  const progress = useApiQuery(
    '/api/v1/orgs/{orgId}/targets/{targetId}/progress',
    { path: { orgId, targetId: target?.id ?? '' }, query: { year: String(year) } },
    { enabled: !!target },
  );
  const hourly = useApiQuery(
    '/api/v1/orgs/{orgId}/inventory/hourly-scope2',
    { path: { orgId }, query: { from, to } },
    { enabled: !!inv && total > 0 },
  );
  const sites = useApiQuery('/api/v1/orgs/{orgId}/sites', { path: { orgId } });
  const dl = useAction((ext: 'pdf' | 'xlsx' | 'csv') =>
    download(`/api/v1/orgs/${orgId}/inventory/report.${ext}`, { from, to }, `halve-inventory-${year}.${ext}`),
  );

  const monthOption = useMemo(() => {
    if (!months.data) return null;
    const rows = [...months.data].sort((a, b) => a.month - b.month);
    return barOption(
      rows.map((r) => MONTHS[r.month]),
      [
        { name: 'Scope 1', data: rows.map((r) => t(r.scope1)), stack: 'total', color: '#b45309' },
        {
          name: 'Scope 2 (location)',
          data: rows.map((r) => t(r.scope2Location)),
          stack: 'total',
          color: '#0369a1',
        },
        { name: 'Scope 3', data: rows.map((r) => t(r.scope3)), stack: 'total', color: '#7c3aed' },
      ],
      't CO₂e',
    );
  }, [months.data]);
  const scopeOption = useMemo(
    () =>
      inv
        ? barOption(
            ['Scope 1', 'Scope 2\nlocation', 'Scope 2\nmarket', 'Scope 3'],
            [
              {
                name: 't CO₂e',
                data: [
                  t(inv.scope1KgCo2e),
                  t(inv.scope2LocationKgCo2e),
                  t(inv.scope2MarketKgCo2e),
                  t(inv.scope3KgCo2e),
                ],
                color: '#15803d',
              },
            ],
            't CO₂e',
          )
        : null,
    [inv],
  );
  const share = inv ? renewableShare(inv) : undefined;
  const targetOption = useMemo(
    () => (progress.data?.trajectory?.length ? targetChart(progress.data) : null),
    [progress.data],
  );
  const missing = isMissingEndpoint(inventory.error);
  const noData = inv && total === 0;

  return (
    <>
      <PageHeader
        title={`${org.name}`}
        subtitle={`Carbon footprint for ${year}${org.isDemo ? ' · demo organisation' : ''}`}
        actions={
          <div className="year-picker">
            <label htmlFor="year">Year</label>
            <select
              id="year"
              value={year}
              onChange={(e) => {
                setPicked(true);
                setYear(Number(e.target.value));
              }}
            >
              {Array.from({ length: thisYear - firstYear + 1 }, (_, i) => thisYear - i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        }
      />
      {inventory.loading && !inv ? <Loading what="Calculating the footprint" /> : null}
      {missing ? (
        <Empty title="Footprint calculations are not available on this server yet.">
          Meanwhile, add your sites and upload meter data: the footprint is calculated from them.
        </Empty>
      ) : (
        <ErrorBox error={inventory.error} onRetry={inventory.reload} />
      )}
      {sites.data && !sites.data.length ? (
        <Card title="Get started" id="start">
          <ol className="steps">
            <li>Add a site (a building or location) with its country and time zone.</li>
            <li>Add its meters: electricity, gas, solar…</li>
            <li>Upload the meter data your supplier or smart meter gives you (CSV, Excel, Green Button).</li>
          </ol>
          {canWrite(role) ? (
            <Link className="btn primary" to={`/orgs/${orgId}/sites`}>
              Add your first site
            </Link>
          ) : null}
        </Card>
      ) : null}
      {inv ? (
        <>
          <div className="stats big" data-testid="footprint-stats">
            <Stat label="Total (location-based)" value={co2(inv.totalLocationKgCo2e)} />
            <Stat label="Total (market-based)" value={co2(inv.totalMarketKgCo2e)} />
            <Stat
              label="Scope 1"
              value={co2(inv.scope1KgCo2e)}
              hint="fuels burnt on site, vehicles, refrigerants"
            />
            <Stat
              label="Scope 2"
              value={co2(inv.scope2LocationKgCo2e)}
              hint={`market-based ${co2(inv.scope2MarketKgCo2e)}`}
            />
            <Stat label="Scope 3" value={co2(inv.scope3KgCo2e)} />
            <Stat
              label="Renewable share"
              value={share === undefined ? '–' : pct(share)}
              hint="of electricity: on-site generation used plus certificates"
              tone={share === undefined ? undefined : share >= 0.5 ? 'good' : undefined}
            />
            {typeof hourly.data?.cfeShare === 'number' ? (
              <Stat
                label="Carbon-free hours share"
                value={pct(hourly.data.cfeShare)}
                hint="hour-by-hour grid matching (CFE)"
              />
            ) : null}
          </div>
          {noData ? (
            <Empty title={`No emissions recorded for ${year}.`}>
              Upload meter data for {year} or choose another year.
            </Empty>
          ) : null}
          {inv.warnings?.length ? (
            <details className="warnings">
              <summary>
                {inv.warnings.length} note{inv.warnings.length === 1 ? '' : 's'} on this inventory
              </summary>
              <ul>
                {inv.warnings.map((w, i) => (
                  <li key={i}>{typeof w === 'string' ? w : w.message}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {!noData ? (
            <div className="grid two">
              <Card title="By month" id="by-month">
                {months.loading && !months.data ? <Loading /> : null}
                <ErrorBox error={months.error} onRetry={months.reload} />
                {monthOption ? (
                  <Chart
                    option={monthOption}
                    label={`Emissions by month in ${year}, by scope`}
                    testId="month-chart"
                  />
                ) : null}
              </Card>
              <Card title="By scope, with both Scope 2 methods" id="by-scope">
                {scopeOption ? (
                  <Chart
                    option={scopeOption}
                    label="Emissions by scope, location- and market-based Scope 2"
                    testId="scope-chart"
                  />
                ) : null}
                <p className="muted small">
                  Location-based uses the grid's average; market-based counts your green tariffs and
                  certificates.
                </p>
              </Card>
            </div>
          ) : null}
          {inv.lines?.length ? (
            <details className="card lines">
              <summary>
                How it was calculated: {inv.lines.length} lines, each with its quantity, factor and source
              </summary>
              <DataTable
                label="Inventory lines"
                columns={['Scope', 'Source', 'Period', 'Quantity', 'Factor', 'kg CO₂e']}
                rows={inv.lines.slice(0, 300)}
                row={(l, i) => (
                  <tr key={i}>
                    <td>
                      {String(l.scope)}
                      {l.method ? ` (${String(l.method)})` : ''}
                    </td>
                    <td>
                      {l.source}
                      {l.category ? <div className="muted small">{humanize(String(l.category))}</div> : null}
                    </td>
                    <td>{l.month ?? ''}</td>
                    <td>
                      {num(l.quantity, 1)} {l.unit}
                    </td>
                    <td className="small">
                      {l.factor ? (
                        <>
                          {num(Number(l.factor.value), 5)} kg/{l.factor.unit}
                          <div className="muted">
                            {l.factor.source} {l.factor.edition ?? ''}{' '}
                            {l.factor.region ? `· ${l.factor.region}` : ''}
                          </div>
                        </>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td>{num(l.kgCo2e, 1)}</td>
                  </tr>
                )}
              />
            </details>
          ) : null}
        </>
      ) : null}
      <div className="grid two">
        <Card title="Target" id="target">
          {targets.loading && !targets.data ? <Loading /> : null}
          {isMissingEndpoint(targets.error) ? (
            <Empty title="Targets are not available on this server yet." />
          ) : (
            <ErrorBox error={targets.error} onRetry={targets.reload} />
          )}
          {targets.data && !targets.data.length ? (
            <Empty title="No target set.">
              The default is the SBTi 1.5 °C pace: 4.2 % less Scope 1+2 each year from the base year.
            </Empty>
          ) : null}
          {target ? (
            <>
              <p>
                <strong>{target.name ?? 'Reduction target'}</strong>:{' '}
                {target.reductionPct ? `${num(Number(target.reductionPct), 1)} % less ` : ''}
                by {target.targetYear} from {target.baseYear}
                {target.annualRatePct ? ` (${target.annualRatePct} % a year)` : ''}.
              </p>
              {progress.loading && !progress.data ? <Loading what="Comparing with the trajectory" /> : null}
              <ErrorBox error={progress.error} onRetry={progress.reload} />
              {progress.data ? (
                <p>
                  {year}: {co2(progress.data.actual)} against {co2(progress.data.expected)} on the trajectory.{' '}
                  {progress.data.actual === 0 ? (
                    <span className="muted">No emissions recorded for {year} yet.</span>
                  ) : progress.data.onTrack ? (
                    <strong className="good-text">On track</strong>
                  ) : (
                    <strong className="bad-text">Off track by {co2(progress.data.gap ?? null)}</strong>
                  )}
                </p>
              ) : null}
              {targetOption ? (
                <Chart
                  option={targetOption}
                  label="Emissions against the target trajectory"
                  testId="target-chart"
                  height={260}
                />
              ) : null}
              {progress.data?.notes?.length ? (
                <p className="muted small">{progress.data.notes.join(' ')}</p>
              ) : null}
            </>
          ) : null}
        </Card>
        <Card title="Reports" id="reports">
          <p>
            The {year} inventory laid out like a GHG Protocol corporate inventory: boundary, methods, factors
            used, both Scope 2 figures.
          </p>
          <div className="button-row">
            <BusyButton className="btn secondary" busy={dl.pending} onClick={() => void dl.run('pdf')}>
              Download PDF
            </BusyButton>
            <BusyButton className="btn secondary" busy={dl.pending} onClick={() => void dl.run('xlsx')}>
              Download Excel
            </BusyButton>
            <BusyButton className="btn secondary" busy={dl.pending} onClick={() => void dl.run('csv')}>
              Download CSV
            </BusyButton>
          </div>
          {isMissingEndpoint(dl.error) ? (
            <p className="muted">Reports are not available on this server yet.</p>
          ) : (
            <ErrorBox error={dl.error} title="The report could not be downloaded" />
          )}
        </Card>
      </div>
    </>
  );
}
