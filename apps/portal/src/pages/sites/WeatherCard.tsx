// The site's weather: what is imported (rows, first and last hour, which values), what its timestamps mean
// (the site's weatherTimestamps) and an upload of a weather CSV. PV and wind forecasts need irradiance (or cloud
// cover) and wind speed; load forecasts, M&V and the savings analysis use temperature.
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { api, upload } from '../../api/client';
import type { Meter, Site } from '../../api/types';
import { FileImportStatus, importButtonLabel, useFileImport } from '../../components/FileImport';
import { canWrite, useOrg } from '../../components/Layout';
import { ActionForm, BusyButton, Field, Select, SubmitButton, fieldErr } from '../../components/form';
import { Empty, ErrorBox, Loading } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { addDays, dateTime, num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { weatherChartOption } from './weather-chart';

type WeatherTimestamps = Site['weatherTimestamps'];
/** Draws a chart option (the page's Chart; tests pass a stand-in). */
type DrawChart = (option: EChartsCoreOption) => ReactNode;

/** Every meaning the API accepts; one added there fails the typecheck here until it is explained. */
const MEANINGS: Record<WeatherTimestamps, string> = {
  start: 'Start of the period (the value is the mean of the hour or half hour that begins there)',
  end: 'End of the period (hour-ending, as Open-Meteo and TMY3 irradiance)',
  instant: 'An instant (a sample at that moment, as NSRDB PSM3)',
};
const MEANING_OPTIONS = Object.entries(MEANINGS).map(([value, label]) => ({ value, label }));

const COLUMNS = [
  ['temperatureC', 'Temperature'],
  ['ghiWM2', 'Irradiance (GHI)'],
  ['cloudCoverPct', 'Cloud cover'],
  ['windSpeedMS', 'Wind speed'],
] as const;

/** The last 7 days of the site's weather, read as `reading` says, with a generation meter's output over them. */
function RecentWeather({
  siteId,
  last,
  reading,
  generation,
  chart,
}: {
  siteId: string;
  last: string;
  reading: WeatherTimestamps;
  generation?: Meter;
  chart: DrawChart;
}) {
  const { orgId } = useOrg();
  const to = new Date(Date.parse(last) + 1000).toISOString();
  const from = new Date(Date.parse(last) - 7 * 86_400_000).toISOString();
  const weather = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}/weather', {
    path: { orgId, siteId },
    query: { from, to },
  });
  const output = useApiQuery(
    '/api/v1/orgs/{orgId}/meters/{meterId}/readings',
    { path: { orgId, meterId: generation?.id ?? '' }, query: { from, to, resolution: 'raw' } },
    { enabled: !!generation },
  );
  const option = useMemo(
    () =>
      weather.data && (!generation || output.data || output.error)
        ? weatherChartOption(
            weather.data.points,
            reading,
            generation && output.data
              ? {
                  name: generation.name,
                  intervalMinutes: generation.intervalMinutes ?? 60,
                  points: output.data.points,
                }
              : undefined,
          )
        : null,
    [weather.data, reading, generation, output.data, output.error],
  );
  if (weather.error) return <ErrorBox error={weather.error} onRetry={weather.reload} />;
  if (!option) return <Loading what="Loading the last week of weather" />;
  return (
    <>
      {chart(option)}
      <p className="muted">
        Each value is drawn at the middle of the period it stands for, as the setting below reads the rows
        {generation ? (
          output.data?.points.length ? (
            <>
              , beside {generation.name}’s output:{' '}
              {generation.kind === 'wind_generation' ? 'wind speed' : 'irradiance'} should rise and fall with
              it. An hour or half an hour apart means the timestamps’ meaning (or the file’s time zone) is
              wrong.
            </>
          ) : output.error ? (
            <>; {generation.name}’s readings could not be loaded to compare them with.</>
          ) : (
            <>; {generation.name} has no readings in these days to compare them with.</>
          )
        ) : (
          '.'
        )}
      </p>
    </>
  );
}

