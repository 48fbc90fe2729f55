import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Meter } from '../../api/types';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Card, Empty, ErrorBox, Loading, isMissingEndpoint } from '../../components/ui';
import { num } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { NotYet } from './NotYet';
import { SiteForm } from './SiteForm';
import { kindLabel, intervalLabel } from './meter-kinds';

export function SitesPage() {
  const { orgId, role } = useOrg();
  const navigate = useNavigate();
  const sites = useApiQuery('/api/v1/orgs/{orgId}/sites', { path: { orgId } });
  const meters = useApiQuery('/api/v1/orgs/{orgId}/meters', { path: { orgId } });
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
