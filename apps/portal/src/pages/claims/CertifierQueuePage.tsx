import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { ClaimStatus } from '../../api/models';
import { PageHeader } from '../../components/Layout';
import {
  Badge,
  Card,
  Empty,
  ErrorBox,
  Loading,
  TableWrap,
  isMissingEndpoint,
  statusTone,
} from '../../components/ui';
import { Select } from '../../components/form';
import { date, dateTime, humanize } from '../../lib/format';
import { useAsync } from '../../lib/use-async';
import { claimLabel, period } from './claim-labels';

export function CertifierQueuePage() {
  const { bodyId = '' } = useParams();
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const queue = useAsync(
    (signal) =>
      api.get('/api/v1/certification-bodies/{bodyId}/claims', {
        path: { bodyId },
        query: { status: status || undefined },
        signal,
      }),
    [bodyId, status],
  );
  const certificates = useAsync(
    (signal) => api.get('/api/v1/certification-bodies/{bodyId}/certificates', { path: { bodyId }, signal }),
    [bodyId],
  );
  return (
    <>
      <PageHeader title="Certifier queue" subtitle="Claims submitted to your certification body." />
      <Card
        title="Claims"
        id="queue"
        actions={
          <Select
            label="Status"
            value={status}
            options={[
              { value: '', label: 'All' },
              ...['submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn'].map(
                (s) => ({ value: s, label: humanize(s) }),
              ),
            ]}
            onChange={(e) => setStatus(e.target.value as ClaimStatus | '')}
          />
        }
      >
        {queue.loading && !queue.data ? <Loading /> : null}
        {isMissingEndpoint(queue.error) ? (
          <Empty title="The certifier queue is not available on this server yet." />
        ) : (
          <ErrorBox error={queue.error} onRetry={queue.reload} />
        )}
        {queue.data && !queue.data.length ? (
          <Empty
            title={status ? `No claims ${humanize(status).toLowerCase()}.` : 'No claims submitted yet.'}
          />
        ) : null}
        {queue.data?.length ? (
          <TableWrap label="Claims submitted">
            <table data-testid="certifier-queue">
              <thead>
                <tr>
                  <th scope="col">Organisation</th>
                  <th scope="col">Claim</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                  <th scope="col">Submitted</th>
                </tr>
              </thead>
              <tbody>
                {queue.data.map((c) => (
                  <tr key={c.id}>
                    <td>{c.organizationName ?? '–'}</td>
                    <td>
                      <Link to={`/certifier/${bodyId}/claims/${c.id}`}>{claimLabel(c.type)}</Link>
                      {c.statement ? <div className="muted small">{c.statement}</div> : null}
                    </td>
                    <td>{period(c.periodFrom, c.periodTo)}</td>
                    <td>
                      <Badge tone={statusTone(c.status)}>{humanize(c.status)}</Badge>
                      {c.submissionCount > 1 ? (
                        <div className="muted small">submission {c.submissionCount}</div>
                      ) : null}
                    </td>
                    <td>{dateTime(c.submittedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </Card>
      <Card title="Certificates issued" id="certificates">
        <ErrorBox error={certificates.error} onRetry={certificates.reload} />
        {certificates.data && !certificates.data.length ? (
          <Empty title="No certificates issued yet." />
        ) : null}
        {certificates.data?.length ? (
          <TableWrap label="Certificates">
            <table>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Claim</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                  <th scope="col">Valid until</th>
                </tr>
              </thead>
              <tbody>
                {certificates.data.map((x) => (
                  <tr key={x.number}>
                    <td>
                      <Link to={`/verify/${encodeURIComponent(x.number)}`}>{x.number}</Link>
                    </td>
                    <td>{claimLabel(x.claimType)}</td>
                    <td>{period(x.periodFrom, x.periodTo)}</td>
                    <td>
                      <Badge tone={statusTone(x.status)}>{humanize(x.status)}</Badge>
                    </td>
                    <td>{date(x.validUntil)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </Card>
    </>
  );
}
