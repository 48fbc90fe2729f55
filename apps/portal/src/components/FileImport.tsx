// Uploading a file to an import route and following the import to its end: shared by the meter-data upload
// (UploadPanel) and the site's weather upload (WeatherCard). The upload shows its progress; the import is polled
// until it succeeds or fails, and its report is shown.
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type { ImportReport } from '../api/types';
import { ImportReportView } from './ImportReport';
import { ErrorBox, ProgressBar } from './ui';
import { useOrg } from './Layout';
import { useAction } from '../lib/use-async';

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

/** Sends the multipart form (with progress) and answers the accepted import's id. */
export type SendImport = (
  form: FormData,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
) => Promise<{ importId: string }>;

/**
 * State of one file import: `fileInput` goes on the form's file field; `run(fields)` uploads the chosen file with
 * the non-blank `fields` through `send`, follows the import, calls `onImported` with its final report and clears
 * the field; an earlier upload still running is cancelled.
 */
export function useFileImport(send: SendImport, onImported: (r: ImportReport) => void) {
  const { orgId } = useOrg();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [uploadedName, setUploadedName] = useState<string>('');
  const abortRef = useRef<AbortController | null>(null);
  useEffect(() => () => abortRef.current?.abort(), []);
  const action = useAction(async (fields: Record<string, string>) => {
    if (!file) throw new Error('Choose a file first.');
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v.trim()) form.append(k, v.trim());
    form.append('file', file, file.name);
    setReport(null);
    setUploadedName(file.name);
    setProgress(0);
    try {
      const accepted = await send(form, setProgress, controller.signal);
      setProgress(1);
      const final = await pollImport(orgId, accepted.importId, setReport, controller.signal);
      onImported(final);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      return final;
    } finally {
      setProgress(null);
    }
  });
  const fileInput = {
    ref: inputRef,
    name: 'file',
    type: 'file',
    onChange: (e: ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null),
  };
  return { ...action, file, fileInput, progress, report, uploadedName };
}

/** The submit button's words while a file import runs. */
export function importButtonLabel(
  state: { pending: boolean; progress: number | null },
  idle: string,
): string {
  if (state.progress !== null && state.progress < 1) return 'Uploading…';
  return state.pending ? 'Importing…' : idle;
}

/** The upload's progress, the refusal if any, and the import's report (its span told in `timeZone`, the site's). */
export function FileImportStatus({
  state,
  timeZone,
  what,
}: {
  state: ReturnType<typeof useFileImport>;
  timeZone?: string;
  what?: 'readings' | 'weather rows';
}) {
  const { progress, uploadedName, error, report } = state;
  const uploading = progress !== null && progress < 1;
  return (
    <>
      {progress !== null ? (
        <div className="upload-progress">
          <span className="small">{uploading ? `Uploading ${uploadedName}` : 'Uploaded; importing'}</span>
          <ProgressBar value={progress} label={`Upload of ${uploadedName}`} />
        </div>
      ) : null}
      <ErrorBox
        error={error}
        title={
          error instanceof ApiError && error.status === 413
            ? 'The file is too large'
            : 'The file was not imported'
        }
      />
      {report ? (
        <ImportReportView report={report} fileName={uploadedName} timeZone={timeZone} what={what} />
      ) : null}
    </>
  );
}
