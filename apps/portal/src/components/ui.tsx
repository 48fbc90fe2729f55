// Small building blocks: states (loading, empty, error), cards, stats, badges. Form fields: ./form.tsx.
import { useState, type ReactNode } from 'react';
import { ApiError, describeError, fieldLabel } from '../api/errors';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** The API's problem explained: `detail`, then each field or line at fault. */
export function ErrorBox({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="state error" role="alert">
      {title ? <p className="error-title">{title}</p> : null}
      <p>{describeError(error)}</p>
      {fields.length ? (
        <ul className="error-fields">
          {fields.slice(0, 20).map((f, i) => (
            <li key={i}>
              {f.line !== undefined ? (
                <strong>Line {f.line}: </strong>
              ) : f.field ? (
                <strong>{fieldLabel(f.field)}: </strong>
              ) : null}
              {f.line !== undefined ? f.message.replace(/^line \d+:\s*/i, '') : f.message}
            </li>
          ))}
          {fields.length > 20 ? <li>…and {fields.length - 20} more.</li> : null}
        </ul>
      ) : null}
      {error instanceof ApiError && error.problem.requestId && error.status >= 500 ? (
        <p className="muted small">Request id: {error.problem.requestId}</p>
      ) : null}
      {onRetry ? (
        <button type="button" className="btn secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Card({
  title,
  children,
  actions,
  className = '',
  id,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section
      className={`card ${className}`}
      id={id}
      aria-labelledby={title && id ? `${id}-title` : undefined}
    >
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 id={id ? `${id}-title` : undefined}>{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Stat({
  label,
  value,
  hint,
  tone,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: 'good' | 'warn' | 'bad';
}) {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint ? <div className="stat-hint">{hint}</div> : null}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pctValue = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="progress-wrap">
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pctValue}
      >
        <div className="progress-bar" style={{ width: `${pctValue}%` }} />
      </div>
      <span className="progress-text">{pctValue} %</span>
    </div>
  );
}

export function Badge({
  children,
  tone = 'neutral',
}: {
  children: ReactNode;
  tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info';
}) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

export function statusTone(status: string): 'neutral' | 'good' | 'warn' | 'bad' | 'info' {
  if (['succeeded', 'valid', 'approved', 'verified', 'implemented', 'accepted', 'active'].includes(status))
    return 'good';
  if (['failed', 'rejected', 'revoked', 'not_achieved', 'expired'].includes(status)) return 'bad';
  if (
    ['changes_requested', 'running', 'queued', 'pending', 'in_review', 'submitted', 'resubmitted'].includes(
      status,
    )
  )
    return 'warn';
  if (status === 'new') return 'info';
  return 'neutral';
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn secondary small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          const ta = document.createElement('textarea');
          ta.value = text;
          document.body.appendChild(ta);
          ta.select();
          document.execCommand('copy');
          ta.remove();
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      <span aria-live="polite">{copied ? 'Copied' : label}</span>
    </button>
  );
}

/** A table that scrolls sideways on a phone instead of squeezing. */
export function TableWrap({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** True when the error means "this endpoint does not exist on this server yet". */
export function isMissingEndpoint(error: unknown): boolean {
  // Nest answers an unrouted path with "Cannot GET /api/v1/…"; a missing object has its own detail.
  return (
    error instanceof ApiError &&
    (error.status === 404 || error.status === 405) &&
    /^Cannot (GET|POST|PATCH|PUT|DELETE) /.test(error.problem.detail ?? '')
  );
}
