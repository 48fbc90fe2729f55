import { useEffect, useRef, useState } from 'react';
import { api, upload } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ImportReport, Meter, Site } from '../../api/types';
import { ImportReportView } from '../../components/ImportReport';
import { useOrg } from '../../components/Layout';
import { ErrorBox, ProgressBar } from '../../components/ui';
import { Field, Select, SubmitButton } from '../../components/form';
import { useAction } from '../../lib/use-async';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

/** Polls an import until it has finished, reporting each state. */
async function pollImport(
  orgId: string,
  importId: string,
  onReport: (r: ImportReport) => void,
  signal: AbortSignal,
): Promise<ImportReport> {
  let delay = 400;
  for (;;) {
    const report = await api.get('/api/v1/orgs/{orgId}/imports/{importId}', {
      path: { orgId, importId },
      signal,
    });
    onReport(report);
    if (report.status === 'succeeded' || report.status === 'failed') return report;
    await sleep(delay, signal);
    delay = Math.min(delay * 1.5, 3000);
  }
}

const FORMATS = [
  { value: '', label: 'Detect from the file' },
  { value: 'csv', label: 'CSV (one timestamp and one value column)' },
  { value: 'wide_csv', label: 'Wide CSV (one column per meter)' },
  { value: 'xlsx', label: 'Excel (XLSX)' },
  { value: 'green_button', label: 'Green Button (ESPI XML)' },
];

export function UploadPanel({
  meter,
  site,
  onImported,
}: {
  meter: Meter;
  site?: Site;
  onImported: (r: ImportReport) => void;
}) {
  const { orgId } = useOrg();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [opts, setOpts] = useState({
    format: '',
    timestampColumn: '',
    valueColumn: '',
    timezone: '',
    unit: '',
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [uploadedName, setUploadedName] = useState<string>('');
  const abortRef = useRef<AbortController | null>(null);
  useEffect(() => () => abortRef.current?.abort(), []);

  const send = useAction(async () => {
    if (!file) throw new Error('Choose a file first.');
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    const form = new FormData();
    for (const [k, v] of Object.entries(opts)) if (v.trim()) form.append(k, v.trim());
    form.append('file', file, file.name);
    setReport(null);
    setUploadedName(file.name);
    setProgress(0);
    try {
      const accepted = await upload(
        '/api/v1/orgs/{orgId}/meters/{meterId}/imports',
        { orgId, meterId: meter.id },
        form,
        setProgress,
        controller.signal,
      );
      setProgress(1);
      const final = await pollImport(orgId, accepted.importId, setReport, controller.signal);
      onImported(final);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
    } finally {
      setProgress(null);
    }
  });
  const uploading = progress !== null && progress < 1;
  return (
    <div>
      <form
        className="upload-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <Field
          label="Meter data file"
          ref={inputRef}
          id="meter-file"
          name="file"
          type="file"
          accept=".csv,.txt,.tsv,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/xml,text/xml"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          hint={
            <>
              CSV with a timestamp and a value column ({meter.unit}), Excel or Green Button XML. Local times
              are read in the site's zone ({site?.timezone ?? '…'}). Uploading the same file twice changes
              nothing.
            </>
          }
        />
        <details className="upload-options">
          <summary>Options (only if the file is not read correctly)</summary>
          <div className="row">
            <Select
              label="Format"
              value={opts.format}
              options={FORMATS}
              onChange={(e) => setOpts({ ...opts, format: e.target.value })}
            />
            <Field
              label="Unit in the file"
              value={opts.unit}
              onChange={(e) => setOpts({ ...opts, unit: e.target.value })}
              hint={`e.g. Wh, MWh, m3, therm; default ${meter.unit}`}
            />
          </div>
          <div className="row">
            <Field
              label="Timestamp column"
              value={opts.timestampColumn}
              onChange={(e) => setOpts({ ...opts, timestampColumn: e.target.value })}
              hint="Header name; detected if empty"
            />
            <Field
              label="Value column"
              value={opts.valueColumn}
              onChange={(e) => setOpts({ ...opts, valueColumn: e.target.value })}
              hint="Header name, or this meter's column in a wide CSV"
            />
            <Field
              label="Time zone of the file"
              value={opts.timezone}
              onChange={(e) => setOpts({ ...opts, timezone: e.target.value })}
              hint="When it differs from the site's"
            />
          </div>
        </details>
        <SubmitButton busy={send.pending} disabled={!file}>
          {uploading ? 'Uploading…' : send.pending ? 'Importing…' : 'Upload and import'}
        </SubmitButton>
      </form>
      {progress !== null ? (
        <div className="upload-progress">
          <span className="small">{uploading ? `Uploading ${uploadedName}` : 'Uploaded; importing'}</span>
          <ProgressBar value={progress} label={`Upload of ${uploadedName}`} />
        </div>
      ) : null}
      <ErrorBox
        error={send.error}
        title={
          send.error instanceof ApiError && send.error.status === 413
            ? 'The file is too large'
            : 'The file was not imported'
        }
      />
      {report ? <ImportReportView report={report} fileName={uploadedName} /> : null}
    </div>
  );
}
