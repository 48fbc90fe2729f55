import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, publicGet, upload } from '../api/client';
import { ApiError } from '../api/errors';
import type { ClaimType, PublicCertificate } from '../api/models';
import { PageHeader, canWrite, useOrg } from '../components/Layout';
import {
  Badge,
  Card,
  CopyButton,
  Empty,
  ErrorBox,
  Field,
  Loading,
  ProgressBar,
  Select,
  TableWrap,
  fieldErr,
  isMissingEndpoint,
  statusTone,
} from '../components/ui';
import { date, dateTime, humanize, num } from '../lib/format';
import { useAction, useAsync } from '../lib/use-async';

export const CLAIM_TYPES: { value: ClaimType; label: string; help: string }[] = [
  {
    value: 'renewable_share',
    label: 'Renewable electricity share',
    help: 'On-site generation self-consumed plus valid certificates, over total electricity.',
  },
  {
    value: 'emission_reduction',
    label: 'Emission reduction against the base year',
    help: 'Scopes 1+2 (optionally 3), absolute or intensity.',
  },
  {
    value: 'verified_savings',
    label: 'Verified energy savings',
    help: 'From measured-and-verified measures.',
  },
  {
    value: 'carbon_neutral',
    label: 'Carbon neutrality (ISO 14068-1)',
    help: 'Inventory, reductions, a management plan and retired offsets covering the residual.',
  },
];
const claimLabel = (t: string) => CLAIM_TYPES.find((c) => c.value === t)?.label ?? humanize(t);
const EVIDENCE_KINDS = [
  'bill',
  'meter_export',
  'certificate',
  'retirement_receipt',
  'management_plan',
  'other',
].map((k) => ({ value: k, label: humanize(k) }));

