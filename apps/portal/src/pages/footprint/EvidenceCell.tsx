// The invoices and receipts of one footprint entry: listed (name, SHA-256 start), downloaded with the
// organisation's login, and attached (PDF, PNG or JPEG; the API judges the type by the bytes).
import { useState } from 'react';
import { download, upload } from '../../api/client';
import type { PricedActivity } from '../../api/types';
import { useOrg } from '../../components/Layout';
import { ErrorBox } from '../../components/ui';
import { useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

export function EvidenceCell({ a, writable }: { a: PricedActivity; writable: boolean }) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const [progress, setProgress] = useState(0);
  const attach = useAction(async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    await upload(
      '/api/v1/orgs/{orgId}/activities/{activityId}/evidence',
      { orgId, activityId: a.id },
      form,
      setProgress,
    );
    invalidate('/api/v1/orgs/{orgId}/activities/priced', { orgId });
  });
  const get = useAction((id: string, name: string) =>
    download(`/api/v1/orgs/${orgId}/activities/${a.id}/evidence/${id}`, {}, name),
  );
  return (
    <div className="small">
      {a.evidence.map((e) => (
        <div key={e.id}>
          <button type="button" className="btn link small" onClick={() => void get.run(e.id, e.filename)}>
            {e.filename}
          </button>{' '}
          <span className="muted" title={`SHA-256 ${e.sha256}`}>
            {e.sha256.slice(0, 10)}…
          </span>
        </div>
      ))}
      {writable ? (
        <label className="btn secondary small">
          {attach.pending ? `Uploading ${Math.round(progress * 100)} %` : 'Attach receipt'}
          <input
            type="file"
            className="visually-hidden"
            accept="application/pdf,image/png,image/jpeg"
            aria-label={`Attach a receipt to ${a.activity}`}
            onChange={(ev) => {
              const file = ev.target.files?.[0];
              ev.target.value = '';
              if (file) void attach.run(file);
            }}
          />
        </label>
      ) : null}
      <ErrorBox error={attach.error} title="The receipt was not attached" />
      <ErrorBox error={get.error} title="The receipt could not be downloaded" />
    </div>
  );
}
