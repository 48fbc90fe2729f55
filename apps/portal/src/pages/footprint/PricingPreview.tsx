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

/** How the API worked out a flight's passenger.km or a fuel's litres: shown with the figure. */
export function EnteredAs({ data }: { data: Pick<ActivityPricing, 'flight' | 'fuelSpend'> }) {
  const f = data.flight;
  const m = data.fuelSpend;
  if (f)
    return (
      <p className="small" data-testid="flight-detail">
        {f.from && f.to ? `${f.from}–${f.to}: ` : ''}
        {num(Number(f.greatCircleKm), 1)} km great circle × {f.uplift} (DESNZ uplift) ={' '}
        {num(Number(f.upliftedKm), 1)} km × {f.returnTrip ? 2 : 1} leg{f.returnTrip ? 's' : ''} ×{' '}
        {f.passengers} passenger{f.passengers > 1 ? 's' : ''} = {num(Number(f.passengerKm), 1)} passenger.km ·{' '}
        {f.haul.replace('_', '-')}
        {f.note ? <span className="muted"> · {f.note}</span> : null}
      </p>
    );
  if (m)
    return (
      <p className="small" data-testid="money-detail">
        {m.currency} {m.amount} ÷ {m.pricePerLitre} per litre = <strong>{m.litres} litres</strong>
        <span className="muted"> · price: {m.priceSource}</span>
      </p>
    );
  return null;
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
      {data ? <EnteredAs data={data} /> : null}
      {data?.warnings.map((w, i) => (
        <p key={i} className="muted small">
          {w.message}
        </p>
      ))}
    </div>
  );
}
