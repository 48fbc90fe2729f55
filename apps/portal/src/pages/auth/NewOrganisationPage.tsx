import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { api } from '../../api/client';
import { ErrorBox } from '../../components/ui';
import { Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { PageHeader } from '../../components/Layout';
import { COUNTRY_OPTIONS, ZONES_BY_COUNTRY } from '../../lib/countries';

export function NewOrganisationPage() {
  const { refreshMe } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', country: 'GB', timezone: ZONES_BY_COUNTRY.GB, sector: '' });
  const action = useAction(async () => {
    const org = await api.post('/api/v1/orgs', {
      body: {
        name: form.name.trim(),
        country: form.country,
        timezone: form.timezone.trim(),
        ...(form.sector.trim() ? { sector: form.sector.trim() } : {}),
      },
    });
    await refreshMe();
    navigate(`/orgs/${org.id}`);
  });
  const err = (f: string) => fieldErr(action.error, f);
  return (
    <>
      <PageHeader
        title="New organisation"
        subtitle="For a consultant serving several businesses, or a second company of yours. You become its owner."
      />
      <form
        className="card narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
        noValidate
      >
        <Field
          label="Name"
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={err('name')}
        />
        <Select
          label="Country"
          value={form.country}
          options={COUNTRY_OPTIONS}
          onChange={(e) =>
            setForm({
              ...form,
              country: e.target.value,
              timezone: ZONES_BY_COUNTRY[e.target.value] ?? form.timezone,
            })
          }
          error={err('country')}
        />
        <Field
          label="Time zone"
          value={form.timezone}
          onChange={(e) => setForm({ ...form, timezone: e.target.value })}
          error={err('timezone')}
        />
        <Field
          label="Sector"
          value={form.sector}
          onChange={(e) => setForm({ ...form, sector: e.target.value })}
          error={err('sector')}
          hint="Optional, e.g. bakery, office, light manufacturing."
        />
        <ErrorBox error={action.error} />
        <SubmitButton busy={action.pending}>Create organisation</SubmitButton>
      </form>
    </>
  );
}
