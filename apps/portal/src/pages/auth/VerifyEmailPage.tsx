import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { api } from '../../api/client';
import type { EmailVerified } from '../../api/types';
import { ErrorBox, Loading } from '../../components/ui';
import { ResendVerificationButton } from '../../components/ResendVerification';
import { AuthFrame } from './AuthFrame';
import { PENDING_INVITATION_KEY } from './pending-invitation';

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
