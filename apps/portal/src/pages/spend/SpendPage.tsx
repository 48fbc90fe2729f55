import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Card, Empty, ErrorBox, Loading, TableWrap } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { co2 } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { LedgerReview } from './LedgerReview';
import { LedgerUploadForm } from './LedgerUploadForm';
import { SpendRules } from './SpendRules';

const FORMATS: Record<string, string> = {
  xero: 'Xero',
  quickbooks: 'QuickBooks',
  sage: 'Sage',
  generic: 'CSV',
};

/** Spend-based Scope 3: upload an accounting export, review how each line was mapped and priced, correct it. */
export function SpendPage() {
  const { orgId, role } = useOrg();
  const invalidate = useInvalidate();
  const [params, setParams] = useSearchParams();
  const [message, setMessage] = useState('');
  const ledgers = useApiQuery('/api/v1/orgs/{orgId}/spend-ledgers', { path: { orgId } });
  const chosen = params.get('ledger');
  const selected = ledgers.data?.find((l) => l.id === chosen)?.id ?? ledgers.data?.[0]?.id;
  const remove = useAction(async (ledgerId: string) => {
    await api.delete('/api/v1/orgs/{orgId}/spend-ledgers/{ledgerId}', { path: { orgId, ledgerId } });
    invalidate('/api/v1/orgs/{orgId}/spend-ledgers', { orgId });
  });
  return (
    <>
      <PageHeader
        title="Purchases (spend)"
        subtitle="Scope 3 from your accounting ledger: each line is mapped to a spend category, priced with a supply-chain factor (US EPA NAICS or EXIOBASE) brought to the factor's price year, or excluded with the reason — lines already counted by activity data (fuel, electricity, travel by distance) are excluded to avoid double counting."
      />
      {canWrite(role) ? (
        <Card title="Upload an accounting export">
          <LedgerUploadForm
            onDone={(l) => {
              setMessage(
                `Uploaded ${l.fileName}: ${l.lineCount} lines, ${l.countedLines} counted${
                  l.replaced.length
                    ? `; replaced ${l.replaced.length} earlier upload(s) of the same period`
                    : ''
                }.`,
              );
              setParams({ ledger: l.id });
            }}
          />
        </Card>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {ledgers.loading && !ledgers.data ? <Loading what="Loading ledgers" /> : null}
      <ErrorBox error={ledgers.error ?? remove.error} onRetry={ledgers.reload} />
      {ledgers.data?.length ? (
        <TableWrap label="Ledgers">
          <table>
            <thead>
              <tr>
                <th>File</th>
                <th>Layout</th>
                <th>Period</th>
                <th>Lines (counted)</th>
                <th>Scope 3</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {ledgers.data.map((l) => (
                <tr key={l.id} aria-current={l.id === selected ? 'true' : undefined}>
                  <td>{l.fileName}</td>
                  <td>{FORMATS[l.format] ?? l.format}</td>
                  <td>
                    {l.periodFrom} – {l.periodTo}
                  </td>
                  <td>
                    {l.lineCount} ({l.countedLines})
                  </td>
                  <td>{co2(l.kgCo2e)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn secondary"
                      onClick={() => setParams({ ledger: l.id })}
                    >
                      Review
                    </button>{' '}
                    {canWrite(role) ? (
                      <button type="button" className="btn secondary" onClick={() => void remove.run(l.id)}>
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : ledgers.data ? (
        <Empty title="No ledger uploaded yet.">
          Export your expense accounts’ transactions for a year from your accounting package and upload them.
        </Empty>
      ) : null}
      {selected ? <LedgerReview key={selected} ledgerId={selected} /> : null}
      <SpendRules />
    </>
  );
}
