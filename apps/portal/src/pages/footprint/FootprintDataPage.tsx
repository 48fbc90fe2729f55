// Footprint data: everything an organisation enters by hand for a year (fuels, vehicles, refrigerants,
// heat, travel, waste, water), grouped by scope, each line with the factor it takes and the kg CO2e
// it produces; entries are added, edited and deleted here (the API audits each change).
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { PricedActivity } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Select } from '../../components/form';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Card, Empty, ErrorBox, Loading } from '../../components/ui';
import { addDays, co2, date } from '../../lib/format';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';
import { ActivityForm } from './ActivityForm';
import { CommutingCard } from './CommutingCard';
import { EvidenceCell } from './EvidenceCell';
import { activityLabel, CATEGORIES } from './categories';
import { factorText } from './PricingPreview';

const SCOPES: { scope: number | null; title: string }[] = [
  { scope: 1, title: 'Scope 1 · direct' },
  { scope: 2, title: 'Scope 2 · purchased energy' },
  { scope: 3, title: 'Scope 3 · value chain' },
  { scope: null, title: 'Without a factor yet' },
];

/** The years offered: this one and the nine before. */
const years = (now: number) => Array.from({ length: 10 }, (_, i) => now - i);

function FactorCell({ a }: { a: PricedActivity }) {
  if (a.factor) return <span className="small">{factorText(a.factor)}</span>;
  return <span className="small">{a.warnings[0]?.message ?? 'No factor: flagged, not counted'}</span>;
}

