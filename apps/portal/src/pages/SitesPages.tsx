import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { Meter, MeterKind, Site } from '../api/models';
import type { components } from '../api/schema';

type SiteBody = components['schemas']['CreateSiteDto'];
type MeterBody = components['schemas']['CreateMeterDto'];
import { PageHeader, canDecide, canWrite, useOrg } from '../components/Layout';
import {
  Badge,
  Card,
  Empty,
  ErrorBox,
  Field,
  Loading,
  Select,
  TableWrap,
  fieldErr,
  isMissingEndpoint,
} from '../components/ui';
import { humanize, num } from '../lib/format';
import { useAction, useAsync } from '../lib/use-async';
import { COUNTRY_OPTIONS, ZONES_BY_COUNTRY } from './AuthPages';

export const METER_KINDS: { value: MeterKind; label: string; units: string[] }[] = [
  { value: 'electricity_import', label: 'Electricity (bought from the grid)', units: ['kWh'] },
  { value: 'electricity_export', label: 'Electricity exported to the grid', units: ['kWh'] },
  { value: 'pv_generation', label: 'Solar PV generation', units: ['kWh'] },
  { value: 'wind_generation', label: 'Wind generation', units: ['kWh'] },
  { value: 'natural_gas', label: 'Natural gas', units: ['kWh', 'm3', 'therm', 'ft3'] },
  { value: 'fuel_oil', label: 'Heating oil / diesel', units: ['L', 'kWh', 'gal'] },
  { value: 'district_heat', label: 'District heat', units: ['kWh'] },
  { value: 'water', label: 'Water', units: ['m3', 'L'] },
];
export const kindLabel = (kind: string) => METER_KINDS.find((k) => k.value === kind)?.label ?? humanize(kind);

const INTERVALS = [
  { value: '15', label: '15 minutes' },
  { value: '30', label: '30 minutes' },
  { value: '60', label: 'Hourly' },
  { value: '5', label: '5 minutes' },
  { value: '1440', label: 'Daily' },
  { value: 'bill', label: 'Monthly / bill periods' },
];
export const intervalLabel = (m: number | null) =>
  m === null ? 'Bill periods' : m === 1440 ? 'Daily' : m === 60 ? 'Hourly' : `${m} min`;

function NotYet({ what }: { what: string }) {
  return (
    <Empty title={`${what} are not available on this server yet.`}>
      The metering service has not been switched on in this version of Halve. This page fills in as soon as it
      is.
    </Empty>
  );
}

function num0(v: string): number | undefined {
  const t = v.trim().replace(',', '.');
  return t === '' ? undefined : Number(t);
}

