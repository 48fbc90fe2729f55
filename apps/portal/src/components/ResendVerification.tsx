import { useState } from 'react';
import { api } from '../api/client';
import { useAction } from '../lib/use-async';
import { ErrorBox } from './ui';

/** POST /auth/verify-email/resend for the signed-in user, with its outcome in words. */
export function ResendVerificationButton() {
  const [sent, setSent] = useState<string | null>(null);
  const action = useAction(async () => {
    const res = await api.post('/api/v1/auth/verify-email/resend');
    setSent(
      res.status === 'already_verified'
        ? 'Your address is already confirmed.'
        : 'Sent: open the newest e-mail from Halve.',
    );
  });
  return (
    <>
      <button
        type="button"
        className="btn secondary small"
        disabled={action.pending}
        onClick={() => void action.run()}
      >
        {action.pending ? 'Sending…' : 'Resend the link'}
      </button>
      {sent ? <span role="status"> {sent}</span> : null}
      <ErrorBox error={action.error} />
    </>
  );
}
