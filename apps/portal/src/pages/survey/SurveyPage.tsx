// The commuting survey as an employee answers it: opened from the link the organisation shared
// (/survey/:token), no login; one answer per submission (mode, km one way, days a week in the
// office, weeks a year), anonymous.
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { publicGet } from '../../api/client';
import { ApiError, type Problem } from '../../api/errors';
import type { components } from '../../api/schema';
import { ErrorBox, Loading } from '../../components/ui';
import { ActionForm, Field, fieldErr, Select, useFields } from '../../components/form';
import { useDataQuery } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

type PublicSurvey = components['schemas']['PublicCommutingSurveyView'];
type Answer = components['schemas']['CommutingAnswerDto'];

async function postAnswer(token: string, body: Answer): Promise<void> {
  const res = await fetch(`/api/v1/commuting-surveys/${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.ok) return;
  const problem = (await res.json().catch(() => ({ title: res.statusText }))) as Problem;
  throw new ApiError(res.status, problem);
}

const blank = { mode: '', distanceKm: '', daysPerWeek: '5', weeksPerYear: '46' };

export function SurveyPage() {
  const { token = '' } = useParams();
  const survey = useDataQuery(['query:commuting-survey', token], () =>
    publicGet<PublicSurvey>(`/api/v1/commuting-surveys/${encodeURIComponent(token)}`),
  );
  const [f, setF, set] = useFields(blank);
  const [sent, setSent] = useState(0);
  const send = useAction(async () => {
    await postAnswer(token, {
      mode: f.mode as Answer['mode'],
      distanceKm: f.distanceKm.trim().replace(',', '.'),
      daysPerWeek: f.daysPerWeek.trim().replace(',', '.'),
      weeksPerYear: f.weeksPerYear.trim().replace(',', '.'),
    });
    setSent((n) => n + 1);
    setF(blank);
  });
  const err = (k: string) => fieldErr(send.error, k);
  const s = survey.data;
  return (
    <div className="public-page">
      <main id="main" className="public-main">
        {survey.loading && !s ? <Loading what="Opening the survey" /> : null}
        <ErrorBox error={survey.error} title="This survey link does not open a survey" />
        {s ? (
          <>
            <h1>{s.title}</h1>
            <p className="muted">
              {s.organisation} · how you travel to work in {s.year}. Anonymous: no name or login is asked.
            </p>
            {s.closed ? (
              <p className="state">This survey is closed.</p>
            ) : (
              <ActionForm
                action={send}
                submit="Send my answer"
                busyLabel="Sending…"
                errorTitle="Your answer was not sent"
                label="Commuting survey"
                disabled={!f.mode || !f.distanceKm.trim()}
              >
                <Select
                  label="How do you usually get to work?"
                  value={f.mode}
                  onChange={set('mode')}
                  error={err('mode')}
                  options={[
                    { value: '', label: 'Choose…' },
                    ...s.modes.map((m) => ({ value: m.mode, label: m.label })),
                  ]}
                />
                <Field
                  label="Distance one way (km)"
                  inputMode="decimal"
                  value={f.distanceKm}
                  onChange={set('distanceKm')}
                  error={err('distanceKm')}
                  required
                />
                <Field
                  label="Days a week in the office"
                  inputMode="decimal"
                  value={f.daysPerWeek}
                  onChange={set('daysPerWeek')}
                  error={err('daysPerWeek')}
                />
                <Field
                  label="Weeks a year you work"
                  inputMode="decimal"
                  value={f.weeksPerYear}
                  onChange={set('weeksPerYear')}
                  error={err('weeksPerYear')}
                />
              </ActionForm>
            )}
            {sent ? (
              <p className="state" role="status">
                Thank you: your answer was received.
              </p>
            ) : null}
          </>
        ) : null}
      </main>
    </div>
  );
}
