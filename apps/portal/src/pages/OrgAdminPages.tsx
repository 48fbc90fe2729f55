import { useState } from 'react';
import { api } from '../api/client';
import { ORG_ROLES, type OrgRole } from '../api/models';
import { useAuth } from '../auth/auth';
import { PageHeader, canAdmin, useOrg } from '../components/Layout';
import {
  Badge,
  Card,
  CopyButton,
  Empty,
  ErrorBox,
  Field,
  Loading,
  Select,
  TableWrap,
  fieldErr,
  statusTone,
} from '../components/ui';
import { date, dateTime, humanize } from '../lib/format';
import { useAction, useAsync } from '../lib/use-async';

const ROLE_HELP: Record<OrgRole, string> = {
  owner: 'everything, including billing and deleting the organisation',
  admin: 'everything except removing the last owner: members, API keys, settings',
  member: 'sites, meters, uploads, claims',
  energy_manager: 'as a member, plus deciding on saving suggestions',
  viewer: 'read only',
};
const roleOptions = ORG_ROLES.map((r) => ({ value: r, label: humanize(r) }));

export function MembersPage() {
  const { orgId, role, org } = useOrg();
  const { me } = useAuth();
  const admin = canAdmin(role);
  const members = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/members', { path: { orgId }, signal }),
    [orgId],
  );
  const invitations = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/invitations', { path: { orgId }, signal }),
    [orgId],
    admin,
  );
  const [invite, setInvite] = useState<{ email: string; role: OrgRole }>({ email: '', role: 'member' });
  const [created, setCreated] = useState<{ email: string; token: string } | null>(null);
  const inviteAction = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/invitations', {
      path: { orgId },
      body: { email: invite.email.trim(), role: invite.role },
    });
    setCreated({ email: res.email, token: res.token });
    setInvite({ email: '', role: invite.role });
    invitations.reload();
  });
  const changeRole = useAction(async (userId: string, newRole: OrgRole) => {
    await api.patch('/api/v1/orgs/{orgId}/members/{userId}', {
      path: { orgId, userId },
      body: { role: newRole },
    });
    members.reload();
  });
  const remove = useAction(async (userId: string) => {
    await api.delete('/api/v1/orgs/{orgId}/members/{userId}', { path: { orgId, userId } });
    members.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api.delete('/api/v1/orgs/{orgId}/invitations/{invitationId}', {
      path: { orgId, invitationId: id },
    });
    invitations.reload();
  });
  const inviteLink = created
    ? `${location.origin}/signup?invitation=${encodeURIComponent(created.token)}`
    : '';

  return (
    <>
      <PageHeader
        title="Members & roles"
        subtitle={`Who can work on ${org.name}, and what each role may do.`}
      />
      <Card title="Members" id="members">
        {members.loading && !members.data ? <Loading what="Loading members" /> : null}
        <ErrorBox error={members.error} onRetry={members.reload} />
        <ErrorBox error={changeRole.error ?? remove.error} title="The change was not made" />
        {members.data ? (
          <TableWrap label="Members">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Since</th>
                  {admin ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {members.data.map((m) => (
                  <tr key={m.userId}>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td>
                      {admin ? (
                        <>
                          <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                            Role of {m.name}
                          </label>
                          <select
                            id={`role-${m.userId}`}
                            value={m.role}
                            disabled={changeRole.pending}
                            onChange={(e) => void changeRole.run(m.userId, e.target.value as OrgRole)}
                          >
                            {roleOptions.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                        </>
                      ) : (
                        humanize(m.role)
                      )}
                    </td>
                    <td>{date(m.createdAt)}</td>
                    {admin ? (
                      <td>
                        {m.userId !== me?.id ? (
                          <button
                            type="button"
                            className="btn danger small"
                            onClick={() => {
                              if (confirm(`Remove ${m.name} from ${org.name}?`)) void remove.run(m.userId);
                            }}
                          >
                            Remove
                          </button>
                        ) : (
                          <span className="muted small">you</span>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
        <details className="role-help">
          <summary>What each role may do</summary>
          <dl>
            {ORG_ROLES.map((r) => (
              <div key={r}>
                <dt>{humanize(r)}</dt>
                <dd>{ROLE_HELP[r]}</dd>
              </div>
            ))}
          </dl>
        </details>
      </Card>

      {admin ? (
        <Card title="Invite someone" id="invite">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void inviteAction.run();
            }}
            noValidate
          >
            <Field
              label="E-mail"
              type="email"
              required
              value={invite.email}
              onChange={(e) => setInvite({ ...invite, email: e.target.value })}
              error={fieldErr(inviteAction.error, 'email')}
            />
            <Select
              label="Role"
              value={invite.role}
              options={roleOptions}
              onChange={(e) => setInvite({ ...invite, role: e.target.value as OrgRole })}
            />
            <button type="submit" className="btn primary" disabled={inviteAction.pending}>
              Send invitation
            </button>
          </form>
          <ErrorBox error={inviteAction.error} title="The invitation was not sent" />
          {created ? (
            <div className="secret-box" role="status">
              <p>
                Invitation for <strong>{created.email}</strong> created and e-mailed. The link is shown{' '}
                <strong>only now</strong>; share it if the e-mail does not arrive:
              </p>
              <div className="secret-row">
                <code className="secret">{inviteLink}</code>
                <CopyButton text={inviteLink} label="Copy link" />
              </div>
            </div>
          ) : null}
          <h3>Pending and past invitations</h3>
          {invitations.loading && !invitations.data ? <Loading what="Loading invitations" /> : null}
          <ErrorBox error={invitations.error} onRetry={invitations.reload} />
          <ErrorBox error={revoke.error} />
          {invitations.data && !invitations.data.length ? <Empty title="No invitations yet." /> : null}
          {invitations.data?.length ? (
            <TableWrap label="Invitations">
              <table>
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{humanize(i.role)}</td>
                      <td>
                        <Badge tone={statusTone(i.status)}>{humanize(i.status)}</Badge>
                      </td>
                      <td>{dateTime(i.expiresAt)}</td>
                      <td>
                        {i.status === 'pending' ? (
                          <button
                            type="button"
                            className="btn secondary small"
                            onClick={() => void revoke.run(i.id)}
                          >
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}

const SCOPES = [
  { value: 'readings:write', label: 'Push meter readings (readings:write)' },
  { value: 'readings:read', label: 'Read meter readings (readings:read)' },
];

export function ApiKeysPage() {
  const { orgId, role } = useOrg();
  const keys = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/api-keys', { path: { orgId }, signal }),
    [orgId],
    canAdmin(role),
  );
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
    keys.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api.delete('/api/v1/orgs/{orgId}/api-keys/{keyId}', { path: { orgId, keyId: id } });
    keys.reload();
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
          <button type="submit" className="btn primary" disabled={create.pending}>
            Create key
          </button>
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
        {keys.data && !keys.data.length ? (
          <Empty title="No API keys yet.">
            Create one above for a device or script that sends meter readings.
          </Empty>
        ) : null}
        {keys.data?.length ? (
          <TableWrap label="API keys">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key starts</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => (
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
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </Card>
    </>
  );
}

export function SettingsPage() {
  const { orgId, role } = useOrg();
  const { refreshMe } = useAuth();
  const org = useAsync((signal) => api.get('/api/v1/orgs/{orgId}', { path: { orgId }, signal }), [orgId]);
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
    org.setData(updated);
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
            <button
              type="submit"
              className="btn primary"
              disabled={save.pending || !Object.keys(draft).length}
            >
              Save
            </button>
          ) : (
            <p className="muted">Only owners and admins can change these.</p>
          )}
        </form>
      ) : null}
    </>
  );
}
