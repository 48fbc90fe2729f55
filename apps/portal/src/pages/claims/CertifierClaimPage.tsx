import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { AssuranceLevel, ChecklistItem, Finding } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { Badge, Card, ErrorBox, Loading, statusTone } from '../../components/ui';
import { BusyButton, Field, fieldErr, Select, SubmitButton } from '../../components/form';
import { date, dateTime, humanize } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery } from '../../lib/api-query';
import { ActivityReceipts } from './ActivityReceipts';
import { Reviews, History } from './ClaimRecord';
import { Snapshot } from './Snapshot';
import { claimLabel, period } from './claim-labels';

type Confirmation = 'auto' | 'yes' | 'no';
const RESULT_MARK: Record<string, string> = { pass: '✔', fail: '✘', 'n/a': '–' };

export function CertifierClaimPage() {
  const { bodyId = '', claimId = '' } = useParams();
  const claim = useApiQuery('/api/v1/certification-bodies/{bodyId}/claims/{claimId}', {
    path: { bodyId, claimId },
  });
  const c = claim.data;
  const [statement, setStatement] = useState('');
  useEffect(
    () => setStatement(c?.decisionStatement ?? c?.statement ?? ''),
    [c?.statement, c?.decisionStatement],
  );
  const [assurance, setAssurance] = useState<AssuranceLevel>('limited');
  const [confirmations, setConfirmations] = useState<Record<string, Confirmation>>({});
  const [finding, setFinding] = useState<Finding>({ severity: 'minor', text: '', item: '' });
  const [revokeReason, setRevokeReason] = useState('');
  const act = useAction(async (to: 'in_review' | 'changes_requested' | 'approved' | 'rejected') => {
    const checklist: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(confirmations)) if (v !== 'auto') checklist[k] = v === 'yes';
    const body: {
      to: typeof to;
      statement?: string;
      findings?: Finding[];
      assuranceLevel?: AssuranceLevel;
      checklist?: Record<string, never>;
    } = { to };
    if (to === 'approved' || to === 'rejected') {
      if (to === 'rejected' && !statement.trim())
        throw new Error('Say in the statement why the claim is rejected; the organisation reads it.');
      if (statement.trim()) body.statement = statement.trim();
      if (to === 'approved') body.assuranceLevel = assurance;
    }
    if (to !== 'in_review' && Object.keys(checklist).length)
      body.checklist = checklist as Record<string, never>;
    if (to === 'changes_requested')
      body.findings = [
        {
          severity: finding.severity,
          text: finding.text.trim(),
          ...(finding.item ? { item: finding.item } : {}),
        },
      ];
    claim.setData(
      await api.post('/api/v1/certification-bodies/{bodyId}/claims/{claimId}/transitions', {
        path: { bodyId, claimId },
        body,
      }),
    );
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
  const openReview = reviewing ? c.reviews.find((r) => !r.decision) : undefined;
  const lastDecided = [...c.reviews].reverse().find((r) => r.decision);
  const reviewed = new Map<string, ChecklistItem>(
    (openReview?.checklist ?? lastDecided?.checklist ?? []).map((i) => [i.key, i]),
  );
  return (
    <>
      <PageHeader
        title={`${claimLabel(c.type)}${c.organizationName ? ` — ${c.organizationName}` : ''}`}
        subtitle={
          <>
            {period(c.periodFrom, c.periodTo)} ·{' '}
            <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
            {c.submissionCount > 1 ? ` · submission ${c.submissionCount}` : ''}
          </>
        }
      />
      <p>
        <Link to={`/certifier/${bodyId}`}>← Queue</Link>
      </p>
      <div className="grid two">
        <Snapshot c={c} bodyId={bodyId} />
        <Card title="Checklist" id="checklist">
          {c.checklist.length ? (
            <ul className="checklist" data-testid="checklist">
              {c.checklist.map((item) => {
                const r = reviewed.get(item.key);
                const result = r?.result ?? item.auto;
                return (
                  <li key={item.key} data-result={result}>
                    <span className={`mark ${result === 'fail' ? 'bad' : result === 'pass' ? 'good' : ''}`}>
                      {RESULT_MARK[result] ?? '○'}
                    </span>{' '}
                    <strong>{item.label}</strong>
                    <div className="muted small">
                      {item.detail} (automatic check: {item.auto})
                      {r?.confirmed !== null && r?.confirmed !== undefined
                        ? ` · certifier: ${r.confirmed ? 'confirmed met' : 'not met'}`
                        : ''}
                    </div>
                    {reviewing ? (
                      <Select
                        label="Your check"
                        aria-label={`Your check: ${item.label}`}
                        value={confirmations[item.key] ?? 'auto'}
                        options={[
                          { value: 'auto', label: `Keep the automatic result (${item.auto})` },
                          { value: 'yes', label: 'Confirmed met' },
                          { value: 'no', label: 'Not met' },
                        ]}
                        onChange={(e) =>
                          setConfirmations({ ...confirmations, [item.key]: e.target.value as Confirmation })
                        }
                        error={fieldErr(act.error, `checklist.${item.key}`)}
                      />
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="muted">This claim type has no checklist.</p>
          )}
        </Card>
      </div>
      <ActivityReceipts bodyId={bodyId} claimId={c.id} />
      <Card title="Decision" id="decision">
        {c.status === 'submitted' ? (
          <>
            <p>
              Taking the claim into review records you as its reviewer; the organisation is told of the
              decision.
            </p>
            <BusyButton busy={act.pending} onClick={() => void act.run('in_review')}>
              Take into review
            </BusyButton>
          </>
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
                value={statement}
                onChange={(e) => setStatement(e.target.value)}
                error={fieldErr(act.error, 'statement')}
                hint="Approving: printed on the certificate (the claim’s own statement if you leave it). Rejecting: why."
              />
              <Select
                label="Assurance level"
                value={assurance}
                options={[
                  { value: 'limited', label: 'Limited' },
                  { value: 'reasonable', label: 'Reasonable' },
                ]}
                onChange={(e) => setAssurance(e.target.value as AssuranceLevel)}
                error={fieldErr(act.error, 'assuranceLevel')}
              />
              <div className="button-row">
                <SubmitButton busy={act.pending}>Approve and issue certificate</SubmitButton>
                <BusyButton
                  className="btn danger"
                  busy={act.pending}
                  onClick={() => void act.run('rejected')}
                >
                  Reject
                </BusyButton>
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
                  onChange={(e) =>
                    setFinding({ ...finding, severity: e.target.value as Finding['severity'] })
                  }
                />
                <Select
                  label="Concerns"
                  value={finding.item ?? ''}
                  options={[
                    { value: '', label: 'The claim as a whole' },
                    ...c.checklist.map((i) => ({ value: i.key, label: i.label })),
                  ]}
                  onChange={(e) => setFinding({ ...finding, item: e.target.value })}
                />
              </div>
              <Field
                label="Finding"
                value={finding.text}
                onChange={(e) => setFinding({ ...finding, text: e.target.value })}
                error={fieldErr(act.error, 'findings')}
              />
              <SubmitButton className="btn secondary" busy={act.pending} disabled={!finding.text.trim()}>
                Send findings
              </SubmitButton>
            </form>
          </>
        ) : null}
        {c.status === 'changes_requested' ? (
          <p>Changes were requested; the claim comes back to the queue when the organisation resubmits it.</p>
        ) : null}
        {c.status === 'withdrawn' ? <p>The organisation withdrew this claim.</p> : null}
        {c.status === 'rejected' ? (
          <p>
            Rejected {dateTime(c.decidedAt)}: {c.decisionStatement}
          </p>
        ) : null}
        {c.certificate ? (
          <>
            <p>
              Certificate{' '}
              <Link to={`/verify/${encodeURIComponent(c.certificate.number)}`} data-testid="certificate-link">
                {c.certificate.number}
              </Link>{' '}
              <Badge tone={statusTone(c.certificate.status)}>{humanize(c.certificate.status)}</Badge> · valid
              until {date(c.certificate.validUntil)} · {humanize(c.certificate.assuranceLevel)} assurance
            </p>
            {c.certificate.statement ? <p className="cert-statement">“{c.certificate.statement}”</p> : null}
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
                  error={fieldErr(revoke.error, 'reason')}
                />
                <SubmitButton className="btn danger" busy={revoke.pending} disabled={!revokeReason.trim()}>
                  Revoke certificate
                </SubmitButton>
              </form>
            ) : c.certificate.revocationReason ? (
              <p>Revoked: {c.certificate.revocationReason}</p>
            ) : null}
            <ErrorBox error={revoke.error} title="The certificate was not revoked" />
          </>
        ) : null}
        <ErrorBox error={act.error} title="The decision was not recorded" />
      </Card>
      <Reviews reviews={c.reviews} />
      <History transitions={c.transitions} />
    </>
  );
}

// ---- public verification ----
