import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorBox } from '../../components/ui';
import { Field, fieldErr, SubmitButton } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';

/** /forgot-password: e-mails a reset link; the answer is the same whether the address has an account or not. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction(async () => {
    await api.post('/api/v1/auth/password-reset', { body: { email: email.trim() } });
    setDone(true);
  });
  return (
    <AuthFrame title="Reset your password">
      {done ? (
        <p className="notice" role="status">
          If an account exists for {email.trim()}, we sent a link to set a new password to it. The link works
          once, for one hour.
        </p>
      ) : (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void action.run();
          }}
          noValidate
        >
          <Field
            label="E-mail"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldErr(action.error, 'email')}
            hint="We send a link to set a new password to this address."
          />
          <ErrorBox error={action.error} title="Could not send the link" />
          <SubmitButton
            className="btn primary wide"
            busy={action.pending}
            disabled={!email.trim()}
            busyLabel="Sending…"
          >
            Send the link
          </SubmitButton>
        </form>
      )}
      <p className="auth-alt">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthFrame>
  );
}
