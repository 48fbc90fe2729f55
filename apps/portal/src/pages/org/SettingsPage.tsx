import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth/auth';
import { PageHeader, canAdmin, useOrg } from '../../components/Layout';
import { ErrorBox, Loading } from '../../components/ui';
import { Field, fieldErr, SubmitButton } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { useApiQuery } from '../../lib/api-query';

export function SettingsPage() {
  const { orgId, role } = useOrg();
  const { refreshMe } = useAuth();
  const org = useApiQuery('/api/v1/orgs/{orgId}', { path: { orgId } });
  const [draft, setDraft] = useState<Record<string, string>>({});
  const value = (k: string) =>
    draft[k] ?? String((org.data as Record<string, unknown> | undefined)?.[k] ?? '');
  const save = useAction(async () => {
    const body: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(draft)) {
      if (v === '') continue;
      body[k] = k === 'baseYear' || k === 'fiscalYearStartMonth' ? Number(v) : v;
    }
    const updated = await api.patch('/api/v1/orgs/{orgId}', { path: { orgId }, body });
    if (org.data) org.setData({ ...org.data, ...updated });
    setDraft({});
    await refreshMe();
  });
  const err = (f: string) => fieldErr(save.error, f);
  const set = (k: string) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value });
  return (
    <>
      <PageHeader title="Organisation settings" />
      {org.loading && !org.data ? <Loading /> : null}
      <ErrorBox error={org.error} onRetry={org.reload} />
      {org.data ? (
        <form
          className="card narrow"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}
          noValidate
        >
          <fieldset disabled={!canAdmin(role)}>
            <Field label="Name" value={value('name')} onChange={set('name')} error={err('name')} />
            <div className="row">
              <Field
                label="Country"
                value={value('country')}
                onChange={set('country')}
                error={err('country')}
                hint="Two letters, e.g. GB"
              />
              <Field
                label="Grid region"
                value={value('gridRegion')}
                onChange={set('gridRegion')}
                error={err('gridRegion')}
                hint="GB, an eGRID subregion such as CAMX, or CN-East"
              />
            </div>
            <div className="row">
              <Field
                label="Time zone"
                value={value('timezone')}
                onChange={set('timezone')}
                error={err('timezone')}
              />
              <Field
                label="Currency"
                value={value('currency')}
                onChange={set('currency')}
                error={err('currency')}
              />
            </div>
            <div className="row">
              <Field
                label="Base year"
                inputMode="numeric"
                value={value('baseYear')}
                onChange={set('baseYear')}
                error={err('baseYear')}
              />
              <Field
                label="Fiscal year starts in month"
                inputMode="numeric"
                value={value('fiscalYearStartMonth')}
                onChange={set('fiscalYearStartMonth')}
                error={err('fiscalYearStartMonth')}
                hint="1 = January"
              />
            </div>
            <Field label="Sector" value={value('sector')} onChange={set('sector')} error={err('sector')} />
          </fieldset>
          <ErrorBox error={save.error} title="The settings were not saved" />
          {canAdmin(role) ? (
            <SubmitButton busy={save.pending} disabled={!Object.keys(draft).length}>
              Save
            </SubmitButton>
          ) : (
            <p className="muted">Only owners and admins can change these.</p>
          )}
        </form>
      ) : null}
    </>
  );
}
