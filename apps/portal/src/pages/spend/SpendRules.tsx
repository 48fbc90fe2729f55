import { useState } from 'react';
import { api } from '../../api/client';
import type { SpendCategory, SpendRule, SpendRuleInput } from '../../api/types';
import { DeleteButton } from '../../components/DeleteButton';
import { canWrite, useOrg } from '../../components/Layout';
import { ActionForm, Field, Select, fieldErr, useFields } from '../../components/form';
import { Card, Empty, ErrorBox, TableWrap } from '../../components/ui';
import { useApiQuery, useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

const blank = { account: '', accountCode: '', supplier: '', keyword: '', category: '' };

const toInput = (f: typeof blank): SpendRuleInput => ({
  account: f.account.trim() || null,
  accountCode: f.accountCode.trim() || null,
  supplier: f.supplier.trim() || null,
  keyword: f.keyword.trim() || null,
  category: f.category as SpendRuleInput['category'],
});

/** A rule's conditions and category: a new rule, or an existing one being edited. */
function RuleForm({
  rule,
  categories,
  onDone,
}: {
  rule?: SpendRule;
  categories: SpendCategory[];
  onDone: () => void;
}) {
  const { orgId } = useOrg();
  const invalidate = useInvalidate();
  const [f, setF, set] = useFields(
    rule
      ? {
          account: rule.account ?? '',
          accountCode: rule.accountCode ?? '',
          supplier: rule.supplier ?? '',
          keyword: rule.keyword ?? '',
          category: rule.category,
        }
      : blank,
  );
  const save = useAction(async () => {
    const body = toInput(f);
    if (rule)
      await api.put('/api/v1/orgs/{orgId}/spend-rules/{ruleId}', { path: { orgId, ruleId: rule.id }, body });
    else await api.post('/api/v1/orgs/{orgId}/spend-rules', { path: { orgId }, body });
    invalidate('/api/v1/orgs/{orgId}/spend-rules', { orgId });
    if (!rule) setF(blank);
    onDone();
  });
  const e = (field: string) => fieldErr(save.error, field);
  return (
    <ActionForm
      action={save}
      label={rule ? 'Edit rule' : 'New rule'}
      errorTitle="The rule was not saved"
      submit={rule ? 'Save rule' : 'Add rule'}
      disabled={!f.category}
    >
      <div className="row">
        <Field label="Account" value={f.account} onChange={set('account')} error={e('account')} />
        <Field label="Account code" value={f.accountCode} onChange={set('accountCode')} />
        <Field label="Supplier" value={f.supplier} onChange={set('supplier')} />
        <Field
          label="Keyword in the description"
          value={f.keyword}
          onChange={set('keyword')}
          error={e('keyword')}
        />
      </div>
      <Select
        label="Category"
        value={f.category}
        onChange={set('category')}
        error={e('category')}
        options={[
          { value: '', label: 'Choose…' },
          ...categories.map((c) => ({ value: c.key, label: c.label })),
        ]}
      />
    </ActionForm>
  );
}

/** The organisation's own mapping rules: they win over the defaults; every condition given must match. */
export function SpendRules() {
  const { orgId, role } = useOrg();
  const invalidate = useInvalidate();
  const rules = useApiQuery('/api/v1/orgs/{orgId}/spend-rules', { path: { orgId } });
  const categories = useApiQuery('/api/v1/orgs/{orgId}/spend-categories', { path: { orgId } });
  const [editing, setEditing] = useState<string | null>(null);
  const remove = useAction(async (ruleId: string) => {
    await api.delete('/api/v1/orgs/{orgId}/spend-rules/{ruleId}', { path: { orgId, ruleId } });
    invalidate('/api/v1/orgs/{orgId}/spend-rules', { orgId });
  });
  const labels = new Map((categories.data ?? []).map((c) => [c.key, c.label]));
  const editable = canWrite(role);
  return (
    <Card title="Your mapping rules" id="spend-rules">
      <p className="small muted">
        Applied before the default rules to every new upload; “Apply rules again” on a ledger applies changes
        to its lines, except lines whose category was chosen for that line only.
      </p>
      <ErrorBox error={rules.error ?? remove.error} onRetry={rules.reload} />
      {rules.data?.length ? (
        <TableWrap label="Mapping rules">
          <table>
            <thead>
              <tr>
                <th>Account</th>
                <th>Account code</th>
                <th>Supplier</th>
                <th>Keyword</th>
                <th>Category</th>
                {editable ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) =>
                editing === r.id ? (
                  <tr key={r.id}>
                    <td colSpan={6}>
                      <RuleForm rule={r} categories={categories.data ?? []} onDone={() => setEditing(null)} />
                      <button type="button" className="btn secondary" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </td>
                  </tr>
                ) : (
                  <tr key={r.id}>
                    <td>{r.account ?? '–'}</td>
                    <td>{r.accountCode ?? '–'}</td>
                    <td>{r.supplier ?? '–'}</td>
                    <td>{r.keyword ?? '–'}</td>
                    <td>{labels.get(r.category) ?? r.category}</td>
                    {editable ? (
                      <td>
                        <button type="button" className="btn secondary" onClick={() => setEditing(r.id)}>
                          Edit
                        </button>{' '}
                        <DeleteButton action={remove} id={r.id} />
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </TableWrap>
      ) : rules.data ? (
        <Empty title="No rules of your own yet.">
          Correct a line’s category with “Remember for next time”, or add a rule here.
        </Empty>
      ) : null}
      {editable && categories.data ? (
        <details>
          <summary>Add a rule</summary>
          <RuleForm categories={categories.data} onDone={() => undefined} />
        </details>
      ) : null}
    </Card>
  );
}
