import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, upload } from '../api/client';
import { ApiError } from '../api/errors';
import type { Forecast, ImportReport, Meter, Quality, Readings, Site } from '../api/models';
import { Chart } from '../components/Chart';
import { ImportReportView } from '../components/ImportReport';
import { PageHeader, canWrite, useOrg } from '../components/Layout';
import {
  Badge,
  Card,
  Empty,
  ErrorBox,
  Field,
  Loading,
  ProgressBar,
  Select,
  Stat,
  isMissingEndpoint,
} from '../components/ui';
import { heatmapOption, loadChartOption } from '../lib/charts';
import { addDays, date, dateTime, humanize, isoDay, kwh, num, pct } from '../lib/format';
import { useAction, useAsync } from '../lib/use-async';
import { intervalLabel, kindLabel } from './SitesPages';

type Resolution = 'raw' | 'hour' | 'day' | 'month';
interface Range {
  from: string;
  to: string;
  resolution: Resolution;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

/** Polls an import until it has finished, reporting each state. */
async function pollImport(
  orgId: string,
  importId: string,
  onReport: (r: ImportReport) => void,
  signal: AbortSignal,
): Promise<ImportReport> {
  let delay = 400;
  for (;;) {
    const report = await api.get('/api/v1/orgs/{orgId}/imports/{importId}', {
      path: { orgId, importId },
      signal,
    });
    onReport(report);
    if (report.status === 'succeeded' || report.status === 'failed') return report;
    await sleep(delay, signal);
    delay = Math.min(delay * 1.5, 3000);
  }
}

const FORMATS = [
  { value: '', label: 'Detect from the file' },
  { value: 'csv', label: 'CSV (one timestamp and one value column)' },
  { value: 'wide_csv', label: 'Wide CSV (one column per meter)' },
  { value: 'xlsx', label: 'Excel (XLSX)' },
  { value: 'green_button', label: 'Green Button (ESPI XML)' },
];

function UploadPanel({
  meter,
  site,
  onImported,
}: {
  meter: Meter;
  site?: Site;
  onImported: (r: ImportReport) => void;
}) {
  const { orgId } = useOrg();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [opts, setOpts] = useState({
    format: '',
    timestampColumn: '',
    valueColumn: '',
    timezone: '',
    unit: '',
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [uploadedName, setUploadedName] = useState<string>('');
  const abortRef = useRef<AbortController | null>(null);
  useEffect(() => () => abortRef.current?.abort(), []);

  const send = useAction(async () => {
    if (!file) throw new Error('Choose a file first.');
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    const form = new FormData();
    for (const [k, v] of Object.entries(opts)) if (v.trim()) form.append(k, v.trim());
    form.append('file', file, file.name);
    setReport(null);
    setUploadedName(file.name);
    setProgress(0);
    try {
      const accepted = await upload(
        '/api/v1/orgs/{orgId}/meters/{meterId}/imports',
        { orgId, meterId: meter.id },
        form,
        setProgress,
        controller.signal,
      );
      setProgress(1);
      const final = await pollImport(orgId, accepted.importId, setReport, controller.signal);
      onImported(final);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
    } finally {
      setProgress(null);
    }
  });
  const uploading = progress !== null && progress < 1;
  return (
    <div>
      <form
        className="upload-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <div className="field">
          <label htmlFor="meter-file">Meter data file</label>
          <input
            ref={inputRef}
            id="meter-file"
            name="file"
            type="file"
            accept=".csv,.txt,.tsv,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/xml,text/xml"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-describedby="meter-file-hint"
          />
          <div className="hint" id="meter-file-hint">
            CSV with a timestamp and a value column ({meter.unit}), Excel or Green Button XML. Local times are
            read in the site's zone ({site?.timezone ?? '…'}). Uploading the same file twice changes nothing.
          </div>
        </div>
        <details className="upload-options">
          <summary>Options (only if the file is not read correctly)</summary>
          <div className="row">
            <Select
              label="Format"
              value={opts.format}
              options={FORMATS}
              onChange={(e) => setOpts({ ...opts, format: e.target.value })}
            />
            <Field
              label="Unit in the file"
              value={opts.unit}
              onChange={(e) => setOpts({ ...opts, unit: e.target.value })}
              hint={`e.g. Wh, MWh, m3, therm; default ${meter.unit}`}
            />
          </div>
          <div className="row">
            <Field
              label="Timestamp column"
              value={opts.timestampColumn}
              onChange={(e) => setOpts({ ...opts, timestampColumn: e.target.value })}
              hint="Header name; detected if empty"
            />
            <Field
              label="Value column"
              value={opts.valueColumn}
              onChange={(e) => setOpts({ ...opts, valueColumn: e.target.value })}
              hint="Header name, or this meter's column in a wide CSV"
            />
            <Field
              label="Time zone of the file"
              value={opts.timezone}
              onChange={(e) => setOpts({ ...opts, timezone: e.target.value })}
              hint="When it differs from the site's"
            />
          </div>
        </details>
        <button type="submit" className="btn primary" disabled={!file || send.pending}>
          {uploading ? 'Uploading…' : send.pending ? 'Importing…' : 'Upload and import'}
        </button>
      </form>
      {progress !== null ? (
        <div className="upload-progress">
          <span className="small">{uploading ? `Uploading ${uploadedName}` : 'Uploaded; importing'}</span>
          <ProgressBar value={progress} label={`Upload of ${uploadedName}`} />
        </div>
      ) : null}
      <ErrorBox
        error={send.error}
        title={
          send.error instanceof ApiError && send.error.status === 413
            ? 'The file is too large'
            : 'The file was not imported'
        }
      />
      {report ? <ImportReportView report={report} fileName={uploadedName} /> : null}
    </div>
  );
}

/** Finds where the meter's data is: month totals over a wide window, then the last month's days. */
async function findExtent(
  orgId: string,
  meterId: string,
  signal: AbortSignal,
): Promise<{ months: Readings; first: string; last: string } | null> {
  const to = `${new Date().getUTCFullYear() + 2}-01-01`;
  const months = await api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
    path: { orgId, meterId },
    query: { from: '2000-01-01', to, resolution: 'month' },
    signal,
  });
  const withData = months.points.filter((p) => p.value !== null);
  if (!withData.length) return null;
  const lastMonth = withData[withData.length - 1].ts;
  const monthStart = isoDay(new Date(Date.parse(lastMonth) + 86400_000 * 2)).slice(0, 8) + '01';
  const days = await api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
    path: { orgId, meterId },
    query: { from: addDays(monthStart, -1), to: addDays(monthStart, 33), resolution: 'day' },
    signal,
  });
  const dayPoints = days.points.filter((p) => p.value !== null);
  const lastDay = dayPoints.length
    ? isoDay(new Date(Date.parse(dayPoints[dayPoints.length - 1].ts) + 12 * 3600_000))
    : addDays(monthStart, 27);
  const firstDay = isoDay(new Date(Date.parse(withData[0].ts) + 2 * 86400_000)).slice(0, 8) + '01';
  return { months, first: firstDay, last: addDays(lastDay, 1) };
}

