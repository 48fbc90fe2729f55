import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { Chart } from '../../components/Chart';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Badge, Card, Empty, ErrorBox, Loading, isMissingEndpoint } from '../../components/ui';
import { BusyButton } from '../../components/form';
import { heatmapOption, loadChartOption } from '../../lib/charts';
import { addDays, date, kwh, num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useDataQuery, useInvalidate } from '../../lib/api-query';
import { intervalLabel, kindLabel } from '../sites/meter-kinds';
import { sentence, ForecastError } from './ForecastError';
import { QualityCard } from './QualityCard';
import { UploadPanel } from './UploadPanel';
import { type Resolution, type Range, findExtent, PRESETS } from './readings-range';

export function MeterPage() {
  const { orgId, role } = useOrg();
  const { meterId = '' } = useParams();
  const meter = useApiQuery('/api/v1/orgs/{orgId}/meters/{meterId}', { path: { orgId, meterId } });
  const siteId = meter.data?.siteId;
  const site = useApiQuery(
    '/api/v1/orgs/{orgId}/sites/{siteId}',
    { path: { orgId, siteId: siteId ?? '' } },
    { enabled: !!siteId },
  );
  const extent = useDataQuery(
    ['query:meter-extent', { orgId, meterId }],
    (signal) => findExtent(orgId, meterId, signal),
    {
      enabled: !!meter.data,
    },
  );
  const invalidate = useInvalidate();
  // New readings change what the meter's queries answer.
  const onImported = () => {
    invalidate('query:meter-extent', { orgId, meterId });
    for (const path of ['readings', 'quality', 'forecast'] as const)
      invalidate(`/api/v1/orgs/{orgId}/meters/{meterId}/${path}`, { orgId, meterId });
  };
  const [range, setRange] = useState<Range | null>(null);
  const [preset, setPreset] = useState('28d');
  const tz = site.data?.timezone ?? 'UTC';

  // Default range: the last four weeks that have data.
  useEffect(() => {
    if (!extent.data) return;
    const p = PRESETS.find((x) => x.key === preset) ?? PRESETS[1];
    setRange(
      p.key === 'all'
        ? { from: extent.data.first, to: extent.data.last, resolution: 'month' }
        : { from: addDays(extent.data.last, -p.days), to: extent.data.last, resolution: p.resolution },
    );
    // deps are the caller's (the newest run wins)
  }, [extent.data]);

  const readings = useApiQuery(
    '/api/v1/orgs/{orgId}/meters/{meterId}/readings',
    { path: { orgId, meterId }, query: { from: range?.from, to: range?.to, resolution: range?.resolution } },
    { enabled: !!range },
  );
  const quality = useApiQuery(
    '/api/v1/orgs/{orgId}/meters/{meterId}/quality',
    { path: { orgId, meterId }, query: { from: range?.from, to: range?.to } },
    { enabled: !!range },
  );
  // The forecast for the week after the data ends, over the last days of data.
  const forecastRange = extent.data ? { from: extent.data.last, to: addDays(extent.data.last, 7) } : null;
  const forecast = useApiQuery(
    '/api/v1/orgs/{orgId}/meters/{meterId}/forecast',
    { path: { orgId, meterId }, query: forecastRange ?? undefined },
    { enabled: !!forecastRange && meter.data?.intervalMinutes !== null },
  );
  // Training a model for this meter is a job: follow it, then show the forecast of the new model.
  const [trainJob, setTrainJob] = useState<string | null>(null);
  const train = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/meters/{meterId}/models', { path: { orgId, meterId } });
    setTrainJob(res.jobId);
  });
  const training = useApiQuery(
    '/api/v1/orgs/{orgId}/jobs/{jobId}',
    { path: { orgId, jobId: trainJob ?? '' } },
    { enabled: !!trainJob },
  );
  const trainingRunning =
    !!trainJob && (!training.data || training.data.status === 'queued' || training.data.status === 'running');
  const reloadForecast = forecast.reload;
  useEffect(() => {
    if (!trainJob || training.loading) return;
    if (!trainingRunning) {
      if (training.data?.status === 'succeeded') reloadForecast();
      return;
    }
    const timer = setTimeout(training.reload, 2000);
    return () => clearTimeout(timer);
  }, [trainJob, trainingRunning, training.loading, training.data, training.reload, reloadForecast]);
  const forecastWindow = useApiQuery(
    '/api/v1/orgs/{orgId}/meters/{meterId}/readings',
    {
      path: { orgId, meterId },
      query: forecastRange
        ? { from: addDays(forecastRange.from, -7), to: forecastRange.from, resolution: 'hour' }
        : undefined,
    },
    { enabled: !!forecastRange && !!forecast.data },
  );

  const m = meter.data;
  const loadOption = useMemo(
    () =>
      readings.data && m
        ? loadChartOption(readings.data, {
            timeZone: tz,
            resolution: range?.resolution ?? 'hour',
            name: m.name,
          })
        : null,
    [readings.data, m, tz, range?.resolution],
  );
  const heatReadings =
    range?.resolution === 'hour' || range?.resolution === 'raw' ? readings.data : undefined;
  const heatOption = useMemo(
    () =>
      heatReadings && heatReadings.points.some((p) => p.value !== null)
        ? heatmapOption(heatReadings, tz)
        : null,
    [heatReadings, tz],
  );
  const forecastOption = useMemo(
    () =>
      forecast.data && forecastWindow.data && m
        ? loadChartOption(forecastWindow.data, {
            timeZone: tz,
            resolution: 'hour',
            name: `${m.name} (measured)`,
            forecast: forecast.data,
          })
        : null,
    [forecast.data, forecastWindow.data, m, tz],
  );
  const hasPoints = !!readings.data?.points.some((p) => p.value !== null);
  const total = readings.data?.points.reduce((s, p) => s + (p.value ?? 0), 0) ?? 0;

  if (meter.loading && !meter.data) return <Loading what="Loading the meter" />;
  if (meter.error) return <ErrorBox error={meter.error} onRetry={meter.reload} />;
  if (!m) return null;
  return (
    <>
      <PageHeader
        title={m.name}
        subtitle={`${kindLabel(m.kind)} · ${m.unit} · ${intervalLabel(m.intervalMinutes)}${m.register === 'cumulative' ? ' · cumulative register' : ''}${site.data ? ` · ${site.data.name}` : ''}`}
      />
      <p>
        <Link to={site.data ? `/orgs/${orgId}/sites/${site.data.id}` : `/orgs/${orgId}/sites`}>
          ← {site.data?.name ?? 'Sites'}
        </Link>
      </p>
      {canWrite(role) ? (
        <Card title="Upload meter data" id="upload">
          <UploadPanel
            meter={m}
            site={site.data}
            onImported={(r) => r.status === 'succeeded' && onImported()}
          />
        </Card>
      ) : null}

      <Card
        title="Load"
        id="load"
        actions={
          extent.data ? (
            <div className="range-controls">
              <label className="visually-hidden" htmlFor="range-preset">
                Period
              </label>
              <select
                id="range-preset"
                value={preset}
                onChange={(e) => {
                  const p = PRESETS.find((x) => x.key === e.target.value)!;
                  setPreset(p.key);
                  setRange(
                    p.key === 'all'
                      ? { from: extent.data!.first, to: extent.data!.last, resolution: 'month' }
                      : {
                          from: addDays(extent.data!.last, -p.days),
                          to: extent.data!.last,
                          resolution: p.resolution,
                        },
                  );
                }}
              >
                {PRESETS.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.label}
                  </option>
                ))}
                {preset === 'custom' ? <option value="custom">Custom</option> : null}
              </select>
              {range ? (
                <>
                  <label className="visually-hidden" htmlFor="range-from">
                    From
                  </label>
                  <input
                    id="range-from"
                    type="date"
                    value={range.from}
                    max={range.to}
                    onChange={(e) =>
                      e.target.value && (setPreset('custom'), setRange({ ...range, from: e.target.value }))
                    }
                  />
                  <label className="visually-hidden" htmlFor="range-to">
                    To (exclusive)
                  </label>
                  <input
                    id="range-to"
                    type="date"
                    value={range.to}
                    min={range.from}
                    onChange={(e) =>
                      e.target.value && (setPreset('custom'), setRange({ ...range, to: e.target.value }))
                    }
                  />
                  <label className="visually-hidden" htmlFor="range-res">
                    Resolution
                  </label>
                  <select
                    id="range-res"
                    value={range.resolution}
                    onChange={(e) => setRange({ ...range, resolution: e.target.value as Resolution })}
                  >
                    <option value="hour">Hourly</option>
                    <option value="day">Daily</option>
                    <option value="month">Monthly</option>
                    <option value="raw">As measured</option>
                  </select>
                </>
              ) : null}
            </div>
          ) : null
        }
      >
        {extent.loading && !extent.data ? <Loading what="Looking for readings" /> : null}
        {isMissingEndpoint(extent.error) ? (
          <Empty title="Readings are not available on this server yet." />
        ) : (
          <ErrorBox error={extent.error} onRetry={extent.reload} />
        )}
        {!extent.loading && !extent.error && extent.data === null ? (
          <Empty title="No readings yet.">
            {canWrite(role)
              ? 'Upload a file above: the chart appears as soon as the import has finished.'
              : 'Someone with write access uploads the data.'}
          </Empty>
        ) : null}
        {readings.loading && !readings.data ? <Loading what="Loading readings" /> : null}
        <ErrorBox error={readings.error} onRetry={readings.reload} />
        {readings.data && !hasPoints ? <Empty title="No readings in this period." /> : null}
        {loadOption && hasPoints ? (
          <>
            <p className="muted small">
              {date(range!.from)} to {date(addDays(range!.to, -1))} ({tz}):{' '}
              {m.unit === 'kWh' ? kwh(total) : `${num(total, 1)} ${m.unit}`} in total.
            </p>
            <Chart
              option={loadOption}
              label={`Load of ${m.name}, ${range!.resolution} values`}
              testId="load-chart"
              height={340}
            />
          </>
        ) : null}
      </Card>

      <div className="grid two">
        <Card title="Load profile (hour × day)" id="heatmap">
          {heatOption ? (
            <Chart
              option={heatOption}
              label={`Heat-map of ${m.name}: hours of the day against days`}
              testId="heatmap-chart"
              height={360}
            />
          ) : readings.data && hasPoints ? (
            <Empty title="Choose hourly resolution to see the profile." />
          ) : (
            <Empty title="The profile appears once there are hourly readings." />
          )}
        </Card>
        <QualityCard
          quality={quality.data}
          error={quality.error}
          loading={quality.loading}
          reload={quality.reload}
          tz={tz}
        />
      </div>

      <Card title="Forecast" id="forecast">
        {m.intervalMinutes === null ? (
          <Empty title="Forecasts are made for interval meters, not bill-period meters." />
        ) : null}
        {forecast.loading && !forecast.data ? <Loading what="Loading the forecast" /> : null}
        {forecast.error ? <ForecastError error={forecast.error} /> : null}
        {forecast.data && !forecast.data.points.length ? (
          <Empty title="The forecast is empty for this period." />
        ) : null}
        {forecast.data && forecastOption && forecast.data.points.length ? (
          <>
            <p className="muted small">
              Method:{' '}
              <Badge tone={forecast.data.method === 'model' ? 'good' : 'info'}>
                {forecast.data.method === 'model'
                  ? `this meter's model${forecast.data.modelVersion ? ` v${forecast.data.modelVersion}` : ''}`
                  : forecast.data.method === 'generic'
                    ? 'generic model'
                    : 'baseline'}
              </Badge>{' '}
              · the shaded band holds 80 % of likely outcomes (P10–P90).
              {forecast.data.reason ? (
                <>
                  <br />
                  <span data-testid="forecast-reason">{sentence(forecast.data.reason)}</span>
                </>
              ) : null}
            </p>
            <Chart
              option={forecastOption}
              label={`Forecast of ${m.name} with its P10 to P90 band`}
              testId="forecast-chart"
              height={320}
            />
          </>
        ) : null}
        {!extent.loading && extent.data === null && !forecast.data ? (
          <Empty title="A forecast needs readings first." />
        ) : null}
        {canWrite(role) && forecast.data && forecast.data.method !== 'model' ? (
          <div className="button-row">
            <BusyButton
              className="btn secondary"
              busy={train.pending}
              disabled={trainingRunning}
              onClick={() => void train.run()}
            >
              Train a model for this meter
            </BusyButton>
            <span className="muted small">
              Learns this meter’s own pattern (needs 4 weeks of readings); it replaces the baseline when it
              scores better.
            </span>
          </div>
        ) : null}
        {trainJob && trainingRunning ? (
          <p className="notice" role="status">
            Training the model… {training.data?.progress ? `${Math.round(training.data.progress)} %` : ''}
          </p>
        ) : null}
        {trainJob && training.data?.status === 'succeeded' ? (
          <p className="notice" role="status">
            The model was trained; the forecast above uses the best of the model and the baselines.
          </p>
        ) : null}
        {trainJob && training.data?.status === 'failed' ? (
          <div className="state error" role="alert">
            <p className="error-title">The model could not be trained</p>
            <p>{training.data.error ?? 'Try again later.'}</p>
          </div>
        ) : null}
        <ErrorBox error={train.error} title="Training did not start" />
      </Card>
    </>
  );
}
