import { useOrg } from '../../components/Layout';
import { ActionForm, Field, Select, fieldErr, useFields } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { saveStarterProfile, type StarterProfile, type StarterProfileBody } from './starter-api';

const SCHEMES = [
  { value: 'nace', label: 'NACE Rev.2' },
  { value: 'uk_sic', label: 'UK SIC 2007' },
  { value: 'naics', label: 'NAICS 2017' },
];
const CURRENCIES = ['GBP', 'EUR', 'USD'].map((c) => ({ value: c, label: c }));

/** The profile of the starter estimate: sector code, employees, revenue, floor area, country, year. */
export function StarterProfileForm({
  profile,
  onSaved,
}: {
  profile: StarterProfile | null;
  onSaved: (p: StarterProfile) => void;
}) {
  const { orgId, org, currency } = useOrg();
  const [f, , set] = useFields({
    sectorScheme: profile?.sectorScheme ?? 'nace',
    sectorCode: profile?.sectorCode ?? '',
    employees: profile ? String(profile.employees) : '',
    annualRevenue: profile?.annualRevenue ?? '',
    currency: profile?.currency ?? (['GBP', 'EUR', 'USD'].includes(currency) ? currency : 'GBP'),
    floorAreaM2: profile?.floorAreaM2 ?? '',
    country: profile?.country ?? org.country ?? 'GB',
    year: String(profile?.year ?? new Date().getFullYear() - 1),
  });
  const save = useAction(async () => {
    const saved = await saveStarterProfile(orgId, {
      sectorScheme: f.sectorScheme as StarterProfile['sectorScheme'],
      sectorCode: f.sectorCode.trim(),
      employees: Number(f.employees),
      annualRevenue: f.annualRevenue.trim(),
      currency: f.currency as StarterProfileBody['currency'],
      floorAreaM2: f.floorAreaM2.trim(),
      country: f.country.trim().toUpperCase(),
      year: Number(f.year),
    });
    onSaved(saved);
  });
  const err = (field: string) => fieldErr(save.error, field);
  return (
    <ActionForm
      action={save}
      submit="Save profile"
      errorTitle="The profile was not saved"
      label="Starter profile"
    >
      <div className="grid cards">
        <Select
          label="Sector code system"
          options={SCHEMES}
          value={f.sectorScheme}
          onChange={set('sectorScheme')}
          error={err('sectorScheme')}
        />
        <Field
          label="Sector code"
          hint="e.g. NACE 62.01, UK SIC 62012, NAICS 541511"
          value={f.sectorCode}
          onChange={set('sectorCode')}
          error={err('sectorCode')}
        />
        <Field
          label="Employees"
          inputMode="numeric"
          value={f.employees}
          onChange={set('employees')}
          error={err('employees')}
        />
        <Field
          label="Annual revenue"
          inputMode="decimal"
          value={f.annualRevenue}
          onChange={set('annualRevenue')}
          error={err('annualRevenue')}
        />
        <Select
          label="Currency"
          options={CURRENCIES}
          value={f.currency}
          onChange={set('currency')}
          error={err('currency')}
        />
        <Field
          label="Floor area (m²)"
          inputMode="decimal"
          value={f.floorAreaM2}
          onChange={set('floorAreaM2')}
          error={err('floorAreaM2')}
        />
        <Field label="Country" value={f.country} onChange={set('country')} error={err('country')} />
        <Field
          label="Year of the figures"
          inputMode="numeric"
          value={f.year}
          onChange={set('year')}
          error={err('year')}
        />
      </div>
    </ActionForm>
  );
}
