import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { clearTokens } from '../../api/tokens';
import { ActionForm, Field, fieldErr } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';
import { AuthAlt } from './auth-parts';

/** /reset-password?token=…, the link in the reset e-mail: a new password, then log in (every session ends). */
export function ResetPasswordPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const action = useAction(async () => {
    await api.post('/api/v1/auth/password-reset/confirm', { body: { token, password } });
    clearTokens(); // the server ended every session of the account, this one too
    navigate('/login?reset=done');
  });
  return (
    <AuthFrame title="Set a new password">
      {!token ? (
        <div className="state error" role="alert">
          <p>
            This link has no token. Open the link from the e-mail exactly as it was sent, or{' '}
            <Link to="/forgot-password">ask for a new one</Link>.
          </p>
        </div>
      ) : (
        <ActionForm
          action={action}
          errorTitle="Could not set the password"
          submitClassName="btn primary wide"
          disabled={!password}
          busyLabel="Saving…"
          submit="Set the password"
          afterError={
            fieldErr(action.error, 'token') ? (
              <AuthAlt to="/forgot-password">Ask for a new link</AuthAlt>
            ) : null
          }
        >
          <Field
            label="New password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErr(action.error, 'password')}
            hint="At least 10 characters."
          />
        </ActionForm>
      )}
      <AuthAlt to="/login">Back to log in</AuthAlt>
    </AuthFrame>
  );
}
