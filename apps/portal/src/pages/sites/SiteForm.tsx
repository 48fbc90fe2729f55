import { api } from '../../api/client';
import type { Site } from '../../api/types';
import type { components } from '../../api/schema';
import { useOrg } from '../../components/Layout';
import { ActionForm, Field, fieldErr, Select, useFields } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { useInvalidate } from '../../lib/api-query';
import { COUNTRY_OPTIONS, ZONES_BY_COUNTRY } from '../../lib/countries';
import { num0 } from './number-input';

type SiteBody = components['schemas']['CreateSiteDto'];
export function SiteForm({ onCreated }: { onCreated: (site: Site) => void }) {
  const { orgId, org, currency } = useOrg();
  const [f, setF, set] = useFields({
    name: '',
    country: org.country ?? 'GB',
    timezone: org.timezone ?? ZONES_BY_COUNTRY.GB,
    address: '',
    latitude: '',
    longitude: '',
    gridRegion: '',
    floorAreaM2: '',
    pricePerKwh: '',
  });
  const invalidate = useInvalidate();
  const create = useAction(async () => {
    const body: SiteBody = { name: f.name.trim(), country: f.country, timezone: f.timezone.trim() };
    if (f.address.trim()) body.address = f.address.trim();
    if (num0(f.latitude) !== undefined) body.latitude = num0(f.latitude);
    if (num0(f.longitude) !== undefined) body.longitude = num0(f.longitude);
    if (f.gridRegion.trim()) body.gridRegion = f.gridRegion.trim();
    if (num0(f.floorAreaM2) !== undefined) body.floorAreaM2 = num0(f.floorAreaM2);
    if (num0(f.pricePerKwh) !== undefined)
      body.tariff = { type: 'flat', currency, pricePerKwh: num0(f.pricePerKwh) };
    const site = await api.post('/api/v1/orgs/{orgId}/sites', { path: { orgId }, body });
    invalidate('/api/v1/orgs/{orgId}/sites', { orgId });
    onCreated(site);
  });
  const err = (k: string) => fieldErr(create.error, k);
  return (
    <ActionForm
      action={create}
      label="New site"
      errorTitle="The site was not created"
      busyLabel="Creating…"
      submit="Create site"
    >
      <Field
        label="Site name"
        required
        value={f.name}
        onChange={set('name')}
        error={err('name')}
        placeholder="e.g. Main bakery"
      />
      <div className="row">
        <Select
          label="Country"
          value={f.country}
          options={COUNTRY_OPTIONS}
          onChange={(e) =>
            setF({ ...f, country: e.target.value, timezone: ZONES_BY_COUNTRY[e.target.value] ?? f.timezone })
          }
          error={err('country')}
        />
        <Field
          label="Time zone"
          required
          value={f.timezone}
          onChange={set('timezone')}
          error={err('timezone')}
          hint="Meter files in local time are read in this zone."
        />
      </div>
      <Field label="Address" value={f.address} onChange={set('address')} error={err('address')} />
      <div className="row">
        <Field
          label="Latitude"
          inputMode="decimal"
          value={f.latitude}
          onChange={set('latitude')}
          error={err('latitude')}
          hint="For solar forecasts, e.g. 51.5"
        />
        <Field
          label="Longitude"
          inputMode="decimal"
          value={f.longitude}
          onChange={set('longitude')}
          error={err('longitude')}
          hint="e.g. -0.12"
        />
      </div>
      <div className="row">
        <Field
          label="Grid region"
          value={f.gridRegion}
          onChange={set('gridRegion')}
          error={err('gridRegion')}
          hint="Leave empty for the country's grid; eGRID subregion in the US (e.g. CAMX)"
        />
        <Field
          label="Floor area (m²)"
          inputMode="decimal"
          value={f.floorAreaM2}
          onChange={set('floorAreaM2')}
          error={err('floorAreaM2')}
        />
      </div>
      <Field
        label={`Electricity price (${currency} per kWh)`}
        inputMode="decimal"
        value={f.pricePerKwh}
        onChange={set('pricePerKwh')}
        error={err('tariff') ?? err('tariff.pricePerKwh')}
        hint="Optional flat tariff; used to put money on savings."
      />
    </ActionForm>
  );
}