const PRESETS = [
  { key: '7d', label: 'Last week of data', days: 7, resolution: 'hour' as Resolution },
  { key: '28d', label: 'Last 4 weeks', days: 28, resolution: 'hour' as Resolution },
  { key: '1y', label: 'Last year', days: 365, resolution: 'day' as Resolution },
  { key: 'all', label: 'Everything, by month', days: 0, resolution: 'month' as Resolution },
];

export function MeterPage() {
  const { orgId, role } = useOrg();
  const { meterId = '' } = useParams();
  const meter = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/meters/{meterId}', { path: { orgId, meterId }, signal }),
    [orgId, meterId],
  );
  const siteId = meter.data?.siteId;
  const site = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/sites/{siteId}', { path: { orgId, siteId: siteId! }, signal }),
    [orgId, siteId],
    !!siteId,
  );
  const [version, setVersion] = useState(0);
  const extent = useAsync(
    (signal) => findExtent(orgId, meterId, signal),
    [orgId, meterId, version],
    !!meter.data,
  );
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

  const readings = useAsync(
    (signal) =>
      api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
        path: { orgId, meterId },
        query: { from: range!.from, to: range!.to, resolution: range!.resolution },
        signal,
      }),
    [orgId, meterId, range?.from, range?.to, range?.resolution, version],
    !!range,
  );
  const quality = useAsync(
    (signal) =>
      api.get('/api/v1/orgs/{orgId}/meters/{meterId}/quality', {
        path: { orgId, meterId },
        query: { from: range!.from, to: range!.to },
        signal,
      }),
    [orgId, meterId, range?.from, range?.to, version],
    !!range,
  );
  // The forecast for the week after the data ends, over the last days of data.
  const forecastRange = extent.data ? { from: extent.data.last, to: addDays(extent.data.last, 7) } : null;
  const forecast = useAsync(
    (signal) =>
      api.get('/api/v1/orgs/{orgId}/meters/{meterId}/forecast', {
        path: { orgId, meterId },
        query: forecastRange!,
        signal,
      }),
    [orgId, meterId, forecastRange?.from, version],
    !!forecastRange && meter.data?.intervalMinutes !== null,
  );
  // Training a model for this meter is a job: follow it, then show the forecast of the new model.
  const [trainJob, setTrainJob] = useState<string | null>(null);
  const train = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/meters/{meterId}/models', { path: { orgId, meterId } });
    setTrainJob(res.jobId);
  });
  const training = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/jobs/{jobId}', { path: { orgId, jobId: trainJob! }, signal }),
    [orgId, trainJob],
    !!trainJob,
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
  const forecastWindow = useAsync(
    (signal) =>
      api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
        path: { orgId, meterId },
        query: { from: addDays(forecastRange!.from, -7), to: forecastRange!.from, resolution: 'hour' },
        signal,
      }),
    [orgId, meterId, forecastRange?.from, version],
    !!forecastRange && !!forecast.data,
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
            onImported={(r) => r.status === 'succeeded' && setVersion((v) => v + 1)}
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
            <button
              type="button"
              className="btn secondary"
              disabled={train.pending || trainingRunning}
              onClick={() => void train.run()}
            >
              Train a model for this meter
            </button>
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

