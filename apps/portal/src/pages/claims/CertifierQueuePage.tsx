import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ClaimStatus } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { Badge, Card, Empty, ErrorBox, Loading, isMissingEndpoint, statusTone } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { Select } from '../../components/form';
import { date, dateTime, humanize } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { claimLabel, period } from './claim-labels';

export function CertifierQueuePage() {
  const { bodyId = '' } = useParams();
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const queue = useApiQuery('/api/v1/certification-bodies/{bodyId}/claims', {
    path: { bodyId },
    query: { status: status || undefined },
  });
  const certificates = useApiQuery('/api/v1/certification-bodies/{bodyId}/certificates', {
    path: { bodyId },
  });
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
        <DataTable
          empty={
            <Empty
              title={status ? `No claims ${humanize(status).toLowerCase()}.` : 'No claims submitted yet.'}
            />
          }
          label="Claims submitted"
          testId="certifier-queue"
          columns={['Organisation', 'Claim', 'Period', 'Status', 'Submitted']}
          rows={queue.data}
          row={(c) => (
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
          )}
        />
      </Card>
      <Card title="Certificates issued" id="certificates">
        <ErrorBox error={certificates.error} onRetry={certificates.reload} />
        <DataTable
          empty={<Empty title="No certificates issued yet." />}
          label="Certificates"
          columns={['Number', 'Claim', 'Period', 'Status', 'Valid until']}
          rows={certificates.data}
          row={(x) => (
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
          )}
        />
      </Card>
    </>
  );
}
