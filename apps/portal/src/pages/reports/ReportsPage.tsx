import { useState } from 'react';
import { api, download } from '../../api/client';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Badge, Card, ErrorBox, Loading, Stat, TableWrap } from '../../components/ui';
import { BusyButton } from '../../components/form';
import { num } from '../../lib/format';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';
import { vsmeFile, type ProgressSummary, type SbtiSme } from './reports-api';

const SME_BASE_YEARS = [2018, 2019, 2020, 2021, 2022, 2023];
const t = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${num(v, 3)} t CO₂e`);
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${num(v, 1)} %`);

/** Reports SMEs are asked for: the VSME report files, the SBTi SME-route target and the yearly progress. */
export function ReportsPage() {
  const { orgId, role } = useOrg();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear - 1);
  const org = useApiQuery('/api/v1/orgs/{orgId}', { path: { orgId } });
  const orgBase = org.data?.baseYear ?? null;
  const [picked, setPicked] = useState<number | null>(null);
  const baseYear = picked ?? (orgBase && SME_BASE_YEARS.includes(orgBase) ? orgBase : 2023);
  const sbti = useApiQuery(
    '/api/v1/orgs/{orgId}/reports/sbti-sme',
    { path: { orgId }, query: { baseYear: String(baseYear) } },
    { enabled: !!org.data },
  );
  const progress = useApiQuery(
    '/api/v1/orgs/{orgId}/reports/progress',
    { path: { orgId }, query: { year: String(year), baseYear: String(baseYear) } },
    { enabled: !!org.data && year >= baseYear },
  );
  const dl = useAction((format: 'xlsx' | 'pdf') =>
    download(vsmeFile(orgId), { year, format }, `halve-vsme-${year}.${format}`),
  );

  return (
    <>
      <PageHeader
        title="Reports"
        subtitle="What buyers, banks and climate programmes ask small businesses for"
        actions={
          <div className="year-picker">
            <label htmlFor="report-year">Year</label>
            <select id="report-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
              {Array.from({ length: 10 }, (_, i) => thisYear - i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        }
      />
      <div className="grid">
        <Card title="VSME report" id="vsme">
          <p className="muted">
            The EFRAG voluntary SME standard, Basic module: B1 basis for preparation and B3 energy and
            greenhouse gas emissions for {year}, from your inventory. Legal form, NACE code, balance sheet and
            turnover that Halve does not hold show as “not provided”.
          </p>
          <div className="button-row">
            <BusyButton className="btn secondary" busy={dl.pending} onClick={() => void dl.run('xlsx')}>
              Download VSME report (XLSX)
            </BusyButton>
            <BusyButton className="btn secondary" busy={dl.pending} onClick={() => void dl.run('pdf')}>
              Download VSME report (PDF)
            </BusyButton>
          </div>
          <ErrorBox error={dl.error} title="The VSME report could not be downloaded" />
        </Card>
        <SbtiPanel
          orgId={orgId}
          canSet={canWrite(role)}
          baseYear={baseYear}
          onBaseYear={setPicked}
          data={sbti.data}
          error={sbti.error}
          loading={sbti.loading}
        />
        <ProgressPanel year={year} baseYear={baseYear} data={progress.data} error={progress.error} />
      </div>
    </>
  );
}

function SbtiPanel(props: {
  orgId: string;
  canSet: boolean;
  baseYear: number;
  onBaseYear: (y: number) => void;
  data: SbtiSme | undefined;
  error: unknown;
  loading: boolean;
}) {
  const { orgId, data } = props;
  const invalidate = useInvalidate();
  const [created, setCreated] = useState<string | null>(null);
  const set = useAction(async () => {
    if (!data) return;
    const target = await api.post('/api/v1/orgs/{orgId}/targets', {
      path: { orgId },
      body: data.createTarget,
    });
    setCreated(target.name);
    invalidate('/api/v1/orgs/{orgId}/targets');
  });
  return (
    <Card title="SBTi SME target" id="sbti-sme">
      <div className="year-picker">
        <label htmlFor="sbti-base-year">Base year</label>
        <select
          id="sbti-base-year"
          value={props.baseYear}
          onChange={(e) => props.onBaseYear(Number(e.target.value))}
        >
          {SME_BASE_YEARS.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <ErrorBox error={props.error} title="The SBTi SME target could not be worked out" />
      {!data && props.loading ? <Loading what="Working out the target" /> : null}
      {data ? (
        <>
          <p>{data.targetWording}</p>
          <div className="stats">
            <Stat
              label={`Scope 1 + 2 in ${data.baseYear}`}
              value={t(data.base.scope12Tco2e)}
              hint={`${data.scope2Method}-based Scope 2`}
            />
            <Stat
              label={`Target for ${data.targetYear}`}
              value={t(data.targetValueTco2e)}
              hint={`−${data.reductionPct} %`}
            />
            <Stat label="Scope 3 measured" value={t(data.base.scope3Tco2e)} hint={data.scope3Commitment} />
          </div>
          <p>
            Eligibility for the SME route:{' '}
            <Badge
              tone={
                data.eligibility.verdict === 'eligible'
                  ? 'good'
                  : data.eligibility.verdict === 'not eligible'
                    ? 'bad'
                    : 'neutral'
              }
            >
              {data.eligibility.verdict}
            </Badge>
          </p>
          <ul>
            {data.eligibility.checks.map((c) => (
              <li key={c.criterion}>
                {c.criterion}: <strong>{c.status}</strong>
                {c.value ? ` (${c.value})` : ''} <span className="muted">— {c.source}</span>
              </li>
            ))}
          </ul>
          {props.canSet ? (
            <BusyButton className="btn" busy={set.pending} onClick={() => void set.run()}>
              Set this target
            </BusyButton>
          ) : null}
          {created ? <p role="status">Target “{created}” set.</p> : null}
          <ErrorBox error={set.error} title="The target could not be set" />
          {data.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </>
      ) : null}
    </Card>
  );
}

function ProgressPanel(props: {
  year: number;
  baseYear: number;
  data: ProgressSummary | undefined;
  error: unknown;
}) {
  const { data } = props;
  return (
    <Card title="Progress: halve by 2030" id="progress">
      {props.year < props.baseYear ? (
        <p className="muted">
          {props.year} is before the base year {props.baseYear}: choose a later year.
        </p>
      ) : null}
      <ErrorBox error={props.error} title="The progress summary could not be worked out" />
      {data ? (
        <>
          <p>{data.commitment}</p>
          <p role="status">
            <Badge tone={data.onTrack === null ? 'neutral' : data.onTrack ? 'good' : 'bad'}>
              {data.onTrack === null ? 'no verdict' : data.onTrack ? 'on track' : 'off track'}
            </Badge>{' '}
            {data.verdict}
          </p>
          <div className="stats">
            <Stat label={`Scope 1 + 2 in ${data.year}`} value={t(data.actualTco2e)} />
            <Stat label={`On the line in ${data.year}`} value={t(data.expectedTco2e)} />
            <Stat
              label="2030 (−50 %)"
              value={t(data.target2030Tco2e)}
              hint={`${data.yearsTo2030} years to go; ${data.yearsTo2050} to 2050`}
            />
          </div>
          <TableWrap label="Emissions by scope">
            <table>
              <caption className="visually-hidden">
                Emissions by scope, {data.baseYear} and {data.year}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Scope</th>
                  <th scope="col">{data.baseYear}</th>
                  <th scope="col">{data.year}</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {data.scopes.map((s) => (
                  <tr key={s.scope}>
                    <th scope="row">{s.scope}</th>
                    <td>{t(s.baseTco2e)}</td>
                    <td>{t(s.currentTco2e)}</td>
                    <td>{signed(s.changePct)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
    </Card>
  );
}
