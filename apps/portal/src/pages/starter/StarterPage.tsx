import { useState } from 'react';
import { ApiError } from '../../api/errors';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Select } from '../../components/form';
import { Badge, Card, ErrorBox, Loading, Stat, TableWrap } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { co2 } from '../../lib/format';
import { StarterProfileForm } from './StarterProfileForm';
import type { StarterFootprint, StarterLine } from './starter-api';

const FOOTPRINT = '/api/v1/orgs/{orgId}/starter-footprint';
const THIS_YEAR = new Date().getFullYear();
const YEARS = Array.from({ length: 12 }, (_, i) => String(THIS_YEAR - i));

const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;

function StatusBadge({ line }: { line: StarterLine }) {
  if (line.status === 'replaced by measured data')
    return <Badge tone="good">replaced by measured data</Badge>;
  if (line.status === 'not estimated') return <Badge tone="warn">not estimated</Badge>;
  return <Badge tone="info">estimated</Badge>;
}

/** One estimate line: its figure, status, the multiplication and every input with its source and marker. */
function LineRow({ line }: { line: StarterLine }) {
  return (
    <tr>
      <td>
        {line.label}
        <div className="muted small">Scope {line.scope}</div>
      </td>
      <td>
        {co2(line.kgCo2e)} <Badge tone="warn">Estimate</Badge>
      </td>
      <td>
        <StatusBadge line={line} />
        {line.measuredKgCo2e !== null ? (
          <div className="small">measured {co2(line.measuredKgCo2e)}</div>
        ) : null}
      </td>
      <td className="small">
        <div>{line.basis}</div>
        <ul>
          {line.inputs.map((i) => (
            <li key={i.name}>
              {i.name}: {i.value} {i.unit} — {i.source} <span className="muted">{i.verification}</span>
            </li>
          ))}
        </ul>
        {line.notes.length ? <div className="muted">{line.notes.join(' · ')}</div> : null}
      </td>
    </tr>
  );
}

function Totals({ f }: { f: StarterFootprint }) {
  const c = f.combined;
  return (
    <div className="grid stats" aria-label="Combined totals">
      <Stat
        label="Scope 1"
        value={co2(c.scope1KgCo2e)}
        hint={`estimate alone ${co2(f.estimated.scope1KgCo2e)}`}
      />
      <Stat
        label="Scope 2"
        value={co2(c.scope2KgCo2e)}
        hint={`estimate alone ${co2(f.estimated.scope2KgCo2e)}`}
      />
      <Stat
        label="Scope 3"
        value={co2(c.scope3KgCo2e)}
        hint={`estimate alone ${co2(f.estimated.scope3KgCo2e)}`}
      />
      <Stat
        label="Total"
        value={co2(c.totalKgCo2e)}
        hint={`measured so far ${co2(f.measured.totalKgCo2e)}`}
      />
    </div>
  );
}

function Footprint({ orgId, year }: { orgId: string; year: number }) {
  const q = useApiQuery(FOOTPRINT, { path: { orgId }, query: { year: String(year) } });
  if (q.loading && !q.data) return <Loading what="Estimating" />;
  if (!q.data) return <ErrorBox error={q.error} onRetry={q.reload} />;
  const f = q.data;
  return (
    <Card title={`Starter estimate ${f.year}`} actions={<Badge tone="warn">Estimate</Badge>}>
      <p className="small">
        Industry averages for a {f.profile.sectorLabel.toLowerCase()} business of {f.profile.floorAreaM2} m²:
        each line is replaced by your own data as soon as the year has bills, meter readings, fuel or ledger
        lines of its kind. Totals: measured where measured, the estimate elsewhere. Markers: ✔ checked, ◐
        partly checked, ✘ assumption.
      </p>
      <Totals f={f} />
      <TableWrap label="Estimate lines">
        <table>
          <thead>
            <tr>
              <th>Line</th>
              <th>Estimate</th>
              <th>Status</th>
              <th>Basis and sources</th>
            </tr>
          </thead>
          <tbody>
            {f.lines.map((l) => (
              <LineRow key={l.key} line={l} />
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>Not estimated</h3>
      <ul className="small">
        {f.notEstimated.map((o) => (
          <li key={o.what}>
            <strong>{o.what}</strong>: {o.reason}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The starter estimate (issue 18): a footprint from a profile before any data is uploaded, clearly an estimate. */
export function StarterPage() {
  const { orgId, role } = useOrg();
  const profile = useApiQuery('/api/v1/orgs/{orgId}/starter-profile', { path: { orgId } });
  const [year, setYear] = useState<number | null>(null);
  const invalidate = useInvalidate();
  const missing = notFound(profile.error);
  const shown = year ?? profile.data?.year ?? null;
  return (
    <>
      <PageHeader
        title="Starter estimate"
        subtitle="An estimate from industry averages for a business with no data uploaded yet. It is not your measured footprint."
      />
      {profile.loading && !profile.data ? <Loading what="Loading the profile" /> : null}
      {!missing ? <ErrorBox error={profile.error} onRetry={profile.reload} /> : null}
      {canWrite(role) && (profile.data || missing) ? (
        <Card title="Profile">
          {missing ? <p className="muted small">No profile yet: enter one to see an estimate.</p> : null}
          <StarterProfileForm
            key={profile.data?.updatedAt ?? 'new'}
            profile={profile.data ?? null}
            onSaved={(p) => {
              profile.setData(p);
              invalidate(FOOTPRINT, { orgId });
              setYear(p.year);
            }}
          />
        </Card>
      ) : null}
      {shown !== null ? (
        <>
          <Select
            label="Estimate year"
            options={[...new Set([String(shown), ...YEARS])].map((y) => ({ value: y, label: y }))}
            value={String(shown)}
            onChange={(e) => setYear(Number(e.target.value))}
          />
          <Footprint orgId={orgId} year={shown} />
        </>
      ) : null}
    </>
  );
}
