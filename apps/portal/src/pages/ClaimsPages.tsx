import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, buildUrl, download, publicGet, upload } from '../api/client';
import { ApiError } from '../api/errors';
import type {
  AssuranceLevel,
  BodyClaim,
  ChecklistItem,
  ClaimReview,
  ClaimStatus,
  ClaimTransition,
  ClaimType,
  EvidenceDocument,
  EvidenceKind,
  Finding,
  PublicCertificate,
} from '../api/models';
import { PageHeader, canDecide, canWrite, useOrg } from '../components/Layout';
import { ClaimIso14068Form } from './ClaimIso14068Form';
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
import { addDays, date, dateTime, humanize, num } from '../lib/format';
import { useAction, useAsync } from '../lib/use-async';

export const CLAIM_TYPES: { value: ClaimType; label: string; help: string }[] = [
  {
    value: 'renewable_share',
    label: 'Renewable electricity share',
    help: 'On-site generation self-consumed plus retired certificates (REGOs, GOs), over total electricity. Attach the certificates’ redemption statements.',
  },
  {
    value: 'emission_reduction',
    label: 'Emission reduction against the base year',
    help: 'Scopes 1 and 2 (optionally 3) of the period against the same months of the base year, from your carbon inventory.',
  },
  {
    value: 'verified_savings',
    label: 'Verified energy savings',
    help: 'Savings of measures checked by measurement and verification (M&V) reports.',
  },
  {
    value: 'carbon_neutral',
    label: 'Carbon neutrality (ISO 14068-1)',
    help: 'Inventory, reductions, a management plan and retired offsets covering the residual emissions.',
  },
];
const claimLabel = (t: string) => CLAIM_TYPES.find((c) => c.value === t)?.label ?? humanize(t);
const EVIDENCE_KINDS: { value: EvidenceKind; label: string }[] = [
  { value: 'bill', label: 'Energy bill' },
  { value: 'meter_export', label: 'Meter data export' },
  { value: 'certificate', label: 'Certificate (REGO, GO) or redemption statement' },
  { value: 'retirement_receipt', label: 'Offset retirement receipt' },
  { value: 'management_plan', label: 'Carbon management plan' },
  { value: 'other', label: 'Other document' },
];
const kindLabel = (k: string) => EVIDENCE_KINDS.find((e) => e.value === k)?.label ?? humanize(k);

