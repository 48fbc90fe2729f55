// Form building blocks shared by every page: a labelled field with its hint and error text, a select, a
// submit button that shows it is busy, and the form that runs an action with its error box. The DOM is what the pages wrote by hand before (browser tests select
// by label, role and text).
import {
  useId,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
} from 'react';
import { ApiError } from '../api/errors';
import { ErrorBox } from './ui';

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

/** What ActionForm needs of useAction: run it, whether it runs, its last error. */
interface FormAction {
  run: () => Promise<unknown>;
  pending: boolean;
  error: unknown;
}

/**
 * A form that runs `action` on submit (the browser's own validation off: the API's field errors are shown
 * at the fields), then the action's error and the submit button.
 */
export function ActionForm({
  action,
  submit,
  busyLabel,
  errorTitle,
  submitClassName,
  disabled,
  label,
  valid = true,
  afterError,
  children,
}: {
  action: FormAction;
  /** The submit button's text, and `busyLabel` while the action runs. */
  submit: ReactNode;
  busyLabel?: ReactNode;
  /** The title of the error box, e.g. "The site was not created". */
  errorTitle: string;
  submitClassName?: string;
  /** The submit button is disabled (e.g. a required field is empty). */
  disabled?: boolean;
  /** The form's accessible name. */
  label?: string;
  /** false: a field says what is wrong, and submitting sends nothing. */
  valid?: boolean;
  /** Shown between the error box and the button. */
  afterError?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void action.run();
      }}
      noValidate
      aria-label={label}
    >
      {children}
      <ErrorBox error={action.error} title={errorTitle} />
      {afterError}
      <SubmitButton
        className={submitClassName}
        busy={action.pending}
        busyLabel={busyLabel}
        disabled={disabled}
      >
        {submit}
      </SubmitButton>
    </form>
  );
}

/** A form's values and the `onChange` that sets one of them from its input or select. */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [f, setF] = useState(initial);
  const set = (k: keyof T) => (e: { target: { value: string } }) =>
    setF((prev) => ({ ...prev, [k]: e.target.value }));
  return [f, setF, set] as const;
}
