import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { ErrorBox } from '../../components/ui';
import { Field, fieldErr, SubmitButton } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';
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
        />
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
        <ErrorBox error={action.error} title="Could not log in" />
        <SubmitButton className="btn primary wide" busy={action.pending} busyLabel="Logging in…">
          Log in
        </SubmitButton>
      </form>
      <p className="auth-alt">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p className="auth-alt">
        New to Halve?{' '}
        <Link to={`/signup${invitation ? `?invitation=${encodeURIComponent(invitation)}` : ''}`}>
          Create an account
        </Link>
      </p>
      <p className="auth-alt">
        <Link to="/verify">Verify a certificate</Link>
      </p>
    </AuthFrame>
  );
}
