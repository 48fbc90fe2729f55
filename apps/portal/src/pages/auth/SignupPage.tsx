import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { ActionForm, Field, fieldErr, Select, useFields } from '../../components/form';
import { useAction } from '../../lib/use-async';
import { AuthFrame } from './AuthFrame';
import { AuthAlt } from './auth-parts';
import { COUNTRY_OPTIONS, ZONES_BY_COUNTRY, browserZone } from '../../lib/countries';
import { PENDING_INVITATION_KEY } from './pending-invitation';

export function SignupPage() {
  const { signup } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const invitationToken = params.get('invitation') ?? '';
  const [form, setForm, set] = useFields({
    name: '',
    email: '',
    password: '',
    organizationName: '',
    country: 'GB',
    timezone: ZONES_BY_COUNTRY.GB,
  });
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
      <ActionForm
        action={action}
        errorTitle="Could not create the account"
        submitClassName="btn primary wide"
        busyLabel="Creating…"
        submit="Create account"
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
      </ActionForm>
      <AuthAlt before="Already have an account? " to="/login">
        Log in
      </AuthAlt>
    </AuthFrame>
  );
}
