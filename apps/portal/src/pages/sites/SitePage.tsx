import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { PageHeader, canDecide, canWrite, useOrg } from '../../components/Layout';
import { Badge, Card, Empty, ErrorBox, Loading } from '../../components/ui';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { BusyButton } from '../../components/form';
import { num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery } from '../../lib/api-query';
import { AnalysisSettingsForm } from './AnalysisSettingsForm';
import { MeterForm } from './MeterForm';
import { SiteForecastCard } from './SiteForecastCard';
import { WeatherCard } from './WeatherCard';
import { kindLabel, intervalLabel } from './meter-kinds';

interface AnalysisResult {
  created?: number;
  updated?: number;
  keptDecided?: number;
  markedStale?: number;
}

export function SitePage() {
  const { orgId, role } = useOrg();
  const { siteId = '' } = useParams();
  const navigate = useNavigate();
  const site = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}', { path: { orgId, siteId } });
  const meters = useApiQuery('/api/v1/orgs/{orgId}/meters', { path: { orgId }, query: { siteId } });
  const [analysis, setAnalysis] = useState<string | null>(null);
  const analyse = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/sites/{siteId}/analyses', { path: { orgId, siteId } });
    setAnalysis(res.jobId);
  });
  // The analysis is a job: follow it until it ends, then say what it found.
  const job = useApiQuery(
    '/api/v1/orgs/{orgId}/jobs/{jobId}',
    { path: { orgId, jobId: analysis! } },
    { enabled: !!analysis },
  );
  const jobRunning =
    !!analysis && (!job.data || job.data.status === 'queued' || job.data.status === 'running');
  useEffect(() => {
    if (!jobRunning || job.loading) return;
    const timer = setTimeout(job.reload, 1000);
    return () => clearTimeout(timer);
  }, [jobRunning, job.loading, job.data, job.reload]);
  const found =
    job.data?.status === 'succeeded' ? (job.data.result as AnalysisResult | undefined) : undefined;
  const siteMeters = (meters.data ?? []).filter((m) => m.siteId === siteId);
  const s = site.data;
  return (
    <>
      <PageHeader
        title={s?.name ?? 'Site'}
        subtitle={
          s
            ? [s.address, s.country, s.timezone, s.gridRegion ? `grid region ${s.gridRegion}` : null]
                .filter(Boolean)
                .join(' · ')
            : undefined
        }
        actions={
          canDecide(role) ? (
            <BusyButton className="btn secondary" busy={analyse.pending} onClick={() => void analyse.run()}>
              Look for savings
            </BusyButton>
          ) : null
        }
      />
      <p>
        <Link to={`/orgs/${orgId}/sites`}>← All sites</Link>
      </p>
      {site.loading && !site.data ? <Loading /> : null}
      <ErrorBox error={site.error} onRetry={site.reload} />
      <ErrorBox error={analyse.error} title="The analysis did not start" />
      {analysis && jobRunning ? (
        <p className="notice" role="status" data-testid="analysis-status" data-status="running">
          Looking for savings in the last 12 months of this site’s data…
        </p>
      ) : null}
      {analysis && job.data?.status === 'succeeded' ? (
        <p className="notice" role="status" data-testid="analysis-status" data-status="succeeded">
          Analysis finished
          {found?.created !== undefined
            ? `: ${found.created} new suggestion${found.created === 1 ? '' : 's'}, ${found.updated ?? 0} updated`
            : ''}
          . See them in the <Link to={`/orgs/${orgId}/recommendations`}>suggestion inbox</Link>.
        </p>
      ) : null}
      {analysis && job.data?.status === 'failed' ? (
        <div className="state error" role="alert" data-testid="analysis-status" data-status="failed">
          <p className="error-title">The analysis failed</p>
          <p>{job.data.error ?? 'Try again; if it keeps failing, check that the site has meter data.'}</p>
        </div>
      ) : null}
      <ErrorBox error={job.error} title="The analysis could not be followed" />
      {s ? (
        <div className="grid two">
          <Card title="Meters" id="meters">
            {meters.loading && !meters.data ? <Loading what="Loading meters" /> : null}
            <ErrorBox error={meters.error} onRetry={meters.reload} />
            <DataTable
              label="Meters"
              columns={['Meter', 'Kind', 'Unit', 'Interval']}
              rows={meters.data ? siteMeters : undefined}
              row={(m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`/orgs/${orgId}/meters/${m.id}`}>{m.name}</Link>
                  </td>
                  <td>{kindLabel(m.kind)}</td>
                  <td>{m.unit}</td>
                  <td>
                    {intervalLabel(m.intervalMinutes)}{' '}
                    {m.register === 'cumulative' ? <Badge>register</Badge> : null}
                  </td>
                </tr>
              )}
              empty={<Empty title="No meters on this site yet.">Add one to upload its data.</Empty>}
            />
          </Card>
          {canWrite(role) ? (
            <Card title="Add a meter" id="add-meter">
              <MeterForm siteId={siteId} onCreated={(m) => navigate(`/orgs/${orgId}/meters/${m.id}`)} />
            </Card>
          ) : null}
          {siteMeters.length ? (
            <SiteForecastCard
              orgId={orgId}
              siteId={siteId}
              timeZone={s.timezone}
              chart={(option) => (
                <Chart
                  option={option}
                  label="Net-load forecast of the site with its P10 to P90 band"
                  testId="site-forecast-chart"
                  height={300}
                />
              )}
            />
          ) : null}
          <Card title="Site details" id="site-details">
            <dl className="kv">
              <dt>Time zone</dt>
              <dd>{s.timezone}</dd>
              <dt>Location</dt>
              <dd>
                {s.latitude != null && s.longitude != null
                  ? `${s.latitude}, ${s.longitude}`
                  : 'not set (needed for solar forecasts)'}
              </dd>
              <dt>Floor area</dt>
              <dd>{s.floorAreaM2 ? `${num(s.floorAreaM2)} m²` : '–'}</dd>
              <dt>Tariff</dt>
              <dd>
                {s.tariff
                  ? s.tariff.type === 'flat'
                    ? `${s.tariff.pricePerKwh} ${s.tariff.currency}/kWh`
                    : `Time of use, ${s.tariff.bands?.length ?? 0} bands`
                  : 'not set'}
              </dd>
            </dl>
          </Card>
          <Card title="Weather" id="weather">
            <WeatherCard
              site={s}
              generation={siteMeters.find((m) => m.kind === 'pv_generation' || m.kind === 'wind_generation')}
              onSiteChanged={site.reload}
              chart={(option) => (
                <Chart
                  option={option}
                  label="The site’s weather over the last 7 days of its rows, with a generation meter’s output"
                  testId="weather-chart"
                  height={220}
                />
              )}
            />
          </Card>
          <Card title="Analysis settings" id="analysis-settings">
            <AnalysisSettingsForm siteId={siteId} />
          </Card>
        </div>
      ) : null}
    </>
  );
}
