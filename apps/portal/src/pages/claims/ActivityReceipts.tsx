// The invoices and receipts (activity evidence) of the footprint entries whose period overlaps a claim's, as
// the certification body reviewing it sees them: file, entry, size, SHA-256 and a download with the
// certifier's login (GET …/claims/{claimId}/activity-evidence and …/{evidenceId}).
import { buildUrl, download } from '../../api/client';
import type { ActivityEvidence } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Card, ErrorBox, Loading } from '../../components/ui';
import { useApiQuery } from '../../lib/api-query';
import { dateTime } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { size } from './claim-labels';

const FILE = '/api/v1/certification-bodies/{bodyId}/claims/{claimId}/activity-evidence/{evidenceId}';

export function ActivityReceipts({ bodyId, claimId }: { bodyId: string; claimId: string }) {
  const list = useApiQuery('/api/v1/certification-bodies/{bodyId}/claims/{claimId}/activity-evidence', {
    path: { bodyId, claimId },
  });
  const get = useAction((e: ActivityEvidence) =>
    download(buildUrl(FILE, { bodyId, claimId, evidenceId: e.id }), {}, e.filename),
  );
  const rows = list.data ?? [];
  const entries = new Set(rows.map((e) => e.activityId)).size;
  return (
    <Card title="Receipts of the footprint data" id="activity-evidence">
      <p className="muted small">
        Invoices and receipts attached to the footprint entries whose period overlaps the claim’s.
      </p>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} onRetry={list.reload} title="The receipts could not be loaded" />
      {list.data && !rows.length ? (
        <p data-testid="activity-evidence-empty">No footprint entry of the period has a receipt attached.</p>
      ) : null}
      {rows.length ? (
        <>
          <p className="small">
            {rows.length} receipt{rows.length === 1 ? '' : 's'} of {entries} entr{entries === 1 ? 'y' : 'ies'}
          </p>
          <DataTable
            label="Receipts of the footprint data"
            testId="activity-evidence-table"
            columns={['File', 'Activity', 'Size', 'SHA-256', 'Attached']}
            rows={rows}
            row={(e) => (
              <tr key={e.id}>
                <td>
                  <button type="button" className="link-button" onClick={() => void get.run(e)}>
                    {e.filename}
                  </button>
                </td>
                <td>
                  <code className="small" title={`Activity ${e.activityId}`}>
                    {e.activityId.slice(0, 8)}
                  </code>
                </td>
                <td className="num">{size(e.sizeBytes)}</td>
                <td>
                  <code className="small hash">{e.sha256}</code>
                </td>
                <td>{dateTime(e.createdAt)}</td>
              </tr>
            )}
          />
        </>
      ) : null}
      <ErrorBox error={get.error} title="The receipt could not be downloaded" />
    </Card>
  );
}