/** The API's reason as a sentence: capitalised, without the hint meant for API users. */
function sentence(reason: string): string {
  const r = reason.replace(/ \(train one with POST …\/models\)/, '').trim();
  return `${r.charAt(0).toUpperCase()}${r.slice(1)}${/[.!?]$/.test(r) ? '' : '.'}`;
}

function ForecastError({ error }: { error: unknown }) {
  if (isMissingEndpoint(error)) return <Empty title="Forecasts are not available on this server yet." />;
  if (error instanceof ApiError && (error.status === 404 || error.status === 409 || error.status === 422)) {
    return (
      <Empty title="No forecast yet.">
        {error.problem.detail ?? 'A forecast needs enough readings; upload more data.'}
      </Empty>
    );
  }
  return <ErrorBox error={error} />;
}

function QualityCard({
  quality,
  error,
  loading,
  reload,
  tz,
}: {
  quality?: Quality;
  error: unknown;
  loading: boolean;
  reload: () => void;
  tz: string;
}) {
  const gaps = quality?.gaps ?? [];
  const coverage =
    typeof quality?.coverage === 'number'
      ? quality.coverage > 1
        ? quality.coverage / 100
        : quality.coverage
      : undefined;
  return (
    <Card title="Data quality" id="quality">
      {loading && !quality ? <Loading what="Checking the data" /> : null}
      {isMissingEndpoint(error) ? (
        <Empty title="Data-quality checks are not available on this server yet." />
      ) : (
        <ErrorBox error={error} onRetry={reload} />
      )}
      {quality ? (
        <>
          <div className="stats">
            <Stat
              label="Coverage"
              value={pct(coverage, 1)}
              tone={
                coverage === undefined
                  ? undefined
                  : coverage >= 0.98
                    ? 'good'
                    : coverage >= 0.9
                      ? 'warn'
                      : 'bad'
              }
              hint="of expected readings present"
            />
            <Stat label="Gaps" value={num(quality.gapCount ?? gaps.length)} />
            <Stat
              label="Flat lines"
              value={num(Array.isArray(quality.flatLines) ? quality.flatLines.length : undefined)}
            />
            <Stat
              label="Spikes"
              value={num(Array.isArray(quality.spikes) ? quality.spikes.length : undefined)}
            />
            <Stat
              label="Negative values"
              value={num(
                Array.isArray(quality.negatives) ? quality.negatives.length : quality.negatives?.count,
              )}
            />
          </div>
          {gaps.length ? (
            <details>
              <summary>
                {gaps.length === 1
                  ? 'The gap'
                  : `The ${Math.min(gaps.length, 50)} ${gaps.length > 50 ? 'first ' : ''}gaps`}
              </summary>
              <ul className="gap-list">
                {gaps.slice(0, 50).map((g, i) => (
                  <li key={i}>
                    {dateTime(g.start ?? g.from, tz)} → {dateTime(g.end ?? g.to, tz)}
                  </li>
                ))}
              </ul>
            </details>
          ) : (
            <p className="muted small">No gaps in this period.</p>
          )}
          {Object.entries(quality)
            .filter(
              ([k, v]) =>
                typeof v === 'number' &&
                !['coverage', 'expected', 'present', 'gapCount', 'intervalMinutes'].includes(k),
            )
            .slice(0, 6)
            .map(([k, v]) => (
              <p key={k} className="muted small">
                {humanize(k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())}: {num(v as number, 2)}
              </p>
            ))}
          {quality.qualityCounts ? (
            <p className="muted small">
              {typeof quality.present === 'number' && typeof quality.expected === 'number'
                ? `${num(quality.present)} of ${num(quality.expected)} expected readings present. `
                : ''}
              Measured {num(quality.qualityCounts.measured)}, estimated {num(quality.qualityCounts.estimated)}
              , filled {num(quality.qualityCounts.filled)}.
            </p>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
