import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth/auth';
import { api } from '../api/client';
import type { EmailVerified } from '../api/models';
import { clearTokens } from '../api/tokens';
import { ErrorBox, Field, Loading, Select, fieldErr } from '../components/ui';
import { ResendVerificationButton } from '../components/ResendVerification';
import { useAction } from '../lib/use-async';
import { PageHeader } from '../components/Layout';

const COUNTRIES = [
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['US', 'United States'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['SE', 'Sweden'],
  ['CN', 'China'],
  ['AU', 'Australia'],
  ['CA', 'Canada'],
] as const;
export const COUNTRY_OPTIONS = COUNTRIES.map(([value, label]) => ({ value, label: `${label} (${value})` }));

export const ZONES_BY_COUNTRY: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  US: 'America/New_York',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  SE: 'Europe/Stockholm',
  CN: 'Asia/Shanghai',
  AU: 'Australia/Sydney',
  CA: 'America/Toronto',
};

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/London';
  } catch {
    return 'Europe/London';
  }
}

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="auth-page">
      <main id="main" className="auth-card">
        <div className="auth-brand" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="36" height="36">
            <circle cx="16" cy="16" r="15" fill="#14532d" />
            <path d="M16 1a15 15 0 0 1 0 30z" fill="#4ade80" />
          </svg>
          <span>Halve</span>
        </div>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

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
        <button type="submit" className="btn primary wide" disabled={action.pending}>
          {action.pending ? 'Logging in…' : 'Log in'}
        </button>
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

export function SignupPage() {
  const { signup } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const invitationToken = params.get('invitation') ?? '';
  const [form, setForm] = useState({
    name: '',
    email: '',
    password: '',
    organizationName: '',
    country: 'GB',
    timezone: ZONES_BY_COUNTRY.GB,
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const action = useAction(async () => {
    const body = invitationToken
      ? { name: form.name.trim(), email: form.email.trim(), password: form.password, invitationToken }
      : {
          name: form.name.trim(),
          email: form.email.trim(),
          password: form.password,
          organizationName: form.organizationName.trim(),
          country: form.country,
          timezone: form.timezone.trim(),
        };
    const orgId = await signup(body);
    if (orgId) navigate(`/orgs/${orgId}`);
    else {
      // Joined by invitation: accepted once the address is verified (the accept page explains and offers it).
      localStorage.setItem(PENDING_INVITATION_KEY, invitationToken);
      navigate(`/invitations/accept?token=${encodeURIComponent(invitationToken)}`);
    }
  });
  const err = (f: string) => fieldErr(action.error, f);
  return (
    <AuthFrame title={invitationToken ? 'Join your team on Halve' : 'Create your Halve account'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
        noValidate
      >
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={form.name}
          onChange={set('name')}
          error={err('name')}
        />
        <Field
          label="Work e-mail"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={err('email')}
          hint={invitationToken ? 'Use the address the invitation was sent to.' : undefined}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={form.password}
          onChange={set('password')}
          error={err('password')}
          hint="At least 10 characters."
        />
        {invitationToken ? (
          <p className="hint">
            You are accepting an invitation: you will join the organisation that invited you.
          </p>
        ) : (
          <>
            <Field
              label="Organisation name"
              name="organizationName"
              autoComplete="organization"
              required
              value={form.organizationName}
              onChange={set('organizationName')}
              error={err('organizationName')}
            />
            <div className="row">
              <Select
                label="Country"
                name="country"
                value={form.country}
                options={COUNTRY_OPTIONS}
                onChange={(e) =>
                  setForm((f) => ({
                    ...f,
                    country: e.target.value,
                    timezone: ZONES_BY_COUNTRY[e.target.value] ?? f.timezone,
                  }))
                }
                error={err('country')}
              />
              <Field
                label="Time zone"
                name="timezone"
                required
                value={form.timezone}
                onChange={set('timezone')}
                error={err('timezone')}
                hint="IANA name, e.g. Europe/London"
                list="tz-suggestions"
              />
              <datalist id="tz-suggestions">
                {[...new Set([browserZone(), ...Object.values(ZONES_BY_COUNTRY)])].map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </div>
          </>
        )}
        <ErrorBox error={action.error} title="Could not create the account" />
        <button type="submit" className="btn primary wide" disabled={action.pending}>
          {action.pending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="auth-alt">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthFrame>
  );
}

/** /invitations/accept?token=…: accepted at once when the address is verified, else explains how to verify it. */
export function AcceptInvitationPage() {
  const { me, refreshMe } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const verified = me?.emailVerified !== false;
  const action = useAction(async () => {
    const res = await api.post('/api/v1/invitations/accept', { body: { token: token.trim() } });
    localStorage.removeItem(PENDING_INVITATION_KEY);
    await refreshMe();
    navigate(res.kind === 'certification_body' ? `/certifier/${res.bodyId}` : `/orgs/${res.organizationId}`);
  });
  // A token in the link and a verified address: accept without another click (once).
  const autoAccepted = useRef(false);
  const fromLink = params.get('token');
  useEffect(() => {
    if (fromLink && verified && !autoAccepted.current) {
      autoAccepted.current = true;
      void action.run();
    }
  }, [fromLink, verified, action]);
  return (
    <>
      <PageHeader
        title="Accept an invitation"
        subtitle="Join another organisation with the account you are logged in with."
      />
      {!verified && me ? (
        <div className="notice card narrow" role="status">
          <p>
            <strong>Check your e-mail:</strong> open the link we sent to <strong>{me.email}</strong> to
            confirm it, then open your invitation link again (or accept it from here once confirmed).
          </p>
          <p>
            <ResendVerificationButton />{' '}
            <button type="button" className="btn secondary small" onClick={() => void refreshMe()}>
              I have confirmed it
            </button>
          </p>
        </div>
      ) : null}
      <form
        className="card narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
      >
        <Field
          label="Invitation token"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          error={fieldErr(action.error, 'token')}
          hint="The token from the invitation e-mail."
        />
        <ErrorBox error={action.error} />
        <button type="submit" className="btn primary" disabled={action.pending || !token.trim()}>
          {action.pending ? 'Accepting…' : 'Accept invitation'}
        </button>
      </form>
    </>
  );
}

/** Where a sign-up by invitation keeps its token until the address is verified (the /verify-email page offers it). */
export const PENDING_INVITATION_KEY = 'halve.pendingInvitation';

function invitationInNext(next: string | null): string | null {
  if (!next?.startsWith('/invitations/accept?')) return null;
  return new URLSearchParams(next.slice(next.indexOf('?') + 1)).get('token');
}

// The verification token is single use: one request per token even if the page mounts twice (StrictMode).
const verifications = new Map<string, Promise<EmailVerified>>();

/** /verify-email?token=…, the link in the verification e-mail. Works logged in or out. */
export function VerifyEmailPage() {
  const { status, refreshMe } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [result, setResult] = useState<{ ok: EmailVerified } | { error: unknown } | null>(null);
  useEffect(() => {
    if (!token) return;
    let current = true;
    let pending = verifications.get(token);
    if (!pending) {
      pending = api.post('/api/v1/auth/verify-email', { body: { token } });
      verifications.set(token, pending);
    }
    pending.then(
      (ok) => current && setResult({ ok }),
      (error: unknown) => current && setResult({ error }),
    );
    return () => {
      current = false;
    };
  }, [token]);
  useEffect(() => {
    if (result && 'ok' in result && status === 'authenticated') void refreshMe().catch(() => undefined);
  }, [result, status, refreshMe]);
  const invitation = localStorage.getItem(PENDING_INVITATION_KEY);
  return (
    <AuthFrame title="Confirm your e-mail address">
      {!token ? (
        <div className="state error" role="alert">
          <p>This link has no token. Open the link from the e-mail exactly as it was sent.</p>
        </div>
      ) : !result ? (
        <Loading what="Confirming your address" />
      ) : 'ok' in result ? (
        <>
          <p className="notice" role="status">
            Your e-mail address {result.ok.email} is confirmed.
          </p>
          {invitation && status === 'authenticated' ? (
            <p className="auth-alt">
              <Link
                className="btn primary wide"
                to={`/invitations/accept?token=${encodeURIComponent(invitation)}`}
              >
                Accept your invitation
              </Link>
            </p>
          ) : null}
          <p className="auth-alt">
            <Link to="/">{status === 'authenticated' ? 'Continue to Halve' : 'Log in to Halve'}</Link>
          </p>
        </>
      ) : (
        <>
          <ErrorBox error={result.error} title="Could not confirm the address" />
          <p className="auth-alt">
            {status === 'authenticated' ? (
              <ResendVerificationButton />
            ) : (
              <Link to="/login">Log in to ask for a new link</Link>
            )}
          </p>
        </>
      )}
    </AuthFrame>
  );
}

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
          <button type="submit" className="btn primary wide" disabled={action.pending || !email.trim()}>
            {action.pending ? 'Sending…' : 'Send the link'}
          </button>
        </form>
      )}
      <p className="auth-alt">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthFrame>
  );
}

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
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void action.run();
          }}
          noValidate
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
          <ErrorBox error={action.error} title="Could not set the password" />
          {fieldErr(action.error, 'token') ? (
            <p className="auth-alt">
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          ) : null}
          <button type="submit" className="btn primary wide" disabled={action.pending || !password}>
            {action.pending ? 'Saving…' : 'Set the password'}
          </button>
        </form>
      )}
      <p className="auth-alt">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthFrame>
  );
}

