// The factor a footprint entry takes and the kg CO2e it produces, asked of the API as the person types
// (debounced): the preview runs the same selection as saving, so what it shows is what is stored.
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { ActivityInput, ActivityPricing, FactorRef } from '../../api/types';
import { ErrorBox } from '../../components/ui';
import { num } from '../../lib/format';
import { useDataQuery } from '../../lib/api-query';

/** `value` once it has stopped changing for `ms` (compared by its JSON). */
export function useDebouncedJson<T>(value: T, ms: number): T {
  const key = JSON.stringify(value ?? null);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const t = setTimeout(() => setSettled(key), ms);
    return () => clearTimeout(t);
  }, [key, ms]);
  return JSON.parse(settled) as T;
}

/** The preview of `body` (undefined: incomplete, nothing asked). */
export function useActivityPreview(orgId: string, body: ActivityInput | undefined, ms = 300) {
  const settled = useDebouncedJson(body, ms);
  const current = JSON.stringify(body ?? null) === JSON.stringify(settled ?? null);
  const q = useDataQuery<ActivityPricing>(
    ['query:activity-preview', orgId, settled],
    (signal) =>
      api.post('/api/v1/orgs/{orgId}/activities/preview', {
        path: { orgId },
        body: settled as ActivityInput,
        signal,
      }),
    { enabled: !!settled },
  );
  return { ...q, current, settled: !!settled };
}

/** "2.51279 kg CO2e per litre · UK DESNZ … 2024 v1.1 (GB, 2024)". */
export function factorText(f: FactorRef): string {
  return `${f.value} kg CO₂e per ${f.unit} · ${f.source} ${f.edition} (${f.region}, ${f.year})`;
}

export function PricingPreview({ orgId, body }: { orgId: string; body: ActivityInput | undefined }) {
  const p = useActivityPreview(orgId, body);
  if (!body) return <p className="muted small">Enter a quantity and period to see the factor and kg CO₂e.</p>;
  if (p.error && p.current) return <ErrorBox error={p.error} title="This entry cannot be priced" />;
  const data = p.current && !p.loading ? p.data : undefined;
  return (
    <div className="state" aria-live="polite" data-testid="preview">
      {!data ? (
        <p className="muted small">Working out the factor…</p>
      ) : data.factor ? (
        <>
          <p>
            <strong>{num(data.kgCo2e ?? 0, 3)} kg CO₂e</strong>{' '}
            <span className="muted">
              Scope {data.scope}
              {data.scope3Category ? `, category ${data.scope3Category}` : ''}
            </span>
          </p>
          <p className="muted small">Factor: {factorText(data.factor)}</p>
        </>
      ) : data.kgCo2e !== null ? (
        <p>
          <strong>{num(data.kgCo2e, 3)} kg CO₂e</strong> (GWP given with the entry)
        </p>
      ) : (
        <p>No factor for this entry in region {data.region}: it would be saved and flagged, not counted.</p>
      )}
      {data?.warnings.map((w, i) => (
        <p key={i} className="muted small">
          {w.message}
        </p>
      ))}
    </div>
  );
}