function Figures({ figures }: { figures?: Record<string, unknown> }) {
  if (!figures || !Object.keys(figures).length)
    return <p className="muted">The figures are computed when the claim is created.</p>;
  return (
    <dl className="kv">
      {Object.entries(figures).map(([k, v]) => (
        <div key={k}>
          <dt>{humanize(k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())}</dt>
          <dd>
            {typeof v === 'number' ? (
              num(v, 3)
            ) : typeof v === 'object' ? (
              <code className="small">{JSON.stringify(v)}</code>
            ) : (
              String(v)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ClaimsPage() {
  const { orgId, role } = useOrg();
  const navigate = useNavigate();
  const claims = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/claims', { path: { orgId }, signal }),
    [orgId],
  );
  const bodies = useAsync((signal) => api.get('/api/v1/certification-bodies', { signal }), []);
  const year = new Date().getFullYear() - 1;
  const [f, setF] = useState({
    type: 'renewable_share' as ClaimType,
    periodFrom: `${year}-01-01`,
    periodTo: `${year + 1}-01-01`,
    certificationBodyId: '',
  });
  const create = useAction(async () => {
    const bodyId = f.certificationBodyId || bodies.data?.[0]?.id;
    if (!bodyId) throw new Error('Choose the certification body that will review the claim.');
    const claim = await api.post('/api/v1/orgs/{orgId}/claims', {
      path: { orgId },
      body: { type: f.type, periodFrom: f.periodFrom, periodTo: f.periodTo, certificationBodyId: bodyId },
    });
    navigate(`/orgs/${orgId}/claims/${claim.id}`);
  });
  const missing = isMissingEndpoint(claims.error);
  const bodyOptions = (bodies.data ?? [])
    .filter((b) => !b.claimTypes || b.claimTypes.includes(f.type))
    .map((b) => ({ value: b.id, label: b.name }));
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
                onChange={(e) => setF({ ...f, periodFrom: e.target.value })}
                error={fieldErr(create.error, 'periodFrom')}
              />
              <Field
                label="Period to (exclusive)"
                type="date"
                value={f.periodTo}
                onChange={(e) => setF({ ...f, periodTo: e.target.value })}
                error={fieldErr(create.error, 'periodTo')}
              />
            </div>
            {bodies.data && !bodyOptions.length ? (
              <p className="muted">No certification body accepts this type of claim yet.</p>
            ) : null}
            {bodyOptions.length ? (
              <Select
                label="Certification body"
                value={f.certificationBodyId || bodyOptions[0].value}
                options={bodyOptions}
                onChange={(e) => setF({ ...f, certificationBodyId: e.target.value })}
                error={fieldErr(create.error, 'certificationBodyId')}
              />
            ) : null}
            <ErrorBox error={create.error} title="The claim was not created" />
            <button type="submit" className="btn primary" disabled={create.pending}>
              Create draft claim
            </button>
          </form>
        </Card>
      ) : null}
      <Card title="Your claims" id="claims">
        {claims.loading && !claims.data ? <Loading /> : null}
        {!missing ? <ErrorBox error={claims.error} onRetry={claims.reload} /> : null}
        {claims.data && !claims.data.length ? <Empty title="No claims yet." /> : null}
        {claims.data?.length ? (
          <TableWrap label="Claims">
            <table>
              <thead>
                <tr>
                  <th scope="col">Claim</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                  <th scope="col">Certificate</th>
                </tr>
              </thead>
              <tbody>
                {claims.data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/orgs/${orgId}/claims/${c.id}`}>{claimLabel(c.type)}</Link>
                    </td>
                    <td>
                      {date(c.periodFrom)} – {date(c.periodTo)}
                    </td>
                    <td>
                      <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
                    </td>
                    <td>
                      {c.certificate ? (
                        <Link to={`/verify/${encodeURIComponent(c.certificate.number)}`}>
                          {c.certificate.number}
                        </Link>
                      ) : (
                        '–'
                      )}
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

export function ClaimPage() {
  const { orgId, role } = useOrg();
  const { claimId = '' } = useParams();
  const claim = useAsync(
    (signal) => api.get('/api/v1/orgs/{orgId}/claims/{claimId}', { path: { orgId, claimId }, signal }),
    [orgId, claimId],
  );
  const c = claim.data;
  const fileRef = useRef<HTMLInputElement>(null);
  const [ev, setEv] = useState({ kind: 'bill', description: '' });
  const [progress, setProgress] = useState<number | null>(null);
  const attach = useAction(async () => {
    const file = fileRef.current?.files?.[0];
    if (!file) throw new Error('Choose a file to attach.');
    const form = new FormData();
    form.append('kind', ev.kind);
    if (ev.description.trim()) form.append('description', ev.description.trim());
    form.append('file', file, file.name);
    setProgress(0);
    try {
      await upload('/api/v1/orgs/{orgId}/claims/{claimId}/evidence', { orgId, claimId }, form, setProgress);
    } finally {
      setProgress(null);
    }
    if (fileRef.current) fileRef.current.value = '';
    claim.reload();
  });
  const transition = useAction(async (to: 'submitted' | 'withdrawn' | 'resubmitted') => {
    await api.post('/api/v1/orgs/{orgId}/claims/{claimId}/transitions', {
      path: { orgId, claimId },
      body: { to },
    });
    claim.reload();
  });
  if (claim.loading && !c) return <Loading />;
  if (claim.error) return <ErrorBox error={claim.error} onRetry={claim.reload} />;
  if (!c) return null;
  const editable = c.status === 'draft' || c.status === 'changes_requested';
  return (
    <>
      <PageHeader
        title={claimLabel(c.type)}
        subtitle={
          <>
            {date(c.periodFrom)} – {date(c.periodTo)} ·{' '}
            <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
          </>
        }
      />
      <p>
        <Link to={`/orgs/${orgId}/claims`}>← Claims</Link>
      </p>
      {c.certificate ? (
        <Card title="Certificate" id="certificate">
          <p>
            Number <strong>{c.certificate.number}</strong> ·{' '}
            <Badge tone={statusTone(c.certificate.status)}>{humanize(c.certificate.status)}</Badge> · valid
            until {date(c.certificate.validUntil)}
          </p>
          <p>
            Public page:{' '}
            <Link
              to={`/verify/${encodeURIComponent(c.certificate.number)}`}
            >{`${location.origin}/verify/${c.certificate.number}`}</Link>{' '}
            <CopyButton text={`${location.origin}/verify/${c.certificate.number}`} label="Copy link" />
          </p>
        </Card>
      ) : null}
      <div className="grid two">
        <Card title="Figures" id="figures">
          <Figures figures={c.figures} />
          {c.evidenceSha256 ? (
            <p className="small">
              Evidence snapshot SHA-256: <code className="hash">{c.evidenceSha256}</code>
            </p>
          ) : null}
        </Card>
        <Card title="Evidence" id="evidence">
          {c.evidence?.length ? (
            <ul>
              {c.evidence.map((e) => (
                <li key={e.id}>
                  {humanize(e.kind)}: {e.fileName ?? e.description ?? e.id}{' '}
                  {e.sha256 ? <code className="small">{e.sha256.slice(0, 12)}…</code> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No documents attached. The system's own snapshot is always included.</p>
          )}
          {editable && canWrite(role) ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void attach.run();
              }}
            >
              <div className="field">
                <label htmlFor="evidence-file">Document</label>
                <input
                  id="evidence-file"
                  ref={fileRef}
                  type="file"
                  accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx"
                />
                <div className="hint">PDF, image, CSV or XLSX, up to 25 MB.</div>
              </div>
              <div className="row">
                <Select
                  label="Kind"
                  value={ev.kind}
                  options={EVIDENCE_KINDS}
                  onChange={(e) => setEv({ ...ev, kind: e.target.value })}
                />
                <Field
                  label="Description"
                  value={ev.description}
                  onChange={(e) => setEv({ ...ev, description: e.target.value })}
                />
              </div>
              {progress !== null ? <ProgressBar value={progress} label="Evidence upload" /> : null}
              <ErrorBox error={attach.error} title="The document was not attached" />
              <button type="submit" className="btn secondary" disabled={attach.pending}>
                Attach
              </button>
            </form>
          ) : null}
        </Card>
      </div>
      {c.findings?.length ? (
        <Card title="Findings from the certifier" id="findings">
          <ul>
            {c.findings.map((f, i) => (
              <li key={f.id ?? i}>
                <Badge tone={f.severity === 'major' || f.severity === 'high' ? 'bad' : 'warn'}>
                  {humanize(f.severity)}
                </Badge>{' '}
                {f.message ?? f.text}
              </li>
            ))}
          </ul>
          {c.status === 'changes_requested' ? (
            <p>Answer the findings (attach documents above), then resubmit.</p>
          ) : null}
        </Card>
      ) : null}
      {canWrite(role) ? (
        <div className="button-row">
          {c.status === 'draft' ? (
            <button
              type="button"
              className="btn primary"
              disabled={transition.pending}
              onClick={() => void transition.run('submitted')}
            >
              Submit for certification
            </button>
          ) : null}
          {c.status === 'changes_requested' ? (
            <button
              type="button"
              className="btn primary"
              disabled={transition.pending}
              onClick={() => void transition.run('submitted')}
            >
              Resubmit
            </button>
          ) : null}
          {['draft', 'submitted', 'in_review', 'changes_requested', 'resubmitted'].includes(c.status) ? (
            <button
              type="button"
              className="btn secondary"
              disabled={transition.pending}
              onClick={() => {
                if (confirm('Withdraw this claim? It cannot be decided afterwards.'))
                  void transition.run('withdrawn');
              }}
            >
              Withdraw
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorBox
        error={transition.error}
        title={
          transition.error instanceof ApiError && transition.error.status === 422
            ? 'The claim cannot be submitted yet'
            : 'The claim was not updated'
        }
      />
    </>
  );
}

// ---- certifier ----

export function CertifierQueuePage() {
  const { bodyId = '' } = useParams();
  const queue = useAsync(
    (signal) => api.get('/api/v1/certification-bodies/{bodyId}/claims', { path: { bodyId }, signal }),
    [bodyId],
  );
  return (
    <>
      <PageHeader title="Certifier queue" subtitle="Claims submitted to your certification body." />
      {queue.loading && !queue.data ? <Loading /> : null}
      {isMissingEndpoint(queue.error) ? (
        <Empty title="The certifier queue is not available on this server yet." />
      ) : (
        <ErrorBox error={queue.error} onRetry={queue.reload} />
      )}
      {queue.data && !queue.data.length ? <Empty title="No claims waiting." /> : null}
      {queue.data?.length ? (
        <TableWrap label="Claims submitted">
          <table data-testid="certifier-queue">
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Claim</th>
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((c) => (
                <tr key={c.id}>
                  <td>{c.organizationName ?? '–'}</td>
                  <td>
                    <Link to={`/certifier/${bodyId}/claims/${c.id}`}>{claimLabel(c.type)}</Link>
                  </td>
                  <td>
                    {date(c.periodFrom)} – {date(c.periodTo)}
                  </td>
                  <td>
                    <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
                  </td>
                  <td>{dateTime(c.submittedAt ?? c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

export function CertifierClaimPage() {
  const { bodyId = '', claimId = '' } = useParams();
  const claim = useAsync(
    (signal) =>
      api.get('/api/v1/certification-bodies/{bodyId}/claims/{claimId}', {
        path: { bodyId, claimId },
        signal,
      }),
    [bodyId, claimId],
  );
  const c = claim.data;
  const [statement, setStatement] = useState('');
  const [assurance, setAssurance] = useState<'limited' | 'reasonable'>('limited');
  const [finding, setFinding] = useState({ severity: 'minor', message: '' });
  const [revokeReason, setRevokeReason] = useState('');
  const act = useAction(async (to: 'in_review' | 'changes_requested' | 'approved' | 'rejected') => {
    const body: {
      to: typeof to;
      statement?: string;
      findings?: { severity: string; message: string }[];
      assuranceLevel?: 'limited' | 'reasonable';
    } = { to };
    if (to === 'approved' || to === 'rejected') {
      body.statement = statement.trim();
      if (to === 'approved') body.assuranceLevel = assurance;
    }
    if (to === 'changes_requested')
      body.findings = [{ severity: finding.severity, message: finding.message.trim() }];
    await api.post('/api/v1/certification-bodies/{bodyId}/claims/{claimId}/transitions', {
      path: { bodyId, claimId },
      body,
    });
    claim.reload();
  });
  const revoke = useAction(async () => {
    await api.post('/api/v1/certification-bodies/{bodyId}/certificates/{number}/revoke', {
      path: { bodyId, number: c!.certificate!.number },
      body: { reason: revokeReason.trim() },
    });
    claim.reload();
  });
  if (claim.loading && !c) return <Loading />;
  if (claim.error) return <ErrorBox error={claim.error} onRetry={claim.reload} />;
  if (!c) return null;
  const reviewing = c.status === 'in_review';
  return (
    <>
      <PageHeader
        title={`${claimLabel(c.type)}${c.organizationName ? ` — ${c.organizationName}` : ''}`}
        subtitle={
          <>
            {date(c.periodFrom)} – {date(c.periodTo)} ·{' '}
            <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
          </>
        }
      />
      <p>
        <Link to={`/certifier/${bodyId}`}>← Queue</Link>
      </p>
      <div className="grid two">
        <Card title="Evidence snapshot" id="snapshot">
          <Figures figures={c.figures} />
          {c.evidenceSha256 ? (
            <p className="small">
              SHA-256: <code className="hash">{c.evidenceSha256}</code>
            </p>
          ) : null}
          {c.evidence?.length ? (
            <ul>
              {c.evidence.map((e) => (
                <li key={e.id}>
                  {humanize(e.kind)}: {e.fileName ?? e.description ?? e.id}
                </li>
              ))}
            </ul>
          ) : null}
        </Card>
        <Card title="Checklist" id="checklist">
          {c.checklist?.length ? (
            <ul className="checklist">
              {c.checklist.map((item, i) => {
                const ok = item.ok ?? item.checked;
                return (
                  <li key={item.key ?? i}>
                    <span aria-hidden="true">{ok === true ? '✔' : ok === false ? '✘' : '○'}</span>{' '}
                    {item.label ?? item.item ?? humanize(item.key ?? '')}
                    {item.note ? <span className="muted small"> — {item.note}</span> : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="muted">No checklist was returned for this claim type.</p>
          )}
        </Card>
      </div>
      <Card title="Decision" id="decision">
        {c.status === 'submitted' || c.status === 'resubmitted' ? (
          <button
            type="button"
            className="btn primary"
            disabled={act.pending}
            onClick={() => void act.run('in_review')}
          >
            Take into review
          </button>
        ) : null}
        {reviewing ? (
          <>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act.run('approved');
              }}
            >
              <Field
                label="Statement"
                required
                value={statement}
                onChange={(e) => setStatement(e.target.value)}
                error={fieldErr(act.error, 'statement')}
                hint="Printed on the certificate, e.g. “42 % of electricity from renewable sources in 2025”."
              />
              <Select
                label="Assurance level"
                value={assurance}
                options={[
                  { value: 'limited', label: 'Limited' },
                  { value: 'reasonable', label: 'Reasonable' },
                ]}
                onChange={(e) => setAssurance(e.target.value as 'limited' | 'reasonable')}
              />
              <div className="button-row">
                <button type="submit" className="btn primary" disabled={act.pending || !statement.trim()}>
                  Approve and issue certificate
                </button>
                <button
                  type="button"
                  className="btn danger"
                  disabled={act.pending || !statement.trim()}
                  onClick={() => void act.run('rejected')}
                >
                  Reject
                </button>
              </div>
            </form>
            <form
              className="subform"
              onSubmit={(e) => {
                e.preventDefault();
                void act.run('changes_requested');
              }}
            >
              <h3>Request changes</h3>
              <div className="row">
                <Select
                  label="Severity"
                  value={finding.severity}
                  options={['minor', 'major', 'observation'].map((s) => ({ value: s, label: humanize(s) }))}
                  onChange={(e) => setFinding({ ...finding, severity: e.target.value })}
                />
                <Field
                  label="Finding"
                  required
                  value={finding.message}
                  onChange={(e) => setFinding({ ...finding, message: e.target.value })}
                />
              </div>
              <button
                type="submit"
                className="btn secondary"
                disabled={act.pending || !finding.message.trim()}
              >
                Send findings
              </button>
            </form>
          </>
        ) : null}
        {c.certificate ? (
          <>
            <p>
              Certificate{' '}
              <Link to={`/verify/${encodeURIComponent(c.certificate.number)}`}>{c.certificate.number}</Link>{' '}
              <Badge tone={statusTone(c.certificate.status)}>{humanize(c.certificate.status)}</Badge>
            </p>
            {c.certificate.status === 'valid' ? (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void revoke.run();
                }}
              >
                <Field
                  label="Reason for revoking"
                  value={revokeReason}
                  onChange={(e) => setRevokeReason(e.target.value)}
                />
                <button
                  type="submit"
                  className="btn danger"
                  disabled={revoke.pending || !revokeReason.trim()}
                >
                  Revoke certificate
                </button>
              </form>
            ) : null}
            <ErrorBox error={revoke.error} />
          </>
        ) : null}
        <ErrorBox error={act.error} title="The decision was not recorded" />
      </Card>
    </>
  );
}

// ---- public verification ----

export function VerifyPage() {
  const { number } = useParams();
  const navigate = useNavigate();
  const [input, setInput] = useState(number ?? '');
  const cert = useAsync(
    () => publicGet<PublicCertificate>(`/api/v1/verify/${encodeURIComponent(number!)}`),
    [number],
    !!number,
  );
  const c = cert.data;
  const body = c
    ? typeof c.certificationBody === 'string'
      ? c.certificationBody
      : c.certificationBody.name
    : '';
  const notFound =
    cert.error instanceof ApiError && cert.error.status === 404 && !isMissingEndpoint(cert.error);
  return (
    <div className="public-page">
      <header className="public-header">
        <Link to="/" className="brand">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <circle cx="16" cy="16" r="15" fill="#14532d" />
            <path d="M16 1a15 15 0 0 1 0 30z" fill="#4ade80" />
          </svg>
          <span>Halve</span>
        </Link>
      </header>
      <main id="main" className="public-main">
        <h1>Verify a certificate</h1>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (input.trim()) navigate(`/verify/${encodeURIComponent(input.trim())}`);
          }}
        >
          <Field label="Certificate number" value={input} onChange={(e) => setInput(e.target.value)} />
          <button type="submit" className="btn primary">
            Verify
          </button>
        </form>
        {cert.loading ? <Loading what="Checking the register" /> : null}
        {notFound ? (
          <div className="state error" role="alert" data-testid="verify-result" data-status="not_found">
            <p>
              <strong>No certificate with the number “{number}” exists.</strong> Check the number on the
              document; if it is right, the certificate is not genuine.
            </p>
          </div>
        ) : isMissingEndpoint(cert.error) ? (
          <Empty title="Certificate verification is not available on this server yet." />
        ) : cert.error ? (
          <ErrorBox error={cert.error} onRetry={cert.reload} />
        ) : null}
        {c ? (
          <section
            className={`certificate ${c.status}`}
            data-testid="verify-result"
            data-status={c.status}
            aria-labelledby="cert-status"
          >
            <p id="cert-status" className="cert-status">
              {c.status === 'valid'
                ? '✔ Valid certificate'
                : c.status === 'revoked'
                  ? '✘ Revoked certificate'
                  : '⚠ Expired certificate'}
            </p>
            <p className="cert-statement">“{c.statement}”</p>
            <dl className="kv">
              <dt>Number</dt>
              <dd>{c.number ?? number}</dd>
              <dt>Period</dt>
              <dd>
                {date(c.periodFrom)} – {date(c.periodTo)}
              </dd>
              <dt>Certified by</dt>
              <dd>{body}</dd>
              <dt>Issued</dt>
              <dd>{date(c.issuedAt)}</dd>
              <dt>Valid until</dt>
              <dd>{date(c.validUntil)}</dd>
              {c.revokedAt ? (
                <>
                  <dt>Revoked</dt>
                  <dd>
                    {date(c.revokedAt)}
                    {c.revocationReason ? `: ${c.revocationReason}` : ''}
                  </dd>
                </>
              ) : null}
              <dt>Evidence SHA-256</dt>
              <dd>
                <code className="hash">{c.evidenceSha256}</code>
              </dd>
            </dl>
            <p className="muted small">
              The evidence hash identifies the locked snapshot of figures and documents the certifier
              reviewed.
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}
