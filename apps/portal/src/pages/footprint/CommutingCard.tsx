// Employee commuting (Scope 3 category 7) on the footprint page: a survey for the year with a link to
// share (answered without login at /survey/:token), its answers extrapolated to all employees by mode
// (answers × employees ÷ respondents) with the kg CO2e, and recorded as activities.
import { useState } from 'react';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ActionForm, Field, useFields } from '../../components/form';
import { useOrg } from '../../components/Layout';
import { Card, ErrorBox } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

type Created = components['schemas']['CreatedCommutingSurveyView'];
type Survey = components['schemas']['CommutingSurveyView'];

function SurveyTotals({ survey, writable }: { survey: Survey; writable: boolean }) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const detail = useApiQuery('/api/v1/orgs/{orgId}/commuting-surveys/{surveyId}', {
    path: { orgId, surveyId: survey.id },
  });
  const record = useAction(async () => {
    await api.post('/api/v1/orgs/{orgId}/commuting-surveys/{surveyId}/activities', {
      path: { orgId, surveyId: survey.id },
    });
    invalidate('/api/v1/orgs/{orgId}/commuting-surveys/{surveyId}', { orgId, surveyId: survey.id });
    invalidate('/api/v1/orgs/{orgId}/activities/priced', { orgId });
    invalidate('/api/v1/orgs/{orgId}/inventory', { orgId });
  });
  const d = detail.data;
  return (
    <div data-testid="commuting-survey">
      <h3>
        {survey.title} · {survey.respondents} answer{survey.respondents === 1 ? '' : 's'} of{' '}
        {survey.employees} employees
      </h3>
      <ErrorBox error={detail.error} />
      {d && d.modes.length ? (
        <>
          <table className="table small">
            <thead>
              <tr>
                <th>Mode</th>
                <th>Answers</th>
                <th>km a year (answers)</th>
                <th>km a year (all employees)</th>
                <th>kg CO₂e</th>
              </tr>
            </thead>
            <tbody>
              {d.modes.map((m) => (
                <tr key={m.mode}>
                  <td>{m.label}</td>
                  <td>{m.respondents}</td>
                  <td>{m.surveyedKm}</td>
                  <td>{m.extrapolatedKm}</td>
                  <td>{m.kgCo2e ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">
            Total{' '}
            <strong>{d.totalKgCo2e.toLocaleString('en-GB', { maximumFractionDigits: 3 })} kg CO₂e</strong>{' '}
            (Scope 3 category 7). <span className="muted">{d.method}.</span>
          </p>
          {d.activityIds.length ? (
            <p className="muted small">Recorded as {d.activityIds.length} footprint entries.</p>
          ) : null}
          {writable ? (
            <button
              type="button"
              className="btn secondary small"
              disabled={record.pending}
              onClick={() => void record.run()}
            >
              {d.activityIds.length ? 'Record again (replaces the entries)' : 'Record as footprint entries'}
            </button>
          ) : null}
          <ErrorBox error={record.error} title="The survey was not recorded" />
        </>
      ) : (
        <p className="muted small">No answers yet.</p>
      )}
    </div>
  );
}

export function CommutingCard({ year, writable }: { year: number; writable: boolean }) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const list = useApiQuery('/api/v1/orgs/{orgId}/commuting-surveys', { path: { orgId } });
  const [created, setCreated] = useState<Created | null>(null);
  const [f, , set] = useFields({ title: `Commuting ${year}`, employees: '' });
  const create = useAction(async () => {
    const s = await api.post('/api/v1/orgs/{orgId}/commuting-surveys', {
      path: { orgId },
      body: { year, title: f.title.trim(), employees: Number(f.employees) },
    });
    setCreated(s);
    invalidate('/api/v1/orgs/{orgId}/commuting-surveys', { orgId });
  });
  const surveys = (list.data ?? []).filter((s) => s.year === year);
  const link = created ? `${window.location.origin}${created.link}` : '';
  return (
    <Card title={`Employee commuting ${year} · survey`}>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {created ? (
        <p className="state" role="status">
          Share this link with employees (shown once; no login needed to answer):{' '}
          <a href={link} data-testid="survey-link">
            {link}
          </a>
        </p>
      ) : null}
      {surveys.map((s) => (
        <SurveyTotals key={s.id} survey={s} writable={writable} />
      ))}
      {writable && !surveys.length ? (
        <ActionForm
          action={create}
          submit="Create survey link"
          busyLabel="Creating…"
          errorTitle="The survey was not created"
          label="New commuting survey"
          disabled={!f.title.trim() || !(Number(f.employees) >= 1)}
        >
          <div className="grid two">
            <Field label="Survey title" value={f.title} onChange={set('title')} required />
            <Field
              label="Employees"
              inputMode="numeric"
              value={f.employees}
              onChange={set('employees')}
              hint="Answers are scaled up to this headcount."
              required
            />
          </div>
        </ActionForm>
      ) : null}
    </Card>
  );
}
