import { useState } from 'react';
import { api } from '../../api/client';
import type { Claim, Iso14068Vocabulary } from '../../api/types';
import type { components } from '../../api/schema';
import { Card, ErrorBox } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { num } from '../../lib/format';
import { useAction } from '../../lib/use-async';

/**
 * The ISO 14068-1 inputs of a carbon-neutral claim (issue 16): Scope 3 in the boundary with a screening
 * of the categories the inventory does not quantify, the carbon-neutrality management plan, and the
 * retired credits as structured batches. Saved with PATCH; the claim's "still needed" list names what
 * each rule still refuses.
 */

const CATEGORIES = [
  'Purchased goods and services',
  'Capital goods',
  'Fuel- and energy-related activities',
  'Upstream transportation and distribution',
  'Waste generated in operations',
  'Business travel',
  'Employee commuting',
  'Upstream leased assets',
  'Downstream transportation and distribution',
  'Processing of sold products',
  'Use of sold products',
  'End-of-life treatment of sold products',
  'Downstream leased assets',
  'Franchises',
  'Investments',
];

interface Offset {
  registry: string;
  projectId: string;
  projectName: string;
  projectType: string;
  creditType: string;
  standard: string;
  vintage: string;
  serialFrom: string;
  serialTo: string;
  tonnesCo2e: string;
  retiredOn: string;
  beneficiary: string;
}
interface Plan {
  adoptedOn: string;
  reference: string;
  targets: { targetYear: string; reductionPct: string }[];
  measures: { description: string; startOn: string; completeBy: string }[];
}
type Screening = Record<number, { kgCo2e: string; basis: string }>;

const emptyOffset = (beneficiary: string): Offset => ({
  registry: 'verra',
  projectId: '',
  projectName: '',
  projectType: 'afforestation_reforestation',
  creditType: 'removal',
  standard: '',
  vintage: '',
  serialFrom: '',
  serialTo: '',
  tonnesCo2e: '',
  retiredOn: '',
  beneficiary,
});
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** Drops empty strings so that a draft saves what was typed and the API names what is missing. */
const compact = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '')) as Partial<T>;

