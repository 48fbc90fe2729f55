import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import type { ClaimType } from '../../api/types';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Badge, Card, Empty, ErrorBox, Loading, isMissingEndpoint, statusTone } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { humanize } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useDataQuery } from '../../lib/api-query';
import { dataYears } from '../dashboard/monthly';
import { CLAIM_TYPES, claimLabel, period } from './claim-labels';

export function ClaimsPage() {
  const { orgId, role, timezone } = useOrg();
  const navigate = useNavigate();
  const claims = useApiQuery('/api/v1/orgs/{orgId}/claims', { path: { orgId } });
  const bodies = useApiQuery('/api/v1/certification-bodies', undefined);
  const lastYear = new Date().getFullYear() - 1;
  const [f, setF] = useState({
    type: 'renewable_share' as ClaimType,
    periodFrom: `${lastYear}-01-01`,
    periodTo: `${lastYear + 1}-01-01`,
    certificationBodyId: '',
    baseYear: '',
  });
  // The default period is the latest calendar year with readings (the dashboard's year), not last
  // year: an organisation whose data stops earlier would otherwise draft a claim over no data.
  const years = useDataQuery(['query:data-years', { orgId }, timezone], (signal) =>
    dataYears(orgId, timezone, signal).catch(() => null),
  );
  const [periodEdited, setPeriodEdited] = useState(false);
  const dataYear = years.data && years.data.last <= lastYear ? years.data.last : null;
  useEffect(() => {
    if (periodEdited || dataYear === null) return;
    setF((prev) => ({ ...prev, periodFrom: `${dataYear}-01-01`, periodTo: `${dataYear + 1}-01-01` }));
  }, [dataYear, periodEdited]);
  const bodyOptions = (bodies.data ?? [])
    .filter((b) => !b.claimTypes || b.claimTypes.includes(f.type))
    .map((b) => ({ value: b.id, label: b.name }));
  const bodyId = bodyOptions.some((o) => o.value === f.certificationBodyId)
    ? f.certificationBodyId
    : bodyOptions[0]?.value;
  const withBaseYear = f.type === 'emission_reduction' || f.type === 'carbon_neutral';
  const create = useAction(async () => {
    if (!bodyId)
      throw new Error(
        'No certification body accepts this type of claim yet, so it cannot be drafted. Choose another type, or ask Halve support to add a body.',
      );
    const claim = await api.post('/api/v1/orgs/{orgId}/claims', {
      path: { orgId },
      body: {
        type: f.type,
        periodFrom: f.periodFrom,
        periodTo: f.periodTo,
        certificationBodyId: bodyId,
        ...(withBaseYear && f.baseYear.trim() ? { baseYear: Number(f.baseYear) } : {}),
      },
    });
    navigate(`/orgs/${orgId}/claims/${claim.id}`);
  });
  const missing = isMissingEndpoint(claims.error);
  const bodyName = (id: string) => bodies.data?.find((b) => b.id === id)?.name ?? '–';
  return (
    <>
      <PageHeader
        title="Claims"
        subtitle="Low-carbon claims reviewed by an independent certifier. Each rests on a locked, hashed snapshot of your numbers."
      />
      {missing ? <Empty title="Claims are not available on this server yet." /> : null}
      {canWrite(role) && !missing ? (
        <Card title="New claim" id="new-claim">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void create.run();
            }}
            noValidate
          >
            <Select
              label="Type of claim"
              value={f.type}
              options={CLAIM_TYPES.map((c) => ({ value: c.value, label: c.label }))}
              onChange={(e) => setF({ ...f, type: e.target.value as ClaimType })}
              error={fieldErr(create.error, 'type')}
              hint={CLAIM_TYPES.find((c) => c.value === f.type)?.help}
            />
            <div className="row">
              <Field
                label="Period from"
                type="date"
                value={f.periodFrom}
                onChange={(e) => {
                  setPeriodEdited(true);
                  setF({ ...f, periodFrom: e.target.value });
                }}
                error={fieldErr(create.error, 'periodFrom')}
              />
              <Field
                label="Period to (exclusive)"
                type="date"
                value={f.periodTo}
                onChange={(e) => {
                  setPeriodEdited(true);
                  setF({ ...f, periodTo: e.target.value });
                }}
                error={fieldErr(create.error, 'periodTo')}
                hint="The day after the period ends, e.g. 1 January for a calendar year."
              />
              {withBaseYear ? (
                <Field
                  label="Base year"
                  type="number"
                  inputMode="numeric"
                  placeholder="the organisation’s"
                  value={f.baseYear}
                  onChange={(e) => setF({ ...f, baseYear: e.target.value })}
                  error={fieldErr(create.error, 'baseYear')}
                  hint="Empty: the base year in your organisation’s settings."
                />
              ) : null}
            </div>
            {bodies.data && !bodyOptions.length ? (
              <p className="muted">No certification body accepts this type of claim yet.</p>
            ) : null}
            {bodyOptions.length ? (
              <Select
                label="Certification body"
                value={bodyId}
                options={bodyOptions}
                onChange={(e) => setF({ ...f, certificationBodyId: e.target.value })}
                error={fieldErr(create.error, 'certificationBodyId')}
              />
            ) : null}
            <ErrorBox error={create.error} title="The claim was not created" />
            <SubmitButton busy={create.pending}>Create draft claim</SubmitButton>
          </form>
        </Card>
      ) : null}
      <Card title="Your claims" id="claims">
        {claims.loading && !claims.data ? <Loading /> : null}
        {!missing ? <ErrorBox error={claims.error} onRetry={claims.reload} /> : null}
        <DataTable
          label="Claims"
          testId="claims-table"
          columns={['Claim', 'Period', 'Certification body', 'Status', 'Certificate']}
          rows={claims.data}
          row={(c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/orgs/${orgId}/claims/${c.id}`}>{claimLabel(c.type)}</Link>
              </td>
              <td>{period(c.periodFrom, c.periodTo)}</td>
              <td>{bodyName(c.certificationBodyId)}</td>
              <td>
                <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
              </td>
              <td>
                {c.certificateNumber ? (
                  <Link to={`/verify/${encodeURIComponent(c.certificateNumber)}`}>{c.certificateNumber}</Link>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          )}
          empty={<Empty title="No claims yet." />}
        />
      </Card>
    </>
  );
}
