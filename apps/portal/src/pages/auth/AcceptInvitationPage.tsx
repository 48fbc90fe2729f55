import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { api } from '../../api/client';
import { ErrorBox } from '../../components/ui';
import { Field, fieldErr, SubmitButton } from '../../components/form';
import { ResendVerificationButton } from '../../components/ResendVerification';
import { useAction } from '../../lib/use-async';
import { PageHeader } from '../../components/Layout';
import { PENDING_INVITATION_KEY } from './pending-invitation';

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
        <SubmitButton busy={action.pending} disabled={!token.trim()} busyLabel="Accepting…">
          Accept invitation
        </SubmitButton>
      </form>
    </>
  );
}