function WeatherCoverage({ site, generation, chart }: { site: Site; generation?: Meter; chart: DrawChart }) {
  const siteId = site.id;
  const timeZone = site.timezone;
  const { orgId } = useOrg();
  const coverage = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}/weather/coverage', {
    path: { orgId, siteId },
  });
  const c = coverage.data;
  if (coverage.loading && !c) return <Loading what="Loading the site’s weather" />;
  if (!c) return <ErrorBox error={coverage.error} onRetry={coverage.reload} />;
  if (c.rows === 0)
    return (
      <Empty title="No weather imported yet.">
        Solar forecasts need irradiance or cloud cover and wind forecasts wind speed for every hour they
        forecast; load forecasts, M&amp;V and the savings analysis use temperature when there is some.
      </Empty>
    );
  return (
    <div data-testid="weather-coverage">
      <p>
        {num(c.rows)} rows from {dateTime(c.first, timeZone)} to {dateTime(c.last, timeZone)} (timestamps as
        imported)
      </p>
      <dl className="kv">
        {COLUMNS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{c.withValue[key] ? `${num(c.withValue[key])} rows` : 'none'}</dd>
          </div>
        ))}
      </dl>
      {c.last ? (
        <RecentWeather
          siteId={siteId}
          last={c.last}
          reading={site.weatherTimestamps}
          generation={generation}
          chart={chart}
        />
      ) : null}
    </div>
  );
}

function WeatherTimestampsForm({ site, onSaved }: { site: Site; onSaved: () => void }) {
  const { orgId, role } = useOrg();
  const [meaning, setMeaning] = useState<WeatherTimestamps>(site.weatherTimestamps);
  const [saved, setSaved] = useState(false);
  useEffect(() => setMeaning(site.weatherTimestamps), [site.weatherTimestamps]);
  const save = useAction(async () => {
    setSaved(false);
    await api.put('/api/v1/orgs/{orgId}/sites/{siteId}', {
      path: { orgId, siteId: site.id },
      body: { weatherTimestamps: meaning },
    });
    setSaved(true);
    onSaved();
  });
  const select = (
    <Select
      label="The files’ timestamps mark"
      value={meaning}
      options={MEANING_OPTIONS}
      disabled={!canWrite(role)}
      onChange={(e) => {
        setSaved(false);
        setMeaning(e.target.value as WeatherTimestamps);
      }}
      error={fieldErr(save.error, 'weatherTimestamps')}
      hint="Forecasts, M&V and the analysis read every row so; changing it re-reads the rows already imported."
    />
  );
  if (!canWrite(role)) return select;
  return (
    <ActionForm
      action={save}
      label="Weather timestamps"
      errorTitle="The setting was not saved"
      busyLabel="Saving…"
      submit="Save"
      disabled={meaning === site.weatherTimestamps}
      afterError={
        saved ? (
          <p className="notice" role="status">
            Saved.
          </p>
        ) : null
      }
    >
      {select}
    </ActionForm>
  );
}

function WeatherUpload({ site, onImported }: { site: Site; onImported: () => void }) {
  const { orgId } = useOrg();
  const [timezone, setTimezone] = useState('');
  const send = useFileImport(
    (form, onProgress, signal) =>
      upload(
        '/api/v1/orgs/{orgId}/sites/{siteId}/weather',
        { orgId, siteId: site.id },
        form,
        onProgress,
        signal,
      ),
    () => onImported(),
  );
  return (
    <div>
      <form
        className="upload-form"
        aria-label="Weather upload"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run({ timezone });
        }}
      >
        <Field
          label="Weather file"
          {...send.fileInput}
          id="weather-file"
          accept=".csv,.txt,text/csv"
          hint={
            <>
              CSV with a timestamp column (or NSRDB’s Year, Month, Day, Hour and Minute) and any of
              temperature (°C), GHI (W/m²), cloud cover (%) and wind speed (m/s), one row per hour or half
              hour. A second file fills in the values the first lacked.
            </>
          }
        />
        <Field
          label="Time zone of the file"
          value={timezone}
          onChange={(e) => setTimezone(e.target.value)}
          hint={`When its local times are not in the site’s zone (${site.timezone}), e.g. Etc/GMT+7 for NSRDB’s standard time; UTC offsets in the file are read as such`}
        />
        <SubmitButton busy={send.pending} disabled={!send.file}>
          {importButtonLabel(send, 'Upload weather')}
        </SubmitButton>
      </form>
      <FileImportStatus state={send} timeZone={site.timezone} what="weather rows" />
    </div>
  );
}

