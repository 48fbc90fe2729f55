import { useRef, useState } from 'react';
import { api, upload } from '../../api/client';
import type { components } from '../../api/schema';
import type { Meter, Site } from '../../api/types';
import { useOrg } from '../../components/Layout';
import { ActionForm, Field, Select, fieldErr, useFields } from '../../components/form';
import { useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

type BillBody = components['schemas']['CreateBillDto'];
/** The API takes a bill without meterId (commodity, site or supply address): until the types are regenerated. */
type BillRequest = Omit<BillBody, 'meterId'> & {
  meterId?: string;
  commodity?: 'electricity' | 'gas';
  siteId?: string;
  supplyAddress?: string;
};
/** Meter choices that make the meter with the bill (a bill-period meter of the site). */
const NEW_METER: Record<string, { commodity: 'electricity' | 'gas'; kind: string; label: string }> = {
  'new:electricity': {
    commodity: 'electricity',
    kind: 'electricity_import',
    label: 'Electricity (no meter set up)',
  },
  'new:gas': { commodity: 'gas', kind: 'natural_gas', label: 'Gas (no meter set up)' },
};
const NEW_SITE = 'new';
export type Bill = components['schemas']['UtilityBillView'];

/** Units a bill may be in, by meter kind (the API refuses the others). */
export const BILL_UNITS: Record<string, string[]> = {
  electricity_import: ['kWh', 'MWh'],
  natural_gas: ['kWh', 'MWh', 'therm', 'm3'],
};

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/**
 * One bill: meter (or, with no meter set up, electricity or gas: the API makes a bill-period meter, and
 * a site from the supply address when there is none), period (both days included), quantity and unit,
 * and what the bill says besides.
 */
export function BillForm({
  meters,
  sites,
  onCreated,
}: {
  meters: Meter[];
  sites: Site[];
  onCreated: (b: Bill) => void;
}) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const [f, setF, set] = useFields({
    meterId: meters[0]?.id ?? 'new:electricity',
    siteId: sites[0]?.id ?? NEW_SITE,
    supplyAddress: '',
    periodFrom: '',
    periodTo: '',
    quantity: '',
    unit: 'kWh',
    supplier: '',
    account: '',
    cost: '',
    currency: 'GBP',
    tariffName: '',
    renewableCertificate: '',
  });
  const fresh = NEW_METER[f.meterId];
  const kind = fresh?.kind ?? meters.find((m) => m.id === f.meterId)?.kind;
  const newSite = !!fresh && f.siteId === NEW_SITE;
  const create = useAction(async () => {
    const body: BillRequest = {
      ...(fresh
        ? {
            commodity: fresh.commodity,
            siteId: newSite ? undefined : f.siteId,
            supplyAddress: newSite ? optional(f.supplyAddress) : undefined,
          }
        : { meterId: f.meterId }),
      periodFrom: f.periodFrom,
      periodTo: f.periodTo,
      quantity: Number(f.quantity),
      unit: f.unit,
      supplier: optional(f.supplier),
      account: optional(f.account),
      cost: optional(f.cost) === undefined ? undefined : Number(f.cost),
      currency: optional(f.cost) === undefined ? undefined : optional(f.currency),
      tariffName: optional(f.tariffName),
      renewableCertificate: optional(f.renewableCertificate),
    };
    const bill = await api.post('/api/v1/orgs/{orgId}/bills', { path: { orgId }, body: body as BillBody });
    invalidate('/api/v1/orgs/{orgId}/bills', { orgId });
    if (fresh) {
      invalidate('/api/v1/orgs/{orgId}/meters', { orgId });
      invalidate('/api/v1/orgs/{orgId}/sites', { orgId });
      setF({ ...f, meterId: bill.meterId });
    }
    onCreated(bill);
  });
  const err = (k: string) => fieldErr(create.error, k);
  return (
    <ActionForm
      action={create}
      label="New bill"
      errorTitle="The bill was not saved"
      busyLabel="Saving…"
      submit="Save bill"
    >
      <Select
        label="Meter"
        value={f.meterId}
        options={[
          ...meters.map((m) => ({ value: m.id, label: m.name })),
          ...Object.entries(NEW_METER)
            .filter(([, n]) => !meters.some((m) => m.kind === n.kind && m.intervalMinutes === null))
            .map(([value, n]) => ({ value, label: n.label })),
        ]}
        onChange={(e) => {
          const next = NEW_METER[e.target.value]?.kind ?? meters.find((m) => m.id === e.target.value)?.kind;
          setF({ ...f, meterId: e.target.value, unit: BILL_UNITS[next ?? '']?.[0] ?? 'kWh' });
        }}
        error={err('meterId') ?? err('commodity')}
        hint={fresh ? 'A bill-period meter is made for it: the bill becomes its data.' : undefined}
      />
      {fresh && sites.length ? (
        <Select
          label="Site"
          value={f.siteId}
          options={[
            ...sites.map((s) => ({ value: s.id, label: s.name })),
            { value: NEW_SITE, label: 'A new site at the supply address' },
          ]}
          onChange={set('siteId')}
          error={err('siteId')}
        />
      ) : null}
      {newSite ? (
        <Field
          label="Supply address"
          required
          value={f.supplyAddress}
          onChange={set('supplyAddress')}
          error={err('supplyAddress') ?? err('siteId')}
          hint="As printed on the bill; the site is named after its first line."
        />
      ) : null}
      <div className="row">
        <Field
          label="From"
          type="date"
          required
          value={f.periodFrom}
          onChange={set('periodFrom')}
          error={err('periodFrom')}
        />
        <Field
          label="To (included)"
          type="date"
          required
          value={f.periodTo}
          onChange={set('periodTo')}
          error={err('periodTo')}
          hint="A period across months is split by days: each day gets an equal share."
        />
      </div>
      <div className="row">
        <Field
          label="Quantity"
          inputMode="decimal"
          required
          value={f.quantity}
          onChange={set('quantity')}
          error={err('quantity')}
        />
        <Select
          label="Unit"
          value={f.unit}
          options={(BILL_UNITS[kind ?? ''] ?? ['kWh']).map((u) => ({
            value: u,
            label: u === 'm3' ? 'm³' : u,
          }))}
          onChange={set('unit')}
          error={err('unit')}
        />
      </div>
      <div className="row">
        <Field label="Supplier" value={f.supplier} onChange={set('supplier')} error={err('supplier')} />
        <Field label="Account" value={f.account} onChange={set('account')} error={err('account')} />
      </div>
      <div className="row">
        <Field label="Cost" inputMode="decimal" value={f.cost} onChange={set('cost')} error={err('cost')} />
        <Field
          label="Currency"
          value={f.currency}
          onChange={set('currency')}
          error={err('currency')}
          maxLength={3}
        />
      </div>
      <div className="row">
        <Field label="Tariff" value={f.tariffName} onChange={set('tariffName')} error={err('tariffName')} />
        <Field
          label="Renewable-tariff certificate"
          value={f.renewableCertificate}
          onChange={set('renewableCertificate')}
          error={err('renewableCertificate')}
        />
      </div>
    </ActionForm>
  );
}