export function ClaimIso14068Form({
  claim,
  orgId,
  vocabulary,
  onSaved,
}: {
  claim: Claim;
  orgId: string;
  /** The registries and project types (GET /api/v1/iso14068/vocabulary: the rules' own lists, not a copy here). */
  vocabulary: Iso14068Vocabulary | undefined;
  onSaved: (c: Claim) => void;
}) {
  const inputs = claim.inputs as {
    scopes?: number[];
    offsets?: Record<string, unknown>[];
    managementPlan?: {
      adoptedOn?: string;
      reference?: string;
      targets?: Record<string, unknown>[];
      measures?: Record<string, unknown>[];
    };
    scope3Screening?: { category: number; kgCo2e: string; basis: string }[];
  };
  const boundary = claim.figures.boundary as
    | { categories?: { category: number; quantified: boolean; kgCo2e: number; sharePct: number }[] }
    | undefined;
  const quantified = new Map(
    (boundary?.categories ?? []).filter((c) => c.quantified).map((c) => [c.category, c]),
  );
  const [scope3, setScope3] = useState((inputs.scopes ?? [1, 2, 3]).includes(3));
  const [screening, setScreening] = useState<Screening>(() =>
    Object.fromEntries(
      (inputs.scope3Screening ?? []).map((s) => [s.category, { kgCo2e: s.kgCo2e, basis: s.basis }]),
    ),
  );
  const mp = inputs.managementPlan;
  const [plan, setPlan] = useState<Plan>({
    adoptedOn: str(mp?.adoptedOn),
    reference: str(mp?.reference),
    targets: (mp?.targets ?? [{}]).map((t) => ({
      targetYear: str(t.targetYear),
      reductionPct: str(t.reductionPct),
    })),
    measures: (mp?.measures ?? [{}]).map((m) => ({
      description: str(m.description),
      startOn: str(m.startOn),
      completeBy: str(m.completeBy),
    })),
  });
  const [offsets, setOffsets] = useState<Offset[]>(() =>
    (inputs.offsets ?? []).map((o) => ({
      ...emptyOffset(''),
      ...Object.fromEntries(Object.entries(o).map(([k, v]) => [k, str(v)])),
    })),
  );

  const save = useAction(async () => {
    const body = {
      scopes: scope3 ? [1, 2, 3] : [1, 2],
      scope3Screening: Object.entries(screening)
        .filter(([c, s]) => !quantified.has(Number(c)) && s.kgCo2e.trim() !== '')
        .map(([c, s]) => ({
          category: Number(c),
          kgCo2e: s.kgCo2e.trim(),
          basis: s.basis.trim() || 'not stated',
        })),
      managementPlan: {
        ...compact({ adoptedOn: plan.adoptedOn, reference: plan.reference.trim() }),
        targets: plan.targets
          .filter((t) => t.targetYear && t.reductionPct)
          .map((t) => ({ targetYear: Number(t.targetYear), reductionPct: t.reductionPct.trim() })),
        measures: plan.measures
          .filter((m) => m.description.trim() && m.completeBy)
          .map((m) =>
            compact({ description: m.description.trim(), startOn: m.startOn, completeBy: m.completeBy }),
          ),
      },
      offsets: offsets.map((o) => {
        const { vintage, ...rest } = compact(o);
        return { ...rest, ...(vintage ? { vintage: Number(vintage) } : {}) };
      }),
    };
    onSaved(
      (await api.patch('/api/v1/orgs/{orgId}/claims/{claimId}', {
        path: { orgId, claimId: claim.id },
        // The generated schema types `scopes` as string[] (an @IsIn of numbers); the API takes numbers.
        body: body as unknown as components['schemas']['UpdateClaimDto'],
      })) as Claim,
    );
  });
  const err = (field: string) => fieldErr(save.error, field);
  const setOffset = (i: number, patch: Partial<Offset>) =>
    setOffsets(offsets.map((o, j) => (j === i ? { ...o, ...patch } : o)));

  return (
    <Card title="Carbon neutrality (ISO 14068-1) inputs" id="iso14068">
      <p className="muted small">
        ISO 14068-1:2023 replaced PAS 2060, which is withdrawn. A Scope 3 category is significant at ≥ 1 % of
        the footprint; significant categories must be quantified in your inventory, and those left out must
        stay under 5 % together.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label className="checkbox">
          <input type="checkbox" checked={scope3} onChange={(e) => setScope3(e.target.checked)} /> Scope 3
          inside the boundary
        </label>
        <h3>Scope 3 screening</h3>
        <DataTable
          label="Scope 3 screening"
          testId="scope3-screening"
          columns={['Category', 'Estimate (kg CO₂e)', 'How estimated / why not relevant']}
          rows={CATEGORIES}
          row={(name, i) => {
            const c = i + 1;
            const q = quantified.get(c);
            const s = screening[c] ?? { kgCo2e: '', basis: '' };
            return (
              <tr key={c}>
                <td>
                  {c}. {name}
                </td>
                {q ? (
                  <td colSpan={2}>
                    In the inventory: {num(q.kgCo2e, 0)} kg ({num(q.sharePct, 2)} %)
                  </td>
                ) : (
                  <>
                    <td>
                      <input
                        aria-label={`Category ${c} estimate`}
                        inputMode="decimal"
                        value={s.kgCo2e}
                        onChange={(e) =>
                          setScreening({ ...screening, [c]: { ...s, kgCo2e: e.target.value } })
                        }
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Category ${c} basis`}
                        value={s.basis}
                        onChange={(e) => setScreening({ ...screening, [c]: { ...s, basis: e.target.value } })}
                      />
                    </td>
                  </>
                )}
              </tr>
            );
          }}
        />

        <h3>Management plan</h3>
        <div className="row">
          <Field
            label="Adopted on"
            type="date"
            value={plan.adoptedOn}
            onChange={(e) => setPlan({ ...plan, adoptedOn: e.target.value })}
          />
          <Field
            label="Reference"
            value={plan.reference}
            onChange={(e) => setPlan({ ...plan, reference: e.target.value })}
          />
        </div>
        {plan.targets.map((t, i) => (
          <div className="row" key={`t${i}`}>
            <Field
              label="Target year"
              type="number"
              value={t.targetYear}
              error={err(`managementPlan.targets[${i}].targetYear`)}
              onChange={(e) =>
                setPlan({
                  ...plan,
                  targets: plan.targets.map((x, j) => (j === i ? { ...x, targetYear: e.target.value } : x)),
                })
              }
            />
            <Field
              label="Reduction below the base year (%)"
              inputMode="decimal"
              value={t.reductionPct}
              onChange={(e) =>
                setPlan({
                  ...plan,
                  targets: plan.targets.map((x, j) => (j === i ? { ...x, reductionPct: e.target.value } : x)),
                })
              }
            />
          </div>
        ))}
        <button
          type="button"
          className="btn secondary"
          onClick={() =>
            setPlan({ ...plan, targets: [...plan.targets, { targetYear: '', reductionPct: '' }] })
          }
        >
          Add a target
        </button>
        {plan.measures.map((m, i) => (
          <div className="row" key={`m${i}`}>
            <Field
              label="Reduction measure"
              value={m.description}
              onChange={(e) =>
                setPlan({
                  ...plan,
                  measures: plan.measures.map((x, j) =>
                    j === i ? { ...x, description: e.target.value } : x,
                  ),
                })
              }
            />
            <Field
              label="Starts on"
              type="date"
              value={m.startOn}
              onChange={(e) =>
                setPlan({
                  ...plan,
                  measures: plan.measures.map((x, j) => (j === i ? { ...x, startOn: e.target.value } : x)),
                })
              }
            />
            <Field
              label="Complete by"
              type="date"
              value={m.completeBy}
              onChange={(e) =>
                setPlan({
                  ...plan,
                  measures: plan.measures.map((x, j) => (j === i ? { ...x, completeBy: e.target.value } : x)),
                })
              }
            />
          </div>
        ))}
        <button
          type="button"
          className="btn secondary"
          onClick={() =>
            setPlan({
              ...plan,
              measures: [...plan.measures, { description: '', startOn: '', completeBy: '' }],
            })
          }
        >
          Add a measure
        </button>

        <h3>Retired credits</h3>
        {offsets.map((o, i) => (
          <fieldset key={`o${i}`} data-testid={`offset-${i}`}>
            <legend>Batch {i + 1}</legend>
            <div className="row">
              <Select
                label="Registry"
                value={o.registry}
                options={(vocabulary?.registries ?? []).map((r) => ({ value: r.id, label: r.label }))}
                error={err(`offsets[${i}].registry`) ?? err('offsets')}
                onChange={(e) => setOffset(i, { registry: e.target.value })}
              />
              <Field
                label="Project id"
                value={o.projectId}
                onChange={(e) => setOffset(i, { projectId: e.target.value })}
              />
              <Field
                label="Project name"
                value={o.projectName}
                onChange={(e) => setOffset(i, { projectName: e.target.value })}
              />
            </div>
            <div className="row">
              <Select
                label="Project type"
                value={o.projectType}
                options={(vocabulary?.projectTypes ?? []).map((t) => ({
                  value: t.id,
                  label: `${t.id.replace(/_/g, ' ')}${t.avoidanceOnly ? ' (avoidance only)' : ''}`,
                }))}
                onChange={(e) => setOffset(i, { projectType: e.target.value })}
              />
              <Select
                label="Credit type"
                value={o.creditType}
                options={[
                  { value: 'removal', label: 'Removal' },
                  { value: 'avoidance', label: 'Avoidance / reduction' },
                ]}
                onChange={(e) => setOffset(i, { creditType: e.target.value })}
              />
              <Field
                label="Standard and methodology"
                value={o.standard}
                onChange={(e) => setOffset(i, { standard: e.target.value })}
              />
              <Field
                label="Vintage"
                type="number"
                value={o.vintage}
                onChange={(e) => setOffset(i, { vintage: e.target.value })}
              />
            </div>
            <div className="row">
              <Field
                label="First serial"
                value={o.serialFrom}
                error={err(`offsets[${i}].serialFrom`)}
                onChange={(e) => setOffset(i, { serialFrom: e.target.value })}
              />
              <Field
                label="Last serial"
                value={o.serialTo}
                error={err(`offsets[${i}].serialTo`)}
                onChange={(e) => setOffset(i, { serialTo: e.target.value })}
              />
              <Field
                label="Tonnes CO₂e (one per serial)"
                inputMode="decimal"
                value={o.tonnesCo2e}
                onChange={(e) => setOffset(i, { tonnesCo2e: e.target.value })}
              />
            </div>
            <div className="row">
              <Field
                label="Retired on"
                type="date"
                value={o.retiredOn}
                onChange={(e) => setOffset(i, { retiredOn: e.target.value })}
              />
              <Field
                label="Retired on behalf of"
                value={o.beneficiary}
                onChange={(e) => setOffset(i, { beneficiary: e.target.value })}
              />
            </div>
            <button
              type="button"
              className="btn secondary"
              onClick={() => setOffsets(offsets.filter((_, j) => j !== i))}
            >
              Remove batch
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn secondary"
          onClick={() => setOffsets([...offsets, emptyOffset('')])}
        >
          Add a batch of credits
        </button>
        <ErrorBox error={save.error} title="The carbon-neutrality inputs were not saved" />
        <SubmitButton busy={save.pending}>Save carbon-neutrality inputs</SubmitButton>
      </form>
    </Card>
  );
}