/** Deletes the site's weather between two local dates (both included; empty = open-ended), after a confirmation. */
function WeatherDelete({ site, onDeleted }: { site: Site; onDeleted: () => void }) {
  const { orgId } = useOrg();
  const [range, setRange] = useState({ first: '', last: '' });
  const [confirming, setConfirming] = useState(false);
  const [deleted, setDeleted] = useState<number | null>(null);
  const remove = useAction(async () => {
    const res = await api.delete('/api/v1/orgs/{orgId}/sites/{siteId}/weather', {
      path: { orgId, siteId: site.id },
      query: {
        ...(range.first ? { from: range.first } : {}),
        ...(range.last ? { to: addDays(range.last, 1) } : {}),
      },
    });
    setConfirming(false);
    setDeleted(res.deleted);
    onDeleted();
  });
  const which =
    range.first || range.last
      ? `from ${range.first || 'the first row'} to ${range.last || 'the last row'}`
      : 'all of it';
  const set = (k: 'first' | 'last') => (e: { target: { value: string } }) => {
    setConfirming(false);
    setDeleted(null);
    setRange({ ...range, [k]: e.target.value });
  };
  return (
    <details className="upload-options">
      <summary>Delete weather (a wrong file, a wrong site)</summary>
      <div className="row">
        <Field
          label="First day"
          type="date"
          value={range.first}
          onChange={set('first')}
          hint="Empty: from the first row"
        />
        <Field
          label="Last day"
          type="date"
          value={range.last}
          onChange={set('last')}
          hint="Empty: to the last row"
        />
      </div>
      <ErrorBox error={remove.error} title="The weather was not deleted" />
      {deleted !== null ? (
        <p className="notice" role="status">
          Deleted {num(deleted)} rows.
        </p>
      ) : null}
      {confirming ? (
        <p role="alert">
          This deletes the site’s weather {which} (dates in {site.timezone}) for good; importing the file
          again brings it back.{' '}
          <BusyButton className="btn danger" busy={remove.pending} onClick={() => void remove.run()}>
            Yes, delete it
          </BusyButton>{' '}
          <button type="button" className="btn secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </p>
      ) : (
        <button type="button" className="btn secondary" onClick={() => setConfirming(true)}>
          Delete weather
        </button>
      )}
    </details>
  );
}

/** The site page's weather card: coverage, the timestamps' meaning, and (for writers) an upload. */
export function WeatherCard({
  site,
  generation,
  onSiteChanged,
  chart,
}: {
  site: Site;
  /** A generation meter of the site, whose output the chart draws beside the weather. */
  generation?: Meter;
  onSiteChanged: () => void;
  /** Draws the last week of weather. */
  chart: DrawChart;
}) {
  const { orgId, role } = useOrg();
  const invalidate = useInvalidate();
  const refresh = () => {
    invalidate('/api/v1/orgs/{orgId}/sites/{siteId}/weather/coverage', { orgId, siteId: site.id });
    invalidate('/api/v1/orgs/{orgId}/sites/{siteId}/forecast', { orgId, siteId: site.id });
  };
  return (
    <>
      <WeatherCoverage site={site} generation={generation} chart={chart} />
      <WeatherTimestampsForm
        site={site}
        onSaved={() => {
          onSiteChanged();
          refresh();
        }}
      />
      {canWrite(role) ? (
        <>
          <WeatherUpload site={site} onImported={refresh} />
          <WeatherDelete site={site} onDeleted={refresh} />
        </>
      ) : null}
    </>
  );
}
