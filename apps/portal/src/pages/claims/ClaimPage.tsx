import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, buildUrl, download, upload } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { EvidenceKind } from '../../api/types';
import { PageHeader, canDecide, canWrite, useOrg } from '../../components/Layout';
import { ClaimIso14068Form } from './ClaimIso14068Form';
import { Badge, Card, CopyButton, ErrorBox, Loading, ProgressBar, statusTone } from '../../components/ui';
import { BusyButton, Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { date, humanize } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery } from '../../lib/api-query';
import { FindingsList, Reviews, History } from './ClaimRecord';
import { EvidenceTable } from './EvidenceTable';
import { Figures } from './Figures';
import { claimLabel, EVIDENCE_KINDS, period } from './claim-labels';

export function ClaimPage() {
  const { orgId, role } = useOrg();
  const { claimId = '' } = useParams();
  const claim = useApiQuery('/api/v1/orgs/{orgId}/claims/{claimId}', { path: { orgId, claimId } });
  const transitions = useApiQuery(
    '/api/v1/orgs/{orgId}/claims/{claimId}/transitions',
    { path: { orgId, claimId } },
    { dependsOn: [claim.data?.status] },
  );
  const c = claim.data;
  const vocabulary = useApiQuery(
    '/api/v1/iso14068/vocabulary',
    {},
    { enabled: c?.type === 'carbon_neutral' },
  );
  const fileRef = useRef<HTMLInputElement>(null);
  const [ev, setEv] = useState<{ kind: EvidenceKind; description: string }>({
    kind: 'bill',
    description: '',
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [statement, setStatement] = useState('');
  useEffect(() => setStatement(c?.statement ?? ''), [c?.statement]);
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
  const saveStatement = useAction(async () => {
    claim.setData(
      await api.patch('/api/v1/orgs/{orgId}/claims/{claimId}', {
        path: { orgId, claimId },
        body: { statement: statement.trim() },
      }),
    );
  });
  const transition = useAction(async (to: 'submitted' | 'withdrawn') => {
    claim.setData(
      await api.post('/api/v1/orgs/{orgId}/claims/{claimId}/transitions', {
        path: { orgId, claimId },
        body: { to },
      }),
    );
  });
  const pdf = useAction(() =>
    download(
      buildUrl('/api/v1/orgs/{orgId}/claims/{claimId}/certificate.pdf', { orgId, claimId }),
      {},
      `${c?.certificate?.number ?? 'certificate'}.pdf`,
    ),
  );
  if (claim.loading && !c) return <Loading />;
  if (claim.error) return <ErrorBox error={claim.error} onRetry={claim.reload} />;
  if (!c) return null;
  const editable = c.status === 'draft' || c.status === 'changes_requested';
  const open = ['draft', 'submitted', 'in_review', 'changes_requested'].includes(c.status);
  const requested = c.reviews.filter((r) => r.decision === 'changes_requested').at(-1);
  return (
    <>
      <PageHeader
        title={claimLabel(c.type)}
        subtitle={
          <>
            {period(c.periodFrom, c.periodTo)} ·{' '}
            <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
            {c.certificationBody ? ` · reviewed by ${c.certificationBody.name}` : ''}
          </>
        }
      />
      <p>
        <Link to={`/orgs/${orgId}/claims`}>← Claims</Link>
      </p>
      {c.certificate ? (
        <Card title="Certificate" id="certificate">
          <p>
            Number <strong data-testid="certificate-number">{c.certificate.number}</strong> ·{' '}
            <Badge tone={statusTone(c.certificate.status)}>{humanize(c.certificate.status)}</Badge> · issued{' '}
            {date(c.certificate.issuedAt)}, valid until {date(c.certificate.validUntil)}
            {c.assuranceLevel ? ` · ${humanize(c.assuranceLevel)} assurance` : ''}
          </p>
          {c.decisionStatement ? <p className="cert-statement">“{c.decisionStatement}”</p> : null}
          <p>
            Public page:{' '}
            <Link
              to={`/verify/${encodeURIComponent(c.certificate.number)}`}
            >{`${location.origin}/verify/${c.certificate.number}`}</Link>{' '}
            <CopyButton text={`${location.origin}/verify/${c.certificate.number}`} label="Copy link" />
          </p>
          <BusyButton className="btn secondary" busy={pdf.pending} onClick={() => void pdf.run()}>
            Download certificate (PDF)
          </BusyButton>
          <ErrorBox error={pdf.error} title="The certificate could not be downloaded" />
        </Card>
      ) : null}
      {c.status === 'rejected' && c.decisionStatement ? (
        <div className="state error" role="status">
          <p className="error-title">The certifier rejected this claim</p>
          <p>{c.decisionStatement}</p>
        </div>
      ) : null}
      {c.status === 'changes_requested' && requested?.findings?.length ? (
        <Card title="Changes requested by the certifier" id="findings">
          <FindingsList findings={requested.findings} />
          <p>Answer the findings (attach documents, correct the statement), then resubmit.</p>
        </Card>
      ) : null}
      {editable && c.missing?.length ? (
        <div className="state warn" role="status" data-testid="claim-missing">
          <p className="error-title">Still needed before you can submit</p>
          <ul>
            {c.missing.map((m) => (
              <li key={m.field + m.message}>
                {m.message}
                {(m as { rule?: string }).rule ? (
                  <span className="muted small"> ({(m as { rule?: string }).rule})</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {c.type === 'carbon_neutral' && editable && canWrite(role) ? (
        <ClaimIso14068Form
          claim={c}
          orgId={orgId}
          vocabulary={vocabulary.data}
          onSaved={(x) => claim.setData(x)}
        />
      ) : null}
      <div className="grid two">
        <Card
          title={editable ? 'Figures (live from your inventory)' : 'Figures (locked at submission)'}
          id="figures"
        >
          <Figures figures={c.figures} />
          {c.evidenceSha256 ? (
            <p className="small">
              Evidence snapshot SHA-256: <code className="hash">{c.evidenceSha256}</code>
            </p>
          ) : null}
        </Card>
        <div>
          <Card title="Claim statement" id="statement">
            {editable && canWrite(role) ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void saveStatement.run();
                }}
              >
                <Field
                  label="Claim statement"
                  value={statement}
                  onChange={(e) => setStatement(e.target.value)}
                  error={fieldErr(saveStatement.error, 'statement')}
                  hint="Printed on the certificate. Generated from the figures until you change it."
                />
                <ErrorBox error={saveStatement.error} title="The statement was not saved" />
                <SubmitButton
                  className="btn secondary"
                  busy={saveStatement.pending}
                  disabled={!statement.trim() || statement === c.statement}
                >
                  Save statement
                </SubmitButton>
              </form>
            ) : (
              <p className="cert-statement">“{c.statement ?? '–'}”</p>
            )}
          </Card>
          <Card title="Evidence" id="evidence">
            {c.evidence.length ? (
              <EvidenceTable
                evidence={c.evidence}
                fileUrl={(e) =>
                  buildUrl('/api/v1/orgs/{orgId}/claims/{claimId}/evidence/{evidenceId}', {
                    orgId,
                    claimId,
                    evidenceId: e.id,
                  })
                }
              />
            ) : (
              <p className="muted">
                No documents attached. Halve’s own snapshot (inventory, emission factors, meter data hashes)
                is always included.
              </p>
            )}
            {editable && canWrite(role) ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void attach.run();
                }}
              >
                <Field
                  label="Document to attach"
                  id="evidence-file"
                  ref={fileRef}
                  type="file"
                  accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx"
                  hint="PDF, PNG, JPEG, CSV or XLSX (checked by content), up to 25 MB."
                />
                <div className="row">
                  <Select
                    label="Kind"
                    value={ev.kind}
                    options={EVIDENCE_KINDS}
                    onChange={(e) => setEv({ ...ev, kind: e.target.value as EvidenceKind })}
                  />
                  <Field
                    label="Description"
                    value={ev.description}
                    onChange={(e) => setEv({ ...ev, description: e.target.value })}
                  />
                </div>
                {progress !== null ? <ProgressBar value={progress} label="Evidence upload" /> : null}
                <ErrorBox error={attach.error} title="The document was not attached" />
                <SubmitButton className="btn secondary" busy={attach.pending}>
                  Attach
                </SubmitButton>
              </form>
            ) : null}
          </Card>
        </div>
      </div>
      {canDecide(role) && open ? (
        <div className="button-row">
          {c.status === 'draft' ? (
            <BusyButton busy={transition.pending} onClick={() => void transition.run('submitted')}>
              Submit for certification
            </BusyButton>
          ) : null}
          {c.status === 'changes_requested' ? (
            <BusyButton busy={transition.pending} onClick={() => void transition.run('submitted')}>
              Resubmit
            </BusyButton>
          ) : null}
          <BusyButton
            className="btn secondary"
            busy={transition.pending}
            onClick={() => {
              if (confirm('Withdraw this claim? It cannot be decided afterwards.'))
                void transition.run('withdrawn');
            }}
          >
            Withdraw
          </BusyButton>
        </div>
      ) : null}
      {canWrite(role) && !canDecide(role) && c.status === 'draft' ? (
        <p className="muted">An owner, admin or energy manager of the organisation submits the claim.</p>
      ) : null}
      <ErrorBox
        error={transition.error}
        title={
          transition.error instanceof ApiError && transition.error.status === 422
            ? 'The claim cannot be submitted yet'
            : 'The claim was not updated'
        }
      />
      <Reviews reviews={c.reviews} />
      <History transitions={transitions.data ?? []} />
    </>
  );
}

// ---- certifier ----
