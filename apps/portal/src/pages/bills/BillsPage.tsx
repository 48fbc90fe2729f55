import { useState } from 'react';
import { api } from '../../api/client';
import { DeleteButton } from '../../components/DeleteButton';
import { PageHeader, canWrite, useOrg } from '../../components/Layout';
import { Badge, Card, Empty, ErrorBox, Loading, TableWrap } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { money, num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { BILL_UNITS, BillFileForm, BillForm, type Bill } from './BillForm';

function Reconciliation({ bill }: { bill: Bill }) {
  if (bill.countedAsReadings) return <span className="muted small">counted from the bill</span>;
  const r = bill.reconciliation;
  if (!r) return <span className="muted small">no interval data in the period</span>;
  const diff = r.differencePercent === null ? '–' : `${num(r.differencePercent, 1)} %`;
  return (
    <Badge tone={r.flagged ? 'warn' : 'good'}>{r.flagged ? `differs by ${diff}` : `matches (${diff})`}</Badge>
  );
}

/** Utility bills of the organisation's electricity and gas meters: enter one, upload a file, see each month's share. */
export function BillsPage() {
  const { orgId, role } = useOrg();
  const bills = useApiQuery('/api/v1/orgs/{orgId}/bills', { path: { orgId } });
  const allMeters = useApiQuery('/api/v1/orgs/{orgId}/meters', { path: { orgId } });
  const sites = useApiQuery('/api/v1/orgs/{orgId}/sites', { path: { orgId } });
  const meters = (allMeters.data ?? []).filter((m) => m.kind in BILL_UNITS);
  const names = new Map((allMeters.data ?? []).map((m) => [m.id, m.name]));
  const [message, setMessage] = useState('');
  const invalidate = useInvalidate();
  const remove = useAction(async (billId: string) => {
    await api.delete('/api/v1/orgs/{orgId}/bills/{billId}', { path: { orgId, billId } });
    invalidate('/api/v1/orgs/{orgId}/bills', { orgId });
  });
  return (
    <>
      <PageHeader
        title="Utility bills"
        subtitle="Electricity and gas bills. On a meter without interval data the bill is its data; on an interval meter it is checked against it (flagged beyond 2 %)."
      />
      {canWrite(role) && allMeters.data && sites.data ? (
        <div className="grid cards">
          <Card title="Enter a bill">
            <BillForm
              meters={meters}
              sites={sites.data}
              onCreated={(b) =>
                setMessage(`Saved: ${b.periodFrom} – ${b.periodTo}, ${b.months.length} month(s).`)
              }
            />
          </Card>
          <Card title="Upload bills">
            <BillFileForm meters={meters} onDone={(n) => setMessage(`${n} bill(s) saved.`)} />
          </Card>
        </div>
      ) : null}
      {allMeters.data && !meters.length ? (
        <p className="muted small">
          No electricity or gas meter yet: enter a bill as electricity or gas and it is made with it (a
          bill-period meter, on a new site at the supply address if you have none).
        </p>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {bills.loading && !bills.data ? <Loading what="Loading bills" /> : null}
      <ErrorBox error={bills.error ?? remove.error} onRetry={bills.reload} />
      {bills.data?.length ? (
        <TableWrap label="Bills">
          <table>
            <thead>
              <tr>
                <th>Meter</th>
                <th>Period (days)</th>
                <th>Quantity</th>
                <th>By month</th>
                <th>Cost</th>
                <th>Supplier · tariff</th>
                <th>Interval data</th>
                {canWrite(role) ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {bills.data.map((b) => (
                <tr key={b.id}>
                  <td>{names.get(b.meterId) ?? b.meterId}</td>
                  <td>
                    {b.periodFrom} – {b.periodTo} ({b.days})
                  </td>
                  <td>
                    {num(b.quantity, 3)} {b.unit}
                  </td>
                  <td className="small">
                    {b.months
                      .map((m) => `${m.month}: ${num(m.quantity, 1)} ${b.meterUnit} (${m.days} d)`)
                      .join(' · ')}
                  </td>
                  <td>{b.cost === null ? '–' : money(b.cost, b.currency ?? 'GBP')}</td>
                  <td>
                    {[
                      b.supplier,
                      b.tariffName,
                      b.renewableCertificate ? `certificate ${b.renewableCertificate}` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </td>
                  <td>
                    <Reconciliation bill={b} />
                  </td>
                  {canWrite(role) ? (
                    <td>
                      <DeleteButton action={remove} id={b.id} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : bills.data ? (
        <Empty title="No bills yet." />
      ) : null}
    </>
  );
}
