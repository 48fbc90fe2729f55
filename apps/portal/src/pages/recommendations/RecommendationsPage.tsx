import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { RecommendationStatus } from '../../api/types';
import { PageHeader, canDecide, useOrg } from '../../components/Layout';
import { Badge, Empty, ErrorBox, Loading, Stat, isMissingEndpoint, statusTone } from '../../components/ui';
import { Select } from '../../components/form';
import { co2, humanize, kwh, money, num } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { typeLabel } from './recommendation-labels';

type Sort = 'money' | 'kwh' | 'co2';

const STATUSES: { value: RecommendationStatus | '' | 'all'; label: string }[] = [
  { value: '', label: 'Open (new and accepted)' },
  { value: 'new', label: 'New' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'implemented', label: 'Implemented' },
  { value: 'verified', label: 'Verified' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'not_achieved', label: 'Not achieved' },
  { value: 'all', label: 'All' },
];

export function RecommendationsPage() {
  const { orgId, currency, role } = useOrg();
  const [status, setStatus] = useState<RecommendationStatus | '' | 'all'>('');
  const [sort, setSort] = useState<Sort>('money');
  const list = useApiQuery('/api/v1/orgs/{orgId}/recommendations', {
    path: { orgId },
    query: { status: status === 'all' || status === '' ? undefined : status, sort },
  });
  const sites = useApiQuery('/api/v1/orgs/{orgId}/sites', { path: { orgId } });
  const siteName = (id: string) => sites.data?.find((s) => s.id === id)?.name ?? '';
  // What implementing every open suggestion would save, overlaps counted once (the savings report's estimated.combined).
  const report = useApiQuery(
    '/api/v1/orgs/{orgId}/savings-report',
    { path: { orgId } },
    { dependsOn: [list.updatedAt] },
  );
  const combined = combinedOf(report.data);
  const rows = useMemo(() => {
    let r = list.data ?? [];
    // The API sorts (largest saving first); "open" is new and accepted.
    if (status === '') r = r.filter((x) => x.status === 'new' || x.status === 'accepted');
    return r;
  }, [list.data, status]);
  const totals = rows.reduce(
    (s, r) => ({
      money: s.money + (r.annualSavingMoney ?? 0),
      kwh: s.kwh + (r.annualSavingKwh ?? 0),
      kg: s.kg + (r.annualSavingKgCo2e ?? 0),
    }),
    { money: 0, kwh: 0, kg: 0 },
  );
  return (
    <>
      <PageHeader
        title="Suggestion inbox"
        subtitle={
          canDecide(role)
            ? 'Energy-saving suggestions from your data, biggest saving first. Accept, reject with a reason, record implementation.'
            : 'Only energy managers, admins and owners can decide on suggestions.'
        }
      />
      <div className="filters">
        <Select
          label="Show"
          value={status}
          options={STATUSES}
          onChange={(e) => setStatus(e.target.value as RecommendationStatus | '' | 'all')}
        />
        <Select
          label="Sort by"
          value={sort}
          options={[
            { value: 'money', label: 'Money saved a year' },
            { value: 'co2', label: 'CO₂ saved' },
            { value: 'kwh', label: 'Energy saved' },
          ]}
          onChange={(e) => setSort(e.target.value as Sort)}
        />
      </div>
      {list.loading && !list.data ? <Loading what="Loading suggestions" /> : null}
      {isMissingEndpoint(list.error) ? (
        <Empty title="Suggestions are not available on this server yet." />
      ) : (
        <ErrorBox error={list.error} onRetry={list.reload} />
      )}
      {list.data && !rows.length ? (
        <Empty title="Nothing here.">
          Suggestions appear after meter data is imported and analysed (Sites → a site → “Look for savings”).
        </Empty>
      ) : null}
      {rows.length ? (
        <>
          <div className="stats">
            <Stat label="Suggestions" value={num(rows.length)} />
            <Stat label="Money a year" value={money(totals.money, currency)} />
            <Stat label="Energy a year" value={kwh(totals.kwh)} />
            <Stat label="CO₂ a year" value={co2(totals.kg)} />
            {status === '' && combined ? (
              <Stat
                label="All of them together"
                value={kwh(combined.annualSavingKwh)}
                hint={`${money(combined.annualSavingMoney[currency] ?? null, currency)} · ${co2(combined.annualSavingKgCo2e)} a year; overlapping suggestions counted once (${kwh(combined.overlapKwh)} shared)`}
              />
            ) : null}
          </div>
          <ul className="inbox" data-testid="inbox">
            {rows.map((r) => (
              <li key={r.id}>
                <Link to={`/orgs/${orgId}/recommendations/${r.id}`} className="inbox-item">
                  <div className="inbox-main">
                    <span className="inbox-title">{r.title}</span>
                    <span className="muted small">
                      {typeLabel(r.type)} · {siteName(r.siteId)} · {humanize(r.confidence)} confidence
                    </span>
                  </div>
                  <div className="inbox-figures">
                    <strong>{money(r.annualSavingMoney, r.currency || currency)}</strong>
                    <span className="small">
                      {r.annualSavingKwh ? kwh(r.annualSavingKwh) : '0 kWh'} · {co2(r.annualSavingKgCo2e)}
                    </span>
                  </div>
                  <Badge tone={statusTone(r.status)}>{humanize(r.status)}</Badge>
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

interface CombinedSaving {
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  annualSavingMoney: Record<string, number>;
  overlapKwh: number;
}
/** The savings report's estimated.combined, when the server sends one. */
function combinedOf(report: unknown): CombinedSaving | null {
  const c = (report as { estimated?: { combined?: CombinedSaving } } | null)?.estimated?.combined;
  return c && typeof c.annualSavingKwh === 'number' ? c : null;
}
