import { useState } from 'react';
import { api } from '../../api/client';
import { PageHeader, canAdmin, useOrg } from '../../components/Layout';
import { Badge, Card, CopyButton, Empty, ErrorBox, Loading } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { Field, fieldErr, SubmitButton } from '../../components/form';
import { date, dateTime } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useInvalidate } from '../../lib/api-query';

const SCOPES = [
  { value: 'readings:write', label: 'Push meter readings (readings:write)' },
  { value: 'readings:read', label: 'Read meter readings (readings:read)' },
];

export function ApiKeysPage() {
  const { orgId, role } = useOrg();
  const keys = useApiQuery('/api/v1/orgs/{orgId}/api-keys', { path: { orgId } }, { enabled: canAdmin(role) });
  const invalidate = useInvalidate();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['readings:write']);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const create = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/api-keys', {
      path: { orgId },
      body: { name: name.trim(), scopes: scopes as ('readings:write' | 'readings:read')[] },
    });
    setShown({ name: res.name, key: res.key });
    setName('');
    invalidate('/api/v1/orgs/{orgId}/api-keys', { orgId });
  });
  const revoke = useAction(async (id: string) => {
    await api.delete('/api/v1/orgs/{orgId}/api-keys/{keyId}', { path: { orgId, keyId: id } });
    invalidate('/api/v1/orgs/{orgId}/api-keys', { orgId });
  });
  if (!canAdmin(role))
    return (
      <ErrorBox
        error={
          new Error(
            'Only owners and admins can manage API keys. Ask one of them if a meter gateway needs a key.',
          )
        }
      />
    );
  return (
    <>
      <PageHeader
        title="API keys"
        subtitle="For meter gateways and scripts that push readings (header X-Api-Key). A key is shown once; Halve stores only its hash."
      />
      <Card title="Create a key" id="create-key">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
          noValidate
        >
          <Field
            label="Name"
            required
            placeholder="e.g. Meter gateway, main building"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErr(create.error, 'name')}
          />
          <fieldset className="checks">
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s.value} className="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(s.value)}
                  onChange={(e) =>
                    setScopes(e.target.checked ? [...scopes, s.value] : scopes.filter((x) => x !== s.value))
                  }
                />{' '}
                {s.label}
              </label>
            ))}
            {fieldErr(create.error, 'scopes') ? (
              <div className="field-error">{fieldErr(create.error, 'scopes')}</div>
            ) : null}
          </fieldset>
          <ErrorBox error={create.error} title="The key was not created" />
          <SubmitButton busy={create.pending}>Create key</SubmitButton>
        </form>
        {shown ? (
          <div className="secret-box" role="status" data-testid="new-api-key">
            <p>
              <strong>Copy the key for “{shown.name}” now.</strong> It will not be shown again; if it is lost,
              revoke it and create another.
            </p>
            <div className="secret-row">
              <code className="secret">{shown.key}</code>
              <CopyButton text={shown.key} label="Copy key" />
            </div>
            <button type="button" className="btn secondary small" onClick={() => setShown(null)}>
              I have stored it
            </button>
          </div>
        ) : null}
      </Card>
      <Card title="Keys" id="keys">
        {keys.loading && !keys.data ? <Loading what="Loading keys" /> : null}
        <ErrorBox error={keys.error} onRetry={keys.reload} />
        <ErrorBox error={revoke.error} />
        <DataTable
          label="API keys"
          columns={['Name', 'Key starts', 'Scopes', 'Created', 'Last used', 'Status', { hidden: 'Actions' }]}
          rows={keys.data}
          row={(k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{date(k.createdAt)}</td>
              <td>{k.lastUsedAt ? dateTime(k.lastUsedAt) : 'never'}</td>
              <td>
                {k.revokedAt ? (
                  <Badge tone="bad">Revoked {date(k.revokedAt)}</Badge>
                ) : (
                  <Badge tone="good">Active</Badge>
                )}
              </td>
              <td>
                {!k.revokedAt ? (
                  <button
                    type="button"
                    className="btn danger small"
                    onClick={() => {
                      if (confirm(`Revoke “${k.name}”? Devices using it stop working at once.`))
                        void revoke.run(k.id);
                    }}
                  >
                    Revoke
                  </button>
                ) : null}
              </td>
            </tr>
          )}
          empty={
            <Empty title="No API keys yet.">
              Create one above for a device or script that sends meter readings.
            </Empty>
          }
        />
      </Card>
    </>
  );
}
