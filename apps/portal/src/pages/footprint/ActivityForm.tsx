// The form of one footprint entry (new or edited): category, what, how much, when; the factor and
// kg CO2e it produces are shown as it is typed (PricingPreview), then it is saved (POST) or its
// edit sent (PATCH, the factor selected again), and the list is asked again.
import { api } from '../../api/client';
import type { PricedActivity, RecordedActivity } from '../../api/types';
import { ActionForm, Field, fieldErr, Select, useFields } from '../../components/form';
import { useOrg } from '../../components/Layout';
import { useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';
import { CATEGORIES, detailOptions, FLIGHT, MONEY, unitLabel, usesDetail } from './categories';
import { bodyOf, categoryOf, draftOf, newDraft } from './draft';
import { FlightFields, MoneyFields } from './EntryFields';
import { PricingPreview } from './PricingPreview';

const QUALITY = [
  { value: '1', label: '1 · metered or invoiced' },
  { value: '2', label: '2 · receipts or records' },
  { value: '3', label: '3 · partly estimated' },
  { value: '4', label: '4 · estimated' },
  { value: '5', label: '5 · rough guess' },
];

/** Saves the entry: a new one, or the edit of `editing`; `onDone` gets what the API recorded. */
function useSave(orgId: string, editing: PricedActivity | undefined, onDone: (a: RecordedActivity) => void) {
  const invalidate = useInvalidate();
  return async (body: NonNullable<ReturnType<typeof bodyOf>>) => {
    const saved = editing
      ? await api.patch('/api/v1/orgs/{orgId}/activities/{activityId}', {
          path: { orgId, activityId: editing.id },
          // a kind without a variant, or an emptied note, clears the stored one
          body: { variant: '', description: '', ...body },
        })
      : await api.post('/api/v1/orgs/{orgId}/activities', { path: { orgId }, body });
    invalidate('/api/v1/orgs/{orgId}/activities/priced', { orgId });
    invalidate('/api/v1/orgs/{orgId}/inventory', { orgId });
    onDone(saved);
  };
}

export function ActivityForm({
  year,
  category: initialCategory = CATEGORIES[0].key,
  editing,
  onDone,
}: {
  year: number;
  category?: string;
  editing?: PricedActivity;
  onDone: (a: RecordedActivity) => void;
}) {
  const { orgId } = useOrg();
  const [d, setD, set] = useFields(editing ? draftOf(editing) : newDraft(initialCategory, year));
  const category = categoryOf(d.category);
  const kind = category.kinds.find((x) => x.value === d.kind);
  const body = bodyOf(d);
  const save = useAction(useSave(orgId, editing, onDone));
  const err = (f: string) => fieldErr(save.error, f);
  const put = (k: keyof typeof d, v: string) => setD((p) => ({ ...p, [k]: v }));
  const flight = !category.free && d.kind === FLIGHT;
  const money = !category.free && d.unit === MONEY;

  const pickKind = (value: string) => {
    const next = category.kinds.find((x) => x.value === value);
    const details = detailOptions(category, value);
    setD((p) => ({
      ...p,
      kind: value,
      unit: next?.units.includes(p.unit) ? p.unit : (next?.units[0] ?? ''),
      detail: details.some((o) => o.value === p.detail) ? p.detail : (details[0]?.value ?? ''),
    }));
  };

  return (
    <ActionForm
      action={{ ...save, run: () => (body ? save.run(body) : Promise.resolve()) }}
      submit={editing ? 'Save changes' : 'Add entry'}
      busyLabel="Saving…"
      errorTitle={editing ? 'The entry was not changed' : 'The entry was not added'}
      label={editing ? 'Edit footprint entry' : 'New footprint entry'}
      disabled={!body}
      afterError={<PricingPreview orgId={orgId} body={body} />}
    >
      <div className="grid two">
        <Select
          label="Category"
          value={d.category}
          onChange={(e) =>
            setD({ ...newDraft(e.target.value, year), periodFrom: d.periodFrom, periodTo: d.periodTo })
          }
          options={CATEGORIES.map((c) => ({ value: c.key, label: c.label }))}
          hint={category.scope}
          disabled={!!editing}
        />
        {category.free ? (
          <>
            <Field
              label="Activity"
              value={d.activity}
              onChange={set('activity')}
              error={err('activity')}
              required
            />
            <Field label="Variant" value={d.variant} onChange={set('variant')} error={err('variant')} />
          </>
        ) : (
          <Select
            label={category.kindLabel}
            value={d.kind}
            onChange={(e) => pickKind(e.target.value)}
            options={category.kinds.map((x) => ({ value: x.value, label: x.label }))}
          />
        )}
        {category.detail && usesDetail(category, d.kind) ? (
          <Select
            label={category.detail.label}
            value={d.detail}
            onChange={set('detail')}
            options={detailOptions(category, d.kind)}
          />
        ) : null}
        {flight ? <FlightFields d={d} set={set} put={put} err={err} /> : null}
        {!flight && !money ? (
          <Field
            label="Quantity"
            inputMode="decimal"
            value={d.quantity}
            onChange={set('quantity')}
            error={err('quantity')}
            required
          />
        ) : null}
        {category.free ? (
          <Field label="Unit" value={d.unit} onChange={set('unit')} error={err('unit')} required />
        ) : flight ? null : (
          <Select
            label="Unit"
            value={d.unit}
            onChange={set('unit')}
            error={err('unit')}
            options={(kind?.units ?? [d.unit]).map((u) => ({ value: u, label: unitLabel(u) }))}
          />
        )}
        {money ? <MoneyFields d={d} set={set} err={err} /> : null}
        <Field
          label="From"
          type="date"
          value={d.periodFrom}
          onChange={set('periodFrom')}
          error={err('periodFrom')}
        />
        <Field
          label="To (exclusive)"
          type="date"
          value={d.periodTo}
          onChange={set('periodTo')}
          error={err('periodTo')}
          hint="The day after the last day the entry covers."
        />
        <Select label="Data quality" value={d.dataQuality} onChange={set('dataQuality')} options={QUALITY} />
        <Field
          label="Note"
          value={d.description}
          onChange={set('description')}
          error={err('description')}
          hint="Supplier, receipt or invoice number."
        />
      </div>
    </ActionForm>
  );
}
