import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { DecisionTarget } from '../../api/types';
import { Chart } from '../../components/Chart';
import { PageHeader, canDecide, useOrg } from '../../components/Layout';
import { Badge, Card, ErrorBox, Loading, Stat, statusTone } from '../../components/ui';
import { BusyButton, Field, fieldErr, SubmitButton } from '../../components/form';
import { co2, date, dateTime, humanize, isoDay, kwh, money, num, pct } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { evidenceOption } from './evidence-chart';
import { typeLabel, numberLabel } from './recommendation-labels';

const NEXT: Record<string, { to: DecisionTarget; label: string }[]> = {
  new: [
    { to: 'accepted', label: 'Accept' },
    { to: 'rejected', label: 'Reject…' },
  ],
  accepted: [
    { to: 'implemented', label: 'Record implementation…' },
    { to: 'rejected', label: 'Reject…' },
  ],
  implemented: [
    { to: 'verified', label: 'Mark verified' },
    { to: 'not_achieved', label: 'Mark not achieved' },
  ],
};

export function RecommendationPage() {
  const { orgId, role, currency } = useOrg();
  const { id = '' } = useParams();
  const rec = useApiQuery('/api/v1/orgs/{orgId}/recommendations/{id}', { path: { orgId, id } });
  const r = rec.data;
  const verification = useApiQuery(
    '/api/v1/orgs/{orgId}/recommendations/{id}/verification',
    { path: { orgId, id } },
    {
      enabled: !!r && ['implemented', 'verified', 'not_achieved'].includes(r.status),
      dependsOn: [r?.status],
    },
  );
  // While the M&V job runs (202 pending), ask again every few seconds.
  const pendingVerification = verification.data?.status === 'pending';
  useEffect(() => {
    if (!pendingVerification) return;
    const timer = setTimeout(verification.reload, 3000);
    return () => clearTimeout(timer);
    // updatedAt: an unchanged answer keeps its object (the cache shares it), yet is a new poll
  }, [pendingVerification, verification.updatedAt, verification.reload]);
  const comments = useApiQuery('/api/v1/orgs/{orgId}/recommendations/{id}/comments', { path: { orgId, id } });
  const invalidate = useInvalidate();
  const [comment, setComment] = useState('');
  const addComment = useAction(async () => {
    await api.post('/api/v1/orgs/{orgId}/recommendations/{id}/comments', {
      path: { orgId, id },
      body: { body: comment.trim() },
    });
    setComment('');
    invalidate('/api/v1/orgs/{orgId}/recommendations/{id}/comments', { orgId, id });
  });
  const [pending, setPending] = useState<DecisionTarget | null>(null);
  const [form, setForm] = useState({ reason: '', implementedOn: isoDay(new Date()), costMoney: '' });
  const act = useAction(async (to: DecisionTarget) => {
    const body: {
      to: DecisionTarget;
      reason?: string;
      implementedOn?: string;
      costMoney?: number;
      notes?: string;
    } = { to };
    if (to === 'rejected') body.reason = form.reason.trim();
    if (to === 'implemented') {
      body.implementedOn = form.implementedOn;
      if (form.costMoney.trim()) body.costMoney = Number(form.costMoney.replace(',', '.'));
      if (form.reason.trim()) body.notes = form.reason.trim();
    }
    rec.setData(
      await api.post('/api/v1/orgs/{orgId}/recommendations/{id}/transitions', { path: { orgId, id }, body }),
    );
    setPending(null);
  });
  const option = useMemo(() => (r?.evidence ? evidenceOption(r.evidence) : null), [r?.evidence]);
  const v = verification.data;
  const vOption = useMemo(
    () =>
      v && v.status !== 'pending' && v.series.length
        ? {
            grid: { left: 56, right: 16, top: 36, bottom: 40 },
            legend: { top: 0 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'time' },
            yAxis: { type: 'value', name: 'kWh' },
            series: [
              {
                type: 'line',
                name: 'Baseline (what would have been used)',
                showSymbol: false,
                data: v.series.map((p) => [Date.parse(p.ts), p.baselineKwh]),
                lineStyle: { type: 'dashed' },
              },
              {
                type: 'line',
                name: 'Actual',
                showSymbol: false,
                data: v.series.map((p) => [Date.parse(p.ts), p.actualKwh]),
              },
            ],
          }
        : null,
    [v],
  );
  if (rec.loading && !r) return <Loading />;
  if (rec.error) return <ErrorBox error={rec.error} onRetry={rec.reload} />;
  if (!r) return null;
  const numbers = r.evidence?.numbers ?? {};
  const factor = r.basis?.emissionFactor;
  return (
    <>
      <PageHeader
        title={r.title}
        subtitle={
          <>
            {typeLabel(r.type)} · <Badge tone={statusTone(r.status)}>{humanize(r.status)}</Badge>
            {r.stale ? ' · the latest analysis no longer finds this' : ''}
          </>
        }
      />
      <p>
        <Link to={`/orgs/${orgId}/recommendations`}>← Inbox</Link>
      </p>
      <div className="stats big">
        <Stat
          label="Money a year"
          value={money(r.annualSavingMoney, r.currency || currency)}
          hint={
            r.range
              ? `range ${money(r.range.low, r.currency || currency)}–${money(r.range.high, r.currency || currency)}`
              : undefined
          }
        />
        <Stat
          label="Energy a year"
          value={kwh(r.annualSavingKwh)}
          hint={r.annualSavingKwh === 0 ? 'saves money or CO₂ without saving energy' : undefined}
        />
        <Stat label="CO₂ a year" value={co2(r.annualSavingKgCo2e)} />
        <Stat
          label="Cost"
          value={r.costMoney != null ? money(r.costMoney, r.currency || currency) : 'none'}
          hint={r.paybackYears != null ? `payback ${num(r.paybackYears, 1)} years` : undefined}
        />
        <Stat label="Confidence" value={humanize(r.confidence)} />
      </div>
      {r.explanation ? (
        <Card title="Why" id="why">
          <p className="prose">{r.explanation}</p>
        </Card>
      ) : null}
      <Card title="Evidence" id="evidence">
        {option ? (
          <Chart option={option} label={`Evidence for: ${r.title}`} testId="evidence-chart" />
        ) : (
          <p className="muted">No chartable series in this suggestion's evidence.</p>
        )}
        {Object.keys(numbers).length ? (
          <dl className="kv">
            {Object.entries(numbers).map(([k, x]) => (
              <div key={k}>
                <dt>{numberLabel(k)}</dt>
                <dd>{typeof x === 'number' ? num(x, 2) : String(x)}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {factor ? (
          <p className="muted small">
            CO₂ at {num(factor.kgCo2ePerKwh, 3)} kg CO₂e/kWh ({factor.factorId}); money at the site’s tariff.
            Analysed {dateTime(r.analysedAt)}.
          </p>
        ) : null}
      </Card>
      {canDecide(role) && NEXT[r.status] ? (
        <Card title="Decide" id="decide">
          <div className="button-row">
            {NEXT[r.status].map((n) => (
              <BusyButton
                key={n.to}
                className={`btn ${n.to === 'rejected' || n.to === 'not_achieved' ? 'secondary' : 'primary'}`}
                busy={act.pending}
                onClick={() =>
                  n.to === 'rejected' || n.to === 'implemented' ? setPending(n.to) : void act.run(n.to)
                }
              >
                {n.label}
              </BusyButton>
            ))}
          </div>
          {pending === 'rejected' ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act.run('rejected');
              }}
            >
              <Field
                label="Reason for rejecting"
                required
                value={form.reason}
                onChange={(e) => setForm({ ...form, reason: e.target.value })}
                error={fieldErr(act.error, 'reason')}
                hint="Recorded in the audit trail."
              />
              <SubmitButton className="btn danger" busy={act.pending} disabled={!form.reason.trim()}>
                Reject suggestion
              </SubmitButton>
            </form>
          ) : null}
          {pending === 'implemented' ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act.run('implemented');
              }}
            >
              <div className="row">
                <Field
                  label="Implemented on"
                  type="date"
                  required
                  value={form.implementedOn}
                  onChange={(e) => setForm({ ...form, implementedOn: e.target.value })}
                  error={fieldErr(act.error, 'implementedOn')}
                />
                <Field
                  label={`Actual cost (${currency})`}
                  inputMode="decimal"
                  value={form.costMoney}
                  onChange={(e) => setForm({ ...form, costMoney: e.target.value })}
                  error={fieldErr(act.error, 'costMoney')}
                />
              </div>
              <Field
                label="Notes"
                value={form.reason}
                onChange={(e) => setForm({ ...form, reason: e.target.value })}
                error={fieldErr(act.error, 'notes')}
              />
              <SubmitButton busy={act.pending}>Record implementation</SubmitButton>
            </form>
          ) : null}
          <ErrorBox
            error={act.error}
            title={
              act.error instanceof ApiError && act.error.status === 409
                ? 'That step is not possible now'
                : 'The decision was not recorded'
            }
          />
        </Card>
      ) : null}
      {['implemented', 'verified', 'not_achieved'].includes(r.status) ? (
        <Card title="Measured savings (IPMVP Option C)" id="mv">
          {verification.loading && !v ? <Loading what="Computing the verification" /> : null}
          <ErrorBox error={verification.error} onRetry={verification.reload} />
          {v?.status === 'pending' ? (
            <p role="status">
              The verification is being computed.{' '}
              <button type="button" className="btn secondary small" onClick={verification.reload}>
                Check again
              </button>
            </p>
          ) : null}
          {v && v.status !== 'pending' ? (
            <>
              <div className="stats">
                <Stat
                  label="Verified saving"
                  value={kwh(v.verifiedSavingKwh)}
                  hint={`± ${pct(v.fractionalSavingsUncertainty)} at 90 % confidence`}
                  tone={v.meetsGuideline14 ? 'good' : 'warn'}
                />
                <Stat
                  label="Counterfactual"
                  value={kwh(v.counterfactualKwh)}
                  hint="what the baseline model predicts"
                />
                <Stat label="Actual" value={kwh(v.actualKwh)} />
                <Stat label="Baseline CV(RMSE)" value={pct(v.baselineCvRmse, 1)} />
                <Stat label="Baseline NMBE" value={pct(v.baselineNmbe, 2)} />
              </div>
              <p>
                {v.meetsGuideline14 ? (
                  <Badge tone="good">Meets ASHRAE Guideline 14</Badge>
                ) : (
                  <Badge tone="warn">Does not meet Guideline 14: shown, not called verified</Badge>
                )}{' '}
                Baseline {date(v.baselineFrom)}–{date(v.baselineTo)}, reporting {date(v.reportingFrom)}–
                {date(v.reportingTo)}.
              </p>
              {v.weatherNormalised === false ? (
                <p data-testid="mv-not-weather-normalised">
                  <Badge tone="warn">Not weather-normalised</Badge> Outdoor temperature is missing for too
                  many of these hours, so the baseline is the site&apos;s use by hour of the week, without
                  weather: a reporting period warmer or colder than the baseline counts in the saving. Import
                  the site&apos;s hourly weather for a weather-normalised result.
                </p>
              ) : null}
              {vOption ? (
                <Chart option={vOption} label="Baseline against actual consumption" testId="mv-chart" />
              ) : null}
            </>
          ) : null}
        </Card>
      ) : null}
      {r.transitions.length ? (
        <Card title="History" id="history">
          <ol className="history">
            {r.transitions.map((t) => (
              <li key={t.id}>
                <span className="muted small">{dateTime(t.at)}</span> {humanize(t.from)} →{' '}
                <strong>{humanize(t.to)}</strong>
                {t.reason ? <div className="small">“{t.reason}”</div> : null}
              </li>
            ))}
          </ol>
        </Card>
      ) : null}
      <Card title="Comments" id="comments">
        <ErrorBox error={comments.error} onRetry={comments.reload} />
        {comments.data?.length ? (
          <ul className="comments">
            {comments.data.map((c) => (
              <li key={c.id}>
                <span className="muted small">{dateTime(c.createdAt)}</span> {c.body}
              </li>
            ))}
          </ul>
        ) : comments.data ? (
          <p className="muted">No comments yet.</p>
        ) : null}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void addComment.run();
          }}
        >
          <Field label="Comment" value={comment} onChange={(e) => setComment(e.target.value)} />
          <SubmitButton className="btn secondary" busy={addComment.pending} disabled={!comment.trim()}>
            Add comment
          </SubmitButton>
        </form>
        <ErrorBox error={addComment.error} title="The comment was not added" />
      </Card>
    </>
  );
}
