import { useState } from 'react';
import { api } from '../../api/client';
import { ORG_ROLES, type OrgRole } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { PageHeader, canAdmin, useOrg } from '../../components/Layout';
import { Badge, Card, CopyButton, Empty, ErrorBox, Loading, statusTone } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { date, dateTime, humanize } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useInvalidate } from '../../lib/api-query';

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
  const members = useApiQuery('/api/v1/orgs/{orgId}/members', { path: { orgId } });
  const invitations = useApiQuery(
    '/api/v1/orgs/{orgId}/invitations',
    { path: { orgId } },
    { enabled: admin },
  );
  const invalidate = useInvalidate();
  const [invite, setInvite] = useState<{ email: string; role: OrgRole }>({ email: '', role: 'member' });
  const [created, setCreated] = useState<{ email: string; token: string } | null>(null);
  const inviteAction = useAction(async () => {
    const res = await api.post('/api/v1/orgs/{orgId}/invitations', {
      path: { orgId },
      body: { email: invite.email.trim(), role: invite.role },
    });
    setCreated({ email: res.email, token: res.token });
    setInvite({ email: '', role: invite.role });
    invalidate('/api/v1/orgs/{orgId}/invitations', { orgId });
  });
  const changeRole = useAction(async (userId: string, newRole: OrgRole) => {
    await api.patch('/api/v1/orgs/{orgId}/members/{userId}', {
      path: { orgId, userId },
      body: { role: newRole },
    });
    invalidate('/api/v1/orgs/{orgId}/members', { orgId });
  });
  const remove = useAction(async (userId: string) => {
    await api.delete('/api/v1/orgs/{orgId}/members/{userId}', { path: { orgId, userId } });
    invalidate('/api/v1/orgs/{orgId}/members', { orgId });
  });
  const revoke = useAction(async (id: string) => {
    await api.delete('/api/v1/orgs/{orgId}/invitations/{invitationId}', {
      path: { orgId, invitationId: id },
    });
    invalidate('/api/v1/orgs/{orgId}/invitations', { orgId });
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
        <DataTable
          label="Members"
          columns={['Name', 'E-mail', 'Role', 'Since', ...(admin ? [{ hidden: 'Actions' }] : [])]}
          rows={members.data}
          row={(m) => (
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
          )}
        />
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
            <SubmitButton busy={inviteAction.pending}>Send invitation</SubmitButton>
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
          <DataTable
            label="Invitations"
            columns={['E-mail', 'Role', 'Status', 'Expires', { hidden: 'Actions' }]}
            rows={invitations.data}
            row={(i) => (
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
            )}
            empty={<Empty title="No invitations yet." />}
          />
        </Card>
      ) : null}
    </>
  );
}