/** "1 Jan 2025 – 31 Dec 2025": the API's periods end exclusively, people read them inclusively. */
export function period(from: string, to: string): string {
  return `${date(from)} – ${date(addDays(to, -1))}`;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${num(bytes / 1024 / 1024, 1)} MB`;
  if (bytes >= 1024) return `${num(bytes / 1024, 0)} kB`;
  return `${bytes} B`;
}

// ---- figures ----

const UNIT_SUFFIXES: [RegExp, string][] = [
  [/KgCo2e$/, ' (kg CO₂e)'],
  [/Kwh$/, ' (kWh)'],
  [/Mwh$/, ' (MWh)'],
  [/Pct$/, ' (%)'],
  [/TonnesCo2e$/, ' (t CO₂e)'],
];
/** `renewableSharePct` → "Renewable share (%)". */
function figureLabel(key: string): string {
  let unit = '';
  let k = key;
  for (const [re, u] of UNIT_SUFFIXES)
    if (re.test(k)) {
      k = k.replace(re, '');
      unit = u;
      break;
    }
  const words = k
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bco2e\b/g, 'CO₂e')
    .replace(/\bscope(\d)/g, 'Scope $1');
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

function FigureValue({ value, name = '' }: { value: unknown; name?: string }): ReactNode {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number' && /year/i.test(name)) return String(value);
  if (typeof value === 'number') return num(value, Math.abs(value) < 100 ? 2 : 0);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return date(value);
  if (typeof value === 'string' && /method|basis/i.test(name)) return humanize(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.join(', ');
    return (
      <ul className="figure-list">
        {value.map((v, i) => (
          <li key={i}>
            <FigureValue value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') return <Figures figures={value as Record<string, unknown>} nested />;
  return String(value);
}

// The headline figure first, then the rest in a reading order (the stored snapshot sorts its keys).
const FIGURE_ORDER = [
  'renewableSharePct',
  'reductionPct',
  'reductionKgCo2e',
  'from',
  'current',
  'base',
  'baseYear',
  'basePeriod',
  'to',
  'scope1KgCo2e',
  'scope2KgCo2e',
  'scope3KgCo2e',
  'totalKgCo2e',
];
const figureRank = (k: string) => {
  const i = FIGURE_ORDER.indexOf(k);
  return i < 0 ? FIGURE_ORDER.length : i;
};

function Figures({ figures, nested }: { figures?: Record<string, unknown> | null; nested?: boolean }) {
  if (!figures || !Object.keys(figures).length)
    return <p className="muted">No figures yet: they come from your carbon inventory for the period.</p>;
  const entries = Object.entries(figures).sort(([a], [b]) => figureRank(a) - figureRank(b));
  return (
    <dl className={nested ? 'kv nested' : 'kv'} data-testid={nested ? undefined : 'claim-figures'}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{figureLabel(k)}</dt>
          <dd>
            <FigureValue value={v} name={k} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={i}>
          <Badge tone={f.severity === 'major' ? 'bad' : f.severity === 'minor' ? 'warn' : 'info'}>
            {humanize(f.severity)}
          </Badge>{' '}
          {f.text}
          {f.item ? <span className="muted small"> ({humanize(f.item)})</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Reviews({ reviews }: { reviews: ClaimReview[] }) {
  const decided = reviews.filter((r) => r.decision);
  if (!decided.length) return null;
  return (
    <Card title="Certifier’s reviews" id="reviews">
      {decided.map((r) => (
        <div key={r.id} className="review">
          <p>
            <Badge tone={statusTone(r.decision ?? '')}>{humanize(r.decision)}</Badge>{' '}
            <span className="muted small">
              submission {r.submission} · {dateTime(r.decidedAt)}
              {r.assuranceLevel ? ` · ${humanize(r.assuranceLevel)} assurance` : ''}
            </span>
          </p>
          {r.statement ? <p className="cert-statement">“{r.statement}”</p> : null}
          {r.findings?.length ? <FindingsList findings={r.findings} /> : null}
        </div>
      ))}
    </Card>
  );
}

function History({ transitions }: { transitions: ClaimTransition[] }) {
  if (!transitions.length) return null;
  return (
    <Card title="History" id="history">
      <ol className="history">
        {transitions.map((t) => (
          <li key={t.id}>
            <span className="muted small">{dateTime(t.at)}</span> {humanize(t.from)} →{' '}
            <strong>{humanize(t.to)}</strong>{' '}
            <span className="muted small">
              by {t.actorKind === 'certifier' ? 'the certifier' : 'the organisation'}
            </span>
            {t.reason ? <div className="small">“{t.reason}”</div> : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function EvidenceTable({
  evidence,
  fileUrl,
}: {
  evidence: EvidenceDocument[];
  fileUrl: (e: EvidenceDocument) => string;
}) {
  const get = useAction((e: EvidenceDocument) => download(fileUrl(e), {}, e.filename));
  return (
    <>
      <TableWrap label="Documents">
        <table data-testid="evidence-table">
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e) => (
              <tr key={e.id}>
                <td>
                  <button type="button" className="link-button" onClick={() => void get.run(e)}>
                    {e.filename}
                  </button>
                  {e.description ? <div className="muted small">{e.description}</div> : null}
                </td>
                <td>{kindLabel(e.kind)}</td>
                <td className="num">{size(e.sizeBytes)}</td>
                <td>
                  <code className="small" title={e.sha256}>
                    {e.sha256.slice(0, 12)}…
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ErrorBox error={get.error} title="The document could not be downloaded" />
    </>
  );
}

// ---- organisation: claims ----

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
    baseYear: '',
  });
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
                onChange={(e) => setF({ ...f, periodFrom: e.target.value })}
                error={fieldErr(create.error, 'periodFrom')}
              />
              <Field
                label="Period to (exclusive)"
                type="date"
                value={f.periodTo}
                onChange={(e) => setF({ ...f, periodTo: e.target.value })}
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
            <table data-testid="claims-table">
              <thead>
                <tr>
                  <th scope="col">Claim</th>
                  <th scope="col">Period</th>
                  <th scope="col">Certification body</th>
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
                    <td>{period(c.periodFrom, c.periodTo)}</td>
                    <td>{bodyName(c.certificationBodyId)}</td>
                    <td>
                      <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
                    </td>
                    <td>
                      {c.certificateNumber ? (
                        <Link to={`/verify/${encodeURIComponent(c.certificateNumber)}`}>
                          {c.certificateNumber}
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
  const transitions = useAsync(
    (signal) =>
      api.get('/api/v1/orgs/{orgId}/claims/{claimId}/transitions', { path: { orgId, claimId }, signal }),
    [orgId, claimId, claim.data?.status],
  );
  const c = claim.data;
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
          <button
            type="button"
            className="btn secondary"
            disabled={pdf.pending}
            onClick={() => void pdf.run()}
          >
            Download certificate (PDF)
          </button>
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
        <ClaimIso14068Form claim={c} orgId={orgId} onSaved={(x) => claim.setData(x)} />
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
                <button
                  type="submit"
                  className="btn secondary"
                  disabled={saveStatement.pending || !statement.trim() || statement === c.statement}
                >
                  Save statement
                </button>
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
                <div className="field">
                  <label htmlFor="evidence-file">Document to attach</label>
                  <input
                    id="evidence-file"
                    ref={fileRef}
                    type="file"
                    accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx"
                  />
                  <div className="hint">PDF, PNG, JPEG, CSV or XLSX (checked by content), up to 25 MB.</div>
                </div>
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
                <button type="submit" className="btn secondary" disabled={attach.pending}>
                  Attach
                </button>
              </form>
            ) : null}
          </Card>
        </div>
      </div>
      {canDecide(role) && open ? (
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

export function CertifierQueuePage() {
  const { bodyId = '' } = useParams();
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const queue = useAsync(
    (signal) =>
      api.get('/api/v1/certification-bodies/{bodyId}/claims', {
        path: { bodyId },
        query: { status: status || undefined },
        signal,
      }),
    [bodyId, status],
  );
  const certificates = useAsync(
    (signal) => api.get('/api/v1/certification-bodies/{bodyId}/certificates', { path: { bodyId }, signal }),
    [bodyId],
  );
  return (
    <>
      <PageHeader title="Certifier queue" subtitle="Claims submitted to your certification body." />
      <Card
        title="Claims"
        id="queue"
        actions={
          <Select
            label="Status"
            value={status}
            options={[
              { value: '', label: 'All' },
              ...['submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn'].map(
                (s) => ({ value: s, label: humanize(s) }),
              ),
            ]}
            onChange={(e) => setStatus(e.target.value as ClaimStatus | '')}
          />
        }
      >
        {queue.loading && !queue.data ? <Loading /> : null}
        {isMissingEndpoint(queue.error) ? (
          <Empty title="The certifier queue is not available on this server yet." />
        ) : (
          <ErrorBox error={queue.error} onRetry={queue.reload} />
        )}
        {queue.data && !queue.data.length ? (
          <Empty
            title={status ? `No claims ${humanize(status).toLowerCase()}.` : 'No claims submitted yet.'}
          />
        ) : null}
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
                      {c.statement ? <div className="muted small">{c.statement}</div> : null}
                    </td>
                    <td>{period(c.periodFrom, c.periodTo)}</td>
                    <td>
                      <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
                      {c.submissionCount > 1 ? (
                        <div className="muted small">submission {c.submissionCount}</div>
                      ) : null}
                    </td>
                    <td>{dateTime(c.submittedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </Card>
      <Card title="Certificates issued" id="certificates">
        <ErrorBox error={certificates.error} onRetry={certificates.reload} />
        {certificates.data && !certificates.data.length ? (
          <Empty title="No certificates issued yet." />
        ) : null}
        {certificates.data?.length ? (
          <TableWrap label="Certificates">
            <table>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Claim</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                  <th scope="col">Valid until</th>
                </tr>
              </thead>
              <tbody>
                {certificates.data.map((x) => (
                  <tr key={x.number}>
                    <td>
                      <Link to={`/verify/${encodeURIComponent(x.number)}`}>{x.number}</Link>
                    </td>
                    <td>{claimLabel(x.claimType)}</td>
                    <td>{period(x.periodFrom, x.periodTo)}</td>
                    <td>
                      <Badge tone={statusTone(x.status)}>{humanize(x.status)}</Badge>
                    </td>
                    <td>{date(x.validUntil)}</td>
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

type Confirmation = 'auto' | 'yes' | 'no';
const RESULT_MARK: Record<string, string> = { pass: '✔', fail: '✘', 'n/a': '–' };

function Snapshot({ c, bodyId }: { c: BodyClaim; bodyId: string }) {
  const s = c.snapshot;
  const meters = s?.meterData ?? [];
  return (
    <Card title="Evidence snapshot" id="snapshot">
      {c.statement ? <p className="cert-statement">“{c.statement}”</p> : null}
      <Figures figures={c.figures} />
      {c.evidenceSha256 ? (
        <p className="small">
          SHA-256 of the snapshot: <code className="hash">{c.evidenceSha256}</code>
        </p>
      ) : null}
      <ul className="small">
        {s?.inventory?.factorLibraryVersion ? (
          <li>
            Emission factor library <code>{String(s.inventory.factorLibraryVersion).slice(0, 16)}</code>,{' '}
            {s.inventory.factorsUsed?.length ?? 0} factors used
          </li>
        ) : null}
        <li>
          {meters.length} meter data series hashed
          {meters.length ? ` (${num(meters.reduce((n, m) => n + (m.hours ?? 0), 0))} hours)` : ''}
        </li>
        <li>{s?.instruments?.length ?? 0} energy attribute certificate instruments</li>
        <li>
          {c.evidence.length} document{c.evidence.length === 1 ? '' : 's'}
        </li>
      </ul>
      {c.evidence.length ? (
        <EvidenceTable
          evidence={c.evidence}
          fileUrl={(e) =>
            buildUrl('/api/v1/certification-bodies/{bodyId}/claims/{claimId}/evidence/{evidenceId}', {
              bodyId,
              claimId: c.id,
              evidenceId: e.id,
            })
          }
        />
      ) : null}
    </Card>
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
      <Card title="Decision" id="decision">
        {c.status === 'submitted' ? (
          <>
            <p>
              Taking the claim into review records you as its reviewer; the organisation is told of the
              decision.
            </p>
            <button
              type="button"
              className="btn primary"
              disabled={act.pending}
              onClick={() => void act.run('in_review')}
            >
              Take into review
            </button>
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
                <button type="submit" className="btn primary" disabled={act.pending}>
                  Approve and issue certificate
                </button>
                <button
                  type="button"
                  className="btn danger"
                  disabled={act.pending}
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
              <button type="submit" className="btn secondary" disabled={act.pending || !finding.text.trim()}>
                Send findings
              </button>
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
                <button
                  type="submit"
                  className="btn danger"
                  disabled={revoke.pending || !revokeReason.trim()}
                >
                  Revoke certificate
                </button>
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
          <Field
            label="Certificate number"
            value={input}
            placeholder="HLV-2026-ABC234"
            onChange={(e) => setInput(e.target.value)}
          />
          <button type="submit" className="btn primary">
            Verify
          </button>
        </form>
        {cert.loading ? <Loading what="Checking the register" /> : null}
        {notFound ? (
          <div className="state error" role="alert" data-testid="verify-result" data-status="not_found">
            <p>
              <strong>No certificate with the number “{number}” exists.</strong> Check the number on the
              document (it looks like HLV-2026-ABC234); if it is right, the certificate is not genuine.
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
              <div>
                <dt>Number</dt>
                <dd>{c.number}</dd>
              </div>
              <div>
                <dt>Claim</dt>
                <dd>{claimLabel(c.claimType)}</dd>
              </div>
              <div>
                <dt>Period</dt>
                <dd>{period(c.periodFrom, c.periodTo)}</dd>
              </div>
              <div>
                <dt>Certified by</dt>
                <dd>{c.certificationBody}</dd>
              </div>
              <div>
                <dt>Assurance</dt>
                <dd>{humanize(c.assuranceLevel)}</dd>
              </div>
              <div>
                <dt>Issued</dt>
                <dd>{date(c.issuedAt)}</dd>
              </div>
              <div>
                <dt>Valid until</dt>
                <dd>{date(c.validUntil)}</dd>
              </div>
              {c.revokedAt ? (
                <div>
                  <dt>Revoked</dt>
                  <dd>
                    {date(c.revokedAt)}
                    {c.revocationReason ? `: ${c.revocationReason}` : ''}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Evidence SHA-256</dt>
                <dd>
                  <code className="hash">{c.evidenceSha256}</code>
                </dd>
              </div>
            </dl>
            <p className="muted small">
              The evidence hash identifies the locked snapshot of figures and documents the certifier
              reviewed. Only the certificate’s own facts are public.
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}
