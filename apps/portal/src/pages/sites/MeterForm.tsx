import { api } from '../../api/client';
import type { Meter, MeterKind } from '../../api/types';
import type { components } from '../../api/schema';
import { useOrg } from '../../components/Layout';
import { ActionForm, Field, fieldErr, Select, useFields } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { useInvalidate } from '../../lib/api-query';
import { METER_KINDS, INTERVALS } from './meter-kinds';
import { num0 } from './number-input';

type MeterBody = components['schemas']['CreateMeterDto'];

export function MeterForm({ siteId, onCreated }: { siteId: string; onCreated: (m: Meter) => void }) {
  const { orgId } = useOrg();
  const [f, setF, set] = useFields({
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
  const invalidate = useInvalidate();
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
    const meter = await api.post('/api/v1/orgs/{orgId}/meters', { path: { orgId }, body });
    invalidate('/api/v1/orgs/{orgId}/meters', { orgId });
    onCreated(meter);
  });
  const err = (k: string) => fieldErr(create.error, k);
  return (
    <ActionForm
      action={create}
      label="New meter"
      errorTitle="The meter was not created"
      busyLabel="Creating…"
      submit="Create meter"
    >
      <Field
        label="Meter name"
        required
        value={f.name}
        onChange={set('name')}
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
          onChange={set('unit')}
          error={err('unit')}
        />
      </div>
      <div className="row">
        <Select
          label="Reading interval"
          value={f.interval}
          options={INTERVALS}
          onChange={set('interval')}
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
            onChange={set('capacityKw')}
            error={err('capacityKw')}
          />
          {f.kind === 'pv_generation' ? (
            <>
              <Field
                label="Tilt (°)"
                inputMode="decimal"
                value={f.tiltDeg}
                onChange={set('tiltDeg')}
                error={err('tiltDeg')}
              />
              <Field
                label="Azimuth (°, 180 = south)"
                inputMode="decimal"
                value={f.azimuthDeg}
                onChange={set('azimuthDeg')}
                error={err('azimuthDeg')}
              />
            </>
          ) : null}
        </div>
      ) : null}
    </ActionForm>
  );
}
