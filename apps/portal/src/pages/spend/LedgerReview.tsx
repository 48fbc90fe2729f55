import { useState } from 'react';
import { api } from '../../api/client';
import type { SpendCategory, SpendLedger, SpendLine, SpendRuleInput } from '../../api/types';

type CategoryKey = SpendRuleInput['category'];
import { canWrite, useOrg } from '../../components/Layout';
import { BusyButton } from '../../components/form';
import { Badge, Card, ErrorBox, Loading, TableWrap } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { co2, num } from '../../lib/format';
import { useAction } from '../../lib/use-async';
import { adjustmentParts, factorText, lineStatus, totalsByCategory } from './spend-view';

const TONE = { mapped: 'good', unmapped: 'warn', double_counted: 'info', excluded: 'neutral' } as const;

function Status({ line }: { line: SpendLine }) {
  const s = lineStatus(line);
  return (
    <>
      <Badge tone={TONE[s.kind]}>{s.label}</Badge>
      {s.reason ? <div className="small muted">{s.reason}</div> : null}
    </>
  );
}

function Adjustment({ line }: { line: SpendLine }) {
  const a = adjustmentParts(line);
  if (!a) return <>–</>;
  return (
    <span className="small">
      {a.index}
      {a.fx ? <div>{a.fx}</div> : null}
      {a.notes.map((n) => (
        <div key={n} className="muted">
          {n}
        </div>
      ))}
    </span>
  );
}

function CategoryCell({
  line,
  categories,
  editable,
  onChange,
}: {
  line: SpendLine;
  categories: SpendCategory[];
  editable: boolean;
  onChange: (category: CategoryKey) => void;
}) {
  if (!editable) return <>{line.categoryLabel ?? '–'}</>;
  return (
    <>
      <select
        aria-label={`Category of line ${line.lineNo}`}
        value={line.category ?? ''}
        onChange={(e) => e.target.value && onChange(e.target.value as CategoryKey)}
      >
        {line.category === null ? <option value="">Choose a category…</option> : null}
        {categories.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
      <div className="small muted">
        {line.rule === 'manual'
          ? 'chosen for this line'
          : line.rule === 'organisation'
            ? 'your rule'
            : line.rule === 'default'
              ? 'default rule'
              : ''}
      </div>
    </>
  );
}

function Totals({ ledger }: { ledger: SpendLedger }) {
  const totals = totalsByCategory(ledger.lines);
  if (!totals.length) return null;
  return (
    <TableWrap label="Totals by category">
      <table>
        <caption>Totals by category (counted lines)</caption>
        <thead>
          <tr>
            <th>Category</th>
            <th>Lines</th>
            <th>Spend ({ledger.currency})</th>
            <th>kg CO₂e</th>
          </tr>
        </thead>
        <tbody>
          {totals.map((t) => (
            <tr key={t.category}>
              <td>{t.label}</td>
              <td>{t.lines}</td>
              <td>{num(t.amount, 2)}</td>
              <td>{num(t.kgCo2e, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** One ledger's lines: category (editable), factor, source, adjustment, kg CO2e and status; totals by category. */
export function LedgerReview({ ledgerId }: { ledgerId: string }) {
  const { orgId, role } = useOrg();
  const invalidate = useInvalidate();
  const path = { orgId, ledgerId };
  const ledger = useApiQuery('/api/v1/orgs/{orgId}/spend-ledgers/{ledgerId}', { path });
  const categories = useApiQuery('/api/v1/orgs/{orgId}/spend-categories', { path: { orgId } });
  const [unmappedOnly, setUnmappedOnly] = useState(false);
  const [remember, setRemember] = useState(true);
  const done = (view: SpendLedger) => {
    ledger.setData(view);
    invalidate('/api/v1/orgs/{orgId}/spend-ledgers', { orgId });
    invalidate('/api/v1/orgs/{orgId}/spend-rules', { orgId });
  };
  const correct = useAction(async (lineNo: number, category: CategoryKey) => {
    done(
      await api.patch('/api/v1/orgs/{orgId}/spend-ledgers/{ledgerId}/lines/{lineNo}', {
        path: { ...path, lineNo },
        body: { category, remember },
      }),
    );
  });
  const reapply = useAction(async () => {
    done(await api.post('/api/v1/orgs/{orgId}/spend-ledgers/{ledgerId}/reapply-rules', { path }));
  });
  const l = ledger.data;
  if (!l) return ledger.loading ? <Loading what="Loading the ledger" /> : <ErrorBox error={ledger.error} />;
  const editable = canWrite(role);
  const shown = unmappedOnly ? l.lines.filter((x) => lineStatus(x).kind === 'unmapped') : l.lines;
  const unmapped = l.lines.filter((x) => lineStatus(x).kind === 'unmapped').length;
  return (
    <Card
      title={`${l.fileName}: ${l.periodFrom} – ${l.periodTo}`}
      actions={
        editable ? (
          <BusyButton className="btn secondary" busy={reapply.pending} onClick={() => void reapply.run()}>
            Apply rules again
          </BusyButton>
        ) : null
      }
    >
      <p>
        {l.lineCount} lines, {l.countedLines} counted, {unmapped} unmapped: {co2(l.kgCo2e)} (Scope 3).
        Factors: {l.factorSet === 'epa' ? 'US EPA v1.3' : `EXIOBASE ${l.factorRegion}`}.
      </p>
      <ErrorBox error={correct.error ?? reapply.error ?? categories.error} />
      <div className="row">
        <label>
          <input type="checkbox" checked={unmappedOnly} onChange={(e) => setUnmappedOnly(e.target.checked)} />{' '}
          Unmapped only
        </label>{' '}
        {editable ? (
          <label>
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
            Remember for next time
          </label>
        ) : null}
      </div>
      <Totals ledger={l} />
      <TableWrap label="Ledger lines">
        <table>
          <thead>
            <tr>
              <th>Line</th>
              <th>Date</th>
              <th>Description</th>
              <th>Account</th>
              <th>Supplier</th>
              <th>Amount</th>
              <th>Category</th>
              <th>Factor</th>
              <th>Source</th>
              <th>Price adjustment</th>
              <th>kg CO₂e</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => (
              <tr key={x.lineNo}>
                <td>{x.lineNo}</td>
                <td>{x.date}</td>
                <td>{x.description}</td>
                <td>{[x.accountCode, x.account].filter(Boolean).join(' ')}</td>
                <td>{x.supplier ?? '–'}</td>
                <td>
                  {x.amount} {l.currency}
                </td>
                <td>
                  <CategoryCell
                    line={x}
                    categories={categories.data ?? []}
                    editable={editable && !correct.pending}
                    onChange={(c) => void correct.run(x.lineNo, c)}
                  />
                </td>
                <td>{factorText(x)}</td>
                <td className="small">{x.factorSource ?? '–'}</td>
                <td>
                  <Adjustment line={x} />
                </td>
                <td>{x.kgCo2e === null ? '–' : num(Number(x.kgCo2e), 2)}</td>
                <td>
                  <Status line={x} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Card>
  );
}
