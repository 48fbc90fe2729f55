import { useRef, useState } from 'react';
import { upload } from '../../api/client';
import type { SpendLedger } from '../../api/types';
import { useOrg } from '../../components/Layout';
import { ActionForm, Field, Select } from '../../components/form';
import { useInvalidate } from '../../lib/api-query';
import { useAction } from '../../lib/use-async';

const LAYOUTS = [
  { value: '', label: 'Detect automatically' },
  { value: 'xero', label: 'Xero – Account Transactions' },
  { value: 'quickbooks', label: 'QuickBooks – Transaction Detail by Account' },
  { value: 'sage', label: 'Sage – audit trail / nominal activity' },
  { value: 'generic', label: 'Other – date, description, account, amount columns' },
];

/** Uploads an accounting export; the API maps, prices and (for an overlapping period) replaces earlier uploads. */
export function LedgerUploadForm({ onDone }: { onDone: (ledger: SpendLedger) => void }) {
  const { orgId, currency } = useOrg();
  const invalidate = useInvalidate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [ledgerCurrency, setLedgerCurrency] = useState('');
  const [factorSet, setFactorSet] = useState('');
  const send = useAction(async () => {
    if (!file) throw new Error('Choose the accounting export first.');
    const form = new FormData();
    if (format) form.append('format', format);
    if (ledgerCurrency) form.append('currency', ledgerCurrency);
    if (factorSet) form.append('factorSet', factorSet);
    form.append('file', file, file.name);
    const ledger = await upload('/api/v1/orgs/{orgId}/spend-ledgers', { orgId }, form, () => undefined);
    invalidate('/api/v1/orgs/{orgId}/spend-ledgers', { orgId });
    setFile(null);
    if (inputRef.current) inputRef.current.value = '';
    onDone(ledger);
  });
  return (
    <ActionForm
      action={send}
      label="Upload an accounting export"
      errorTitle="The ledger was not uploaded"
      busyLabel="Uploading…"
      submit="Upload ledger"
      disabled={!file}
    >
      <Field
        label="Accounting export"
        ref={inputRef}
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        hint="CSV from Xero (Account Transactions), QuickBooks (Transaction Detail by Account), Sage (audit trail), or any CSV with date, description, account and amount columns. A new upload of an overlapping period replaces the earlier one."
      />
      <Select label="Layout" value={format} options={LAYOUTS} onChange={(e) => setFormat(e.target.value)} />
      <Select
        label="Ledger currency"
        value={ledgerCurrency}
        options={[
          { value: '', label: `The organisation's (${currency})` },
          { value: 'GBP', label: 'GBP' },
          { value: 'EUR', label: 'EUR' },
          { value: 'USD', label: 'USD' },
        ]}
        onChange={(e) => setLedgerCurrency(e.target.value)}
      />
      <Select
        label="Factors"
        value={factorSet}
        options={[
          { value: '', label: 'Default for the currency (USD: US EPA; GBP/EUR: EXIOBASE)' },
          { value: 'epa', label: 'US EPA supply-chain factors v1.3 (NAICS, USD 2022)' },
          { value: 'exiobase', label: 'EXIOBASE 3 (EUR 2019)' },
        ]}
        onChange={(e) => setFactorSet(e.target.value)}
      />
    </ActionForm>
  );
}
