import type { ImportReport as Report } from '../api/types';
import { Badge, statusTone } from './ui';
import { dateTime, humanize, num } from '../lib/format';

/**
 * rows read / stored / updated / missing / rejected, and the first rejected lines with why. `timeZone`: the site's
 * zone, in which the span stored is told (else the browser's); `what`: what the rows are (default readings).
 */
export function ImportReportView({
  report,
  fileName,
  timeZone,
  what = 'readings',
}: {
  report: Report;
  fileName?: string;
  timeZone?: string;
  what?: 'readings' | 'weather rows';
}) {
  const running = report.status === 'queued' || report.status === 'running';
  const rejected = report.errors ?? [];
  return (
    <div className="import-report" data-testid="import-report" data-status={report.status} aria-live="polite">
      <div className="import-head">
        <strong>{fileName ?? report.filename ?? 'Import'}</strong>{' '}
        <Badge tone={statusTone(report.status)}>{humanize(report.status)}</Badge>
      </div>
      {running ? (
        <>
          <p className="muted">
            {report.status === 'queued' ? 'Waiting for a worker…' : `Reading the file and storing ${what}…`}
          </p>
          {/* The import's row count is known only at its end, so its progress is not a fraction. */}
          <div className="indeterminate" aria-hidden="true" />
        </>
      ) : null}
      {report.status === 'failed' ? (
        <div className="state error" role="alert">
          <p>
            <strong>The file was refused and nothing was stored.</strong> {report.error ?? ''}
          </p>
          <p className="small">
            Fix the file (or choose the right meter, unit or columns under “Options”) and upload it again.
          </p>
        </div>
      ) : null}
      <dl className="counts">
        <div>
          <dt>Rows read</dt>
          <dd>{num(report.rowsRead)}</dd>
        </div>
        <div>
          <dt>Stored</dt>
          <dd>{num(report.rowsStored)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{num(report.rowsUpdated)}</dd>
        </div>
        <div>
          <dt>Missing (gaps)</dt>
          <dd>{num(report.rowsMissing)}</dd>
        </div>
        <div className={report.rowsRejected ? 'bad' : ''}>
          <dt>Rejected</dt>
          <dd>{num(report.rowsRejected)}</dd>
        </div>
      </dl>
      {report.status === 'succeeded' &&
      report.rowsStored === 0 &&
      (report.rowsUpdated > 0 || (report.rowsUnchanged ?? 0) > 0) ? (
        <p className="muted small">
          These {what} were already stored (this file, or an overlapping one, was imported before):{' '}
          {num(report.rowsUnchanged ?? 0)} unchanged, {num(report.rowsUpdated)} updated. Nothing was doubled.
        </p>
      ) : null}
      {report.status === 'succeeded' && report.firstTs && report.lastTs ? (
        <p className="muted small">
          {what === 'readings' ? 'Readings' : 'Weather rows'} from {dateTime(report.firstTs, timeZone)} to{' '}
          {dateTime(report.lastTs, timeZone)} (
          {timeZone ? `the site’s time, ${timeZone}` : 'in your browser’s time zone'}).
        </p>
      ) : null}
      {report.warnings?.length ? (
        <ul className="small warnings-list">
          {report.warnings.slice(0, 10).map((w, i) => (
            <li key={i}>
              {typeof w === 'string' ? w : `${w.line !== undefined ? `Line ${w.line}: ` : ''}${w.message}`}
            </li>
          ))}
        </ul>
      ) : null}
      {rejected.length ? (
        <details open={rejected.length <= 10} className="rejected">
          <summary>
            {report.rowsRejected > rejected.length
              ? `First ${rejected.length} of ${num(report.rowsRejected)} rejected lines`
              : `${rejected.length} rejected line${rejected.length === 1 ? '' : 's'}`}{' '}
            — the good rows were stored
          </summary>
          <ul>
            {rejected.map((e, i) => (
              <li key={i}>
                {e.line !== undefined ? <strong>Line {e.line}: </strong> : null}
                {e.line !== undefined ? e.message.replace(/^line \d+:\s*/i, '') : e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
