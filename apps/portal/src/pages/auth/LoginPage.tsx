import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { ActionForm, Field, fieldErr } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';
import { AuthAlt, EmailField } from './auth-parts';
import { invitationInNext } from './pending-invitation';

export function LoginPage() {
  const { login, notice } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(async () => {
    await login(email.trim(), password);
    navigate(params.get('next') || '/');
  });
  const message =
    params.get('reset') === 'done' ? 'Your password has been changed. Log in with the new one.' : notice;
  // An invitation link opened logged out comes here as ?next=/invitations/accept?token=…
  const invitation = params.get('invitation') || invitationInNext(params.get('next'));
  return (
    <AuthFrame title="Log in">
      {message ? (
        <p className="notice" role="status">
          {message}
        </p>
      ) : null}
      <ActionForm
        action={action}
        errorTitle="Could not log in"
        submitClassName="btn primary wide"
        busyLabel="Logging in…"
        submit="Log in"
      >
        <EmailField value={email} onChange={setEmail} error={action.error} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErr(action.error, 'password')}
        />
      </ActionForm>
      <AuthAlt to="/forgot-password">Forgot your password?</AuthAlt>
      <AuthAlt
        before="New to Halve? "
        to={`/signup${invitation ? `?invitation=${encodeURIComponent(invitation)}` : ''}`}
      >
        Create an account
      </AuthAlt>
      <AuthAlt to="/verify">Verify a certificate</AuthAlt>
    </AuthFrame>
  );
}
