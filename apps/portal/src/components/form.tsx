// Form building blocks shared by every page: a labelled field with its hint and error text, a select, and a
// submit button that shows it is busy. The DOM is what the pages wrote by hand before (browser tests select
// by label, role and text).
import {
  useId,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
} from 'react';
import { ApiError } from '../api/errors';

/** The error the API gave for one field of the form, if any. */
export function fieldErr(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

/** The `aria-describedby` of a control: its error when there is one, else its hint. */
function describedBy(fid: string, hint: ReactNode, error: string | undefined): string | undefined {
  return error ? `${fid}-err` : hint ? `${fid}-hint` : undefined;
}

/** Label above, control, then the hint (hidden while there is an error) or the error text. */
function FieldFrame({
  fid,
  label,
  required,
  hint,
  error,
  children,
}: {
  fid: string;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={fid}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint && !error ? (
        <div className="hint" id={`${fid}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${fid}-err`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

type FieldProps = {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** React 19 passes `ref` as a prop: a file input's ref reaches the <input>. */
  ref?: Ref<HTMLInputElement>;
} & InputHTMLAttributes<HTMLInputElement>;

export function Field({ label, hint, error, id, ...input }: FieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldFrame fid={fid} label={label} required={input.required} hint={hint} error={error}>
      <input
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...input}
      />
    </FieldFrame>
  );
}

type SelectProps = {
  label: string;
  hint?: ReactNode;
  error?: string;
  options: { value: string; label: string }[];
} & SelectHTMLAttributes<HTMLSelectElement>;

export function Select({ label, hint, error, options, id, ...select }: SelectProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldFrame fid={fid} label={label} hint={hint} error={error}>
      <select
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

type BusyButtonProps = {
  /** An action of this button is under way: the button is disabled and shows `busyLabel` if given. */
  busy: boolean;
  busyLabel?: ReactNode;
} & ButtonHTMLAttributes<HTMLButtonElement>;

/** A button that is disabled while its action runs (and whenever `disabled` says so). */
export function BusyButton({
  busy,
  busyLabel,
  disabled,
  children,
  type = 'button',
  className = 'btn primary',
  ...button
}: BusyButtonProps) {
  return (
    <button type={type} className={className} disabled={busy || disabled} {...button}>
      {busy && busyLabel !== undefined ? busyLabel : children}
    </button>
  );
}

/** The submit button of a form, disabled while the form is being sent. */
export function SubmitButton(props: Omit<BusyButtonProps, 'type'>) {
  return <BusyButton type="submit" {...props} />;
}
