// Parts the sign-in pages share: the e-mail field (the account's user name) and the links under the form.
import type { ChangeEvent, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Field, fieldErr } from '../../components/form';

/** The account's e-mail address, with the API's error for `email` if it gave one. */
export function EmailField({
  value,
  onChange,
  error,
  hint,
}: {
  value: string;
  onChange: (value: string) => void;
  /** The action's error (the field shows its `email` part). */
  error: unknown;
  hint?: ReactNode;
}) {
  return (
    <Field
      label="E-mail"
      type="email"
      name="email"
      autoComplete="username"
      required
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      error={fieldErr(error, 'email')}
      hint={hint}
    />
  );
}

/** A link under the form (another way in), with optional words before it. */
export function AuthAlt({ to, before, children }: { to: string; before?: ReactNode; children: ReactNode }) {
  return (
    <p className="auth-alt">
      {before}
      <Link to={to}>{children}</Link>
    </p>
  );
}
