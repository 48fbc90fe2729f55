import { useState } from 'react';
import { api } from '../../api/client';
import { ActionForm } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';
import { AuthAlt, EmailField } from './auth-parts';

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
        <ActionForm
          action={action}
          errorTitle="Could not send the link"
          submitClassName="btn primary wide"
          disabled={!email.trim()}
          busyLabel="Sending…"
          submit="Send the link"
        >
          <EmailField
            value={email}
            onChange={setEmail}
            error={action.error}
            hint="We send a link to set a new password to this address."
          />
        </ActionForm>
      )}
      <AuthAlt to="/login">Back to log in</AuthAlt>
    </AuthFrame>
  );
}