export function NewOrganisationPage() {
  const { refreshMe } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', country: 'GB', timezone: ZONES_BY_COUNTRY.GB, sector: '' });
  const action = useAction(async () => {
    const org = await api.post('/api/v1/orgs', {
      body: {
        name: form.name.trim(),
        country: form.country,
        timezone: form.timezone.trim(),
        ...(form.sector.trim() ? { sector: form.sector.trim() } : {}),
      },
    });
    await refreshMe();
    navigate(`/orgs/${org.id}`);
  });
  const err = (f: string) => fieldErr(action.error, f);
  return (
    <>
      <PageHeader
        title="New organisation"
        subtitle="For a consultant serving several businesses, or a second company of yours. You become its owner."
      />
      <form
        className="card narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
        noValidate
      >
        <Field
          label="Name"
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={err('name')}
        />
        <Select
          label="Country"
          value={form.country}
          options={COUNTRY_OPTIONS}
          onChange={(e) =>
            setForm({
              ...form,
              country: e.target.value,
              timezone: ZONES_BY_COUNTRY[e.target.value] ?? form.timezone,
            })
          }
          error={err('country')}
        />
        <Field
          label="Time zone"
          value={form.timezone}
          onChange={(e) => setForm({ ...form, timezone: e.target.value })}
          error={err('timezone')}
        />
        <Field
          label="Sector"
          value={form.sector}
          onChange={(e) => setForm({ ...form, sector: e.target.value })}
          error={err('sector')}
          hint="Optional, e.g. bakery, office, light manufacturing."
        />
        <ErrorBox error={action.error} />
        <button type="submit" className="btn primary" disabled={action.pending}>
          Create organisation
        </button>
      </form>
    </>
  );
}