/** A CSV or XLSX of bills (one row per bill), or a Green Button billing feed of the chosen meter. All or nothing. */
export function BillFileForm({ meters, onDone }: { meters: Meter[]; onDone: (created: number) => void }) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [meterId, setMeterId] = useState('');
  const send = useAction(async () => {
    if (!file) throw new Error('Choose a file first.');
    const form = new FormData();
    if (meterId) form.append('meterId', meterId);
    form.append('file', file, file.name);
    const result = await upload('/api/v1/orgs/{orgId}/bills/file', { orgId }, form, () => undefined);
    invalidate('/api/v1/orgs/{orgId}/bills', { orgId });
    // rows without a meter may have made sites and meters
    invalidate('/api/v1/orgs/{orgId}/meters', { orgId });
    invalidate('/api/v1/orgs/{orgId}/sites', { orgId });
    setFile(null);
    if (inputRef.current) inputRef.current.value = '';
    onDone(result.created);
  });
  return (
    <ActionForm
      action={send}
      label="Bills file"
      errorTitle="No bill was saved"
      busyLabel="Uploading…"
      submit="Upload bills"
    >
      <Field
        label="Bills file"
        ref={inputRef}
        type="file"
        accept=".csv,.xlsx,.xml"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        hint="CSV or XLSX, one row per bill, columns meterId (or, without a meter, commodity: electricity or gas, and supplyAddress or siteId), periodFrom, periodTo, quantity, unit (and supplier, account, cost, currency, tariffName, renewableCertificate). A bad line refuses the whole file."
      />
      <Select
        label="Meter of a Green Button feed"
        value={meterId}
        options={[
          { value: '', label: 'Not a Green Button feed' },
          ...meters.map((m) => ({ value: m.id, label: m.name })),
        ]}
        onChange={(e) => setMeterId(e.target.value)}
      />
    </ActionForm>
  );
}