function SiteForm({ onCreated }: { onCreated: (site: Site) => void }) {
  const { orgId, org, currency } = useOrg();
  const [f, setF] = useState({
    name: '',
    country: org.country ?? 'GB',
    timezone: org.timezone ?? ZONES_BY_COUNTRY.GB,
    address: '',
    latitude: '',
    longitude: '',
    gridRegion: '',
    floorAreaM2: '',
    pricePerKwh: '',
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const create = useAction(async () => {
    const body: SiteBody = { name: f.name.trim(), country: f.country, timezone: f.timezone.trim() };
    if (f.address.trim()) body.address = f.address.trim();
    if (num0(f.latitude) !== undefined) body.latitude = num0(f.latitude);
    if (num0(f.longitude) !== undefined) body.longitude = num0(f.longitude);
    if (f.gridRegion.trim()) body.gridRegion = f.gridRegion.trim();
    if (num0(f.floorAreaM2) !== undefined) body.floorAreaM2 = num0(f.floorAreaM2);
    if (num0(f.pricePerKwh) !== undefined)
      body.tariff = { type: 'flat', currency, pricePerKwh: num0(f.pricePerKwh) };
    const site = await api.post('/api/v1/orgs/{orgId}/sites', { path: { orgId }, body });
    onCreated(site);
  });
  const err = (k: string) => fieldErr(create.error, k);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
      noValidate
      aria-label="New site"
    >
      <Field
        label="Site name"
        required
        value={f.name}
        onChange={set('name')}
        error={err('name')}
        placeholder="e.g. Main bakery"
      />
      <div className="row">
        <Select
          label="Country"
          value={f.country}
          options={COUNTRY_OPTIONS}
          onChange={(e) =>
            setF({ ...f, country: e.target.value, timezone: ZONES_BY_COUNTRY[e.target.value] ?? f.timezone })
          }
          error={err('country')}
        />
        <Field
          label="Time zone"
          required
          value={f.timezone}
          onChange={set('timezone')}
          error={err('timezone')}
          hint="Meter files in local time are read in this zone."
        />
      </div>
      <Field label="Address" value={f.address} onChange={set('address')} error={err('address')} />
      <div className="row">
        <Field
          label="Latitude"
          inputMode="decimal"
          value={f.latitude}
          onChange={set('latitude')}
          error={err('latitude')}
          hint="For solar forecasts, e.g. 51.5"
        />
        <Field
          label="Longitude"
          inputMode="decimal"
          value={f.longitude}
          onChange={set('longitude')}
          error={err('longitude')}
          hint="e.g. -0.12"
        />
      </div>
      <div className="row">
        <Field
          label="Grid region"
          value={f.gridRegion}
          onChange={set('gridRegion')}
          error={err('gridRegion')}
          hint="Leave empty for the country's grid; eGRID subregion in the US (e.g. CAMX)"
        />
        <Field
          label="Floor area (m²)"
          inputMode="decimal"
          value={f.floorAreaM2}
          onChange={set('floorAreaM2')}
          error={err('floorAreaM2')}
        />
      </div>
      <Field
        label={`Electricity price (${currency} per kWh)`}
        inputMode="decimal"
        value={f.pricePerKwh}
        onChange={set('pricePerKwh')}
        error={err('tariff') ?? err('tariff.pricePerKwh')}
        hint="Optional flat tariff; used to put money on savings."
      />
      <ErrorBox error={create.error} title="The site was not created" />
      <button type="submit" className="btn primary" disabled={create.pending}>
        {create.pending ? 'Creating…' : 'Create site'}
      </button>
    </form>
  );
}

export function SitesPage() {
  const { orgId, role } = useOrg();
  const navigate = useNavigate();
  const sites = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/sites', { path: { orgId }, signal }),
    [orgId],
  );
  const meters = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/meters', { path: { orgId }, signal }),
    [orgId],
  );
  const [adding, setAdding] = useState(false);
  const missing = isMissingEndpoint(sites.error);
  const metersBySite = new Map<string, Meter[]>();
  for (const m of meters.data ?? []) metersBySite.set(m.siteId, [...(metersBySite.get(m.siteId) ?? []), m]);

  return (
    <>
      <PageHeader
        title="Sites & meters"
        subtitle="Each building or location, and the meters whose data you upload."
        actions={
          canWrite(role) && !missing ? (
            <button
              type="button"
              className="btn primary"
              onClick={() => setAdding((v) => !v)}
              aria-expanded={adding}
            >
              {adding ? 'Close' : 'Add a site'}
            </button>
          ) : null
        }
      />
      {adding ? (
        <Card title="New site" id="new-site">
          <SiteForm onCreated={(site) => navigate(`/orgs/${orgId}/sites/${site.id}`)} />
        </Card>
      ) : null}
      {sites.loading && !sites.data ? <Loading what="Loading sites" /> : null}
      {missing ? <NotYet what="Sites and meters" /> : <ErrorBox error={sites.error} onRetry={sites.reload} />}
      {sites.data && !sites.data.length ? (
        <Empty title="No sites yet.">
          {canWrite(role)
            ? 'Add your first site, then a meter, then upload its data (CSV, XLSX or Green Button XML).'
            : 'An owner or member adds sites here.'}
        </Empty>
      ) : null}
      <div className="grid cards">
        {sites.data?.map((s) => (
          <Card
            key={s.id}
            title={<Link to={`/orgs/${orgId}/sites/${s.id}`}>{s.name}</Link>}
            actions={<span className="muted small">{s.timezone}</span>}
          >
            <p className="muted small">
              {[
                s.address,
                s.country,
                s.gridRegion ? `grid ${s.gridRegion}` : null,
                s.floorAreaM2 ? `${num(s.floorAreaM2)} m²` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </p>
            {(metersBySite.get(s.id) ?? []).length ? (
              <ul className="meter-list">
                {(metersBySite.get(s.id) ?? []).map((m) => (
                  <li key={m.id}>
                    <Link to={`/orgs/${orgId}/meters/${m.id}`}>{m.name}</Link>{' '}
                    <span className="muted small">
                      {kindLabel(m.kind)} · {m.unit} · {intervalLabel(m.intervalMinutes)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No meters yet.</p>
            )}
            <Link className="btn secondary small" to={`/orgs/${orgId}/sites/${s.id}`}>
              Open site
            </Link>
          </Card>
        ))}
      </div>
    </>
  );
}

function MeterForm({ siteId, onCreated }: { siteId: string; onCreated: (m: Meter) => void }) {
  const { orgId } = useOrg();
  const [f, setF] = useState({
    name: '',
    kind: 'electricity_import' as MeterKind,
    unit: 'kWh',
    interval: '60',
    register: 'interval' as 'interval' | 'cumulative',
    capacityKw: '',
    tiltDeg: '',
    azimuthDeg: '',
  });
  const kind = METER_KINDS.find((k) => k.value === f.kind)!;
  const generation = f.kind === 'pv_generation' || f.kind === 'wind_generation';
  const create = useAction(async () => {
    const body: MeterBody = {
      siteId,
      name: f.name.trim(),
      kind: f.kind,
      unit: f.unit,
      intervalMinutes: f.interval === 'bill' ? null : (Number(f.interval) as 5 | 15 | 30 | 60 | 1440),
      register: f.register,
    };
    if (generation && num0(f.capacityKw) !== undefined) body.capacityKw = num0(f.capacityKw);
    if (f.kind === 'pv_generation') {
      if (num0(f.tiltDeg) !== undefined) body.tiltDeg = num0(f.tiltDeg);
      if (num0(f.azimuthDeg) !== undefined) body.azimuthDeg = num0(f.azimuthDeg);
    }
    onCreated(await api.post('/api/v1/orgs/{orgId}/meters', { path: { orgId }, body }));
  });
  const err = (k: string) => fieldErr(create.error, k);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
      noValidate
      aria-label="New meter"
    >
      <Field
        label="Meter name"
        required
        value={f.name}
        onChange={(e) => setF({ ...f, name: e.target.value })}
        error={err('name')}
        placeholder="e.g. Main incomer"
      />
      <div className="row">
        <Select
          label="What it measures"
          value={f.kind}
          options={METER_KINDS.map((k) => ({ value: k.value, label: k.label }))}
          onChange={(e) => {
            const k = METER_KINDS.find((x) => x.value === e.target.value)!;
            setF({ ...f, kind: k.value, unit: k.units[0] });
          }}
          error={err('kind')}
        />
        <Select
          label="Unit"
          value={f.unit}
          options={kind.units.map((u) => ({ value: u, label: u === 'm3' ? 'm³' : u }))}
          onChange={(e) => setF({ ...f, unit: e.target.value })}
          error={err('unit')}
        />
      </div>
      <div className="row">
        <Select
          label="Reading interval"
          value={f.interval}
          options={INTERVALS}
          onChange={(e) => setF({ ...f, interval: e.target.value })}
          error={err('intervalMinutes')}
        />
        <Select
          label="Values are"
          value={f.register}
          options={[
            { value: 'interval', label: 'Consumption per interval' },
            { value: 'cumulative', label: 'A cumulative register (meter index)' },
          ]}
          onChange={(e) => setF({ ...f, register: e.target.value as 'interval' | 'cumulative' })}
          error={err('register')}
        />
      </div>
      {generation ? (
        <div className="row">
          <Field
            label={f.kind === 'pv_generation' ? 'Capacity (kWp, DC)' : 'Rated power (kW)'}
            inputMode="decimal"
            value={f.capacityKw}
            onChange={(e) => setF({ ...f, capacityKw: e.target.value })}
            error={err('capacityKw')}
          />
          {f.kind === 'pv_generation' ? (
            <>
              <Field
                label="Tilt (°)"
                inputMode="decimal"
                value={f.tiltDeg}
                onChange={(e) => setF({ ...f, tiltDeg: e.target.value })}
                error={err('tiltDeg')}
              />
              <Field
                label="Azimuth (°, 180 = south)"
                inputMode="decimal"
                value={f.azimuthDeg}
                onChange={(e) => setF({ ...f, azimuthDeg: e.target.value })}
                error={err('azimuthDeg')}
              />
            </>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={create.error} title="The meter was not created" />
      <button type="submit" className="btn primary" disabled={create.pending}>
        {create.pending ? 'Creating…' : 'Create meter'}
      </button>
    </form>
  );
}

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
  const site = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/sites/{siteId}', { path: { orgId, siteId }, signal }),
    [orgId, siteId],
  );
  const meters = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/meters', { path: { orgId }, query: { siteId }, signal }),
    [orgId, siteId],
  );
  const [analysis, setAnalysis] = useState<string | null>(null);
  const analyse = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/sites/{siteId}/analyses', { path: { orgId, siteId } });
    setAnalysis(res.jobId);
  });
  // The analysis is a job: follow it until it ends, then say what it found.
  const job = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/jobs/{jobId}', { path: { orgId, jobId: analysis! }, signal }),
    [orgId, analysis],
    !!analysis,
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
            <button
              type="button"
              className="btn secondary"
              disabled={analyse.pending}
              onClick={() => void analyse.run()}
            >
              Look for savings
            </button>
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
            {meters.data && !siteMeters.length ? (
              <Empty title="No meters on this site yet.">Add one to upload its data.</Empty>
            ) : null}
            {siteMeters.length ? (
              <TableWrap label="Meters">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Meter</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Unit</th>
                      <th scope="col">Interval</th>
                    </tr>
                  </thead>
                  <tbody>
                    {siteMeters.map((m) => (
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
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            ) : null}
          </Card>
          {canWrite(role) ? (
            <Card title="Add a meter" id="add-meter">
              <MeterForm siteId={siteId} onCreated={(m) => navigate(`/orgs/${orgId}/meters/${m.id}`)} />
            </Card>
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
        </div>
      ) : null}
    </>
  );
}