function ScopeTable({
  title,
  rows,
  writable,
  onEdit,
  onDelete,
}: {
  title: string;
  rows: PricedActivity[];
  writable: boolean;
  onEdit: (a: PricedActivity) => void;
  onDelete: (a: PricedActivity) => void;
}) {
  const total = rows.reduce((s, a) => s + (a.kgCo2e ?? 0), 0);
  return (
    <Card title={title} actions={<strong>{co2(total)}</strong>}>
      <DataTable
        label={title}
        columns={['Entry', 'Quantity', 'Period', 'Factor', 'kg CO₂e', 'Receipts', { hidden: 'Actions' }]}
        rows={rows}
        row={(a) => (
          <tr key={a.id}>
            <td>
              {activityLabel(a.activity, a.variant)}
              {a.description ? <div className="muted small">{a.description}</div> : null}
            </td>
            <td>
              {a.quantity} {a.unit}
              {a.flight ? (
                <div className="muted small">
                  {a.flight.from && a.flight.to ? `${a.flight.from}–${a.flight.to}, ` : ''}
                  {a.flight.returnTrip ? 'return' : 'one way'}, {a.flight.passengers} pax,{' '}
                  {a.flight.cabinClass}
                </div>
              ) : null}
              {a.fuelSpend ? (
                <div className="muted small">
                  {a.fuelSpend.currency} {a.fuelSpend.amount} at {a.fuelSpend.pricePerLitre}/litre
                  {a.fuelSpend.priceEntered ? '' : ' (unverified default price)'}
                </div>
              ) : null}
            </td>
            <td className="small">
              {date(a.periodFrom)} – {date(addDays(a.periodTo, -1))}
            </td>
            <td>
              <FactorCell a={a} />
            </td>
            <td>
              {a.kgCo2e === null ? '–' : a.kgCo2e.toLocaleString('en-GB', { maximumFractionDigits: 3 })}
            </td>
            <td>
              <EvidenceCell a={a} writable={writable} />
            </td>
            <td>
              {writable ? (
                <>
                  <button type="button" className="btn secondary small" onClick={() => onEdit(a)}>
                    Edit<span className="visually-hidden"> {activityLabel(a.activity, a.variant)}</span>
                  </button>{' '}
                  <button type="button" className="btn secondary small" onClick={() => onDelete(a)}>
                    Delete<span className="visually-hidden"> {activityLabel(a.activity, a.variant)}</span>
                  </button>
                </>
              ) : null}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

export function FootprintDataPage() {
  const { orgId, role } = useOrg();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year')) || thisYear;
  const [adding, setAdding] = useState<string | null>(null);
  const [editing, setEditing] = useState<PricedActivity | null>(null);
  const list = useApiQuery('/api/v1/orgs/{orgId}/activities/priced', {
    path: { orgId },
    query: { from: `${year}-01-01`, to: `${year + 1}-01-01` },
  });
  const invalidate = useInvalidate();
  const remove = useAction(async (a: PricedActivity) => {
    await api.delete('/api/v1/orgs/{orgId}/activities/{activityId}', { path: { orgId, activityId: a.id } });
    invalidate('/api/v1/orgs/{orgId}/activities/priced', { orgId });
    invalidate('/api/v1/orgs/{orgId}/inventory', { orgId });
  });
  const writable = canWrite(role);
  const done = () => {
    setAdding(null);
    setEditing(null);
  };

  return (
    <>
      <PageHeader
        title="Footprint data"
        subtitle="Fuels, vehicles, refrigerants, heat, travel, waste and water: each entry with its factor and kg CO₂e."
      />
      <Card>
        <div className="row">
          <Select
            label="Year"
            value={String(year)}
            onChange={(e) => setParams({ year: e.target.value })}
            options={years(Math.max(thisYear, year)).map((y) => ({ value: String(y), label: String(y) }))}
          />
          {writable ? (
            <Select
              label="Add an entry"
              value={adding ?? ''}
              onChange={(e) => {
                setEditing(null);
                setAdding(e.target.value || null);
              }}
              options={[
                { value: '', label: 'Choose a category…' },
                ...CATEGORIES.map((c) => ({ value: c.key, label: c.label })),
              ]}
            />
          ) : null}
        </div>
      </Card>
      {adding || editing ? (
        <Card
          title={
            editing ? `Edit: ${activityLabel(editing.activity, editing.variant)}` : `New entry for ${year}`
          }
          id="footprint-entry"
          actions={
            <button type="button" className="btn secondary small" onClick={done}>
              Close
            </button>
          }
        >
          <ActivityForm
            key={editing?.id ?? adding ?? ''}
            year={year}
            category={adding ?? undefined}
            editing={editing ?? undefined}
            onDone={done}
          />
        </Card>
      ) : null}
      <ErrorBox error={remove.error} title="The entry was not deleted" />
      {list.loading && !list.data ? <Loading what="Loading footprint data" /> : null}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && !list.data.length ? (
        <Empty title={`No footprint data for ${year} yet.`}>
          {writable ? 'Choose a category under “Add an entry”.' : 'An owner or member enters data here.'}
        </Empty>
      ) : null}
      {SCOPES.map(({ scope, title }) => {
        const rows = (list.data ?? []).filter(
          (a) => (a.factor || a.kgCo2e !== null ? a.scope : null) === scope,
        );
        return rows.length ? (
          <ScopeTable
            key={String(scope)}
            title={title}
            rows={rows}
            writable={writable}
            onEdit={(a) => {
              setAdding(null);
              setEditing(a);
            }}
            onDelete={(a) => {
              if (confirm(`Delete “${activityLabel(a.activity, a.variant)}” (${a.quantity} ${a.unit})?`))
                void remove.run(a);
            }}
          />
        ) : null;
      })}
      <CommutingCard year={year} writable={writable} />
      {list.data?.length ? (
        <p className="muted small">
          kg CO₂e is for the whole entry; the inventory of a period counts the days of an entry that fall
          inside it.
        </p>
      ) : null}
      <p className="muted small" data-testid="energy-elsewhere">
        Electricity and gas are entered as utility bills under <Link to={`/orgs/${orgId}/bills`}>Bills</Link>{' '}
        (a bill needs no meter); a site with an interval meter sends its readings under{' '}
        <Link to={`/orgs/${orgId}/sites`}>Sites &amp; meters</Link> instead.
      </p>
    </>
  );
}
