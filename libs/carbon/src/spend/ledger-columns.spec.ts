import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLedger } from './ledger-layouts';
import type { ParsedLedger } from './ledger-parse';
import { matchSpendCategory } from './spend-rules';

/** Column-named ledgers: Sage exports (layout unverified, see ledger-columns.ts) and generic CSVs by synonyms. */
const DIR = join(__dirname, '../../../../test/fixtures/spend');
const ok = (r: ReturnType<typeof parseLedger>): ParsedLedger => {
  if (!('lines' in r)) throw new Error(r.message);
  return r;
};

describe('Sage and generic column layouts', () => {
  it('reads a Sage 50-style audit trail: DD/MM/YYYY, nominal code and name, Account = the supplier reference', () => {
    const r = ok(parseLedger(readFileSync(join(DIR, 'sage-audit-trail-q1.csv'), 'utf8')));
    expect(r.format).toBe('sage');
    expect(r.problems).toEqual([]);
    expect(r.lines).toHaveLength(54);
    expect(r.lines[0]).toEqual({
      lineNo: 2,
      date: '2024-01-04',
      description: 'Office rent',
      account: 'Rent',
      accountCode: '469',
      supplier: 'LANDMARK',
      reference: 'INV-1000',
      amount: '1850',
    });
  });

  it('gives a bare Sage 50 nominal code the default chart name, so that the default rules map it', () => {
    const csv = [
      'Type,Account,Nominal,Dept,Details,Date,Ref,Net,Tax,T/C',
      'PI,SHELL01,7300,0,Fuel card March,12/03/2024,F-1,182.40,36.48,T1',
      'PI,ODDBOD,9999,0,Something else,13/03/2024,F-2,10.00,2.00,T1',
    ].join('\n');
    const r = ok(parseLedger(csv));
    expect(r.format).toBe('sage');
    expect(r.lines[0]).toMatchObject({
      date: '2024-03-12',
      account: 'Fuel and oil',
      accountCode: '7300',
      supplier: 'SHELL01',
      amount: '182.4',
    });
    expect(matchSpendCategory(r.lines[0], [])?.category.key).toBe('fuel');
    expect(r.lines[1].account).toBe('Nominal 9999');
  });

  it('reads a Sage Accounting-style export with Ledger Account, Debit and Credit (credit negative)', () => {
    const csv = [
      'Date,Reference,Contact,Description,Ledger Account,Debit,Credit',
      '05/02/2024,INV-9,Adobe,Creative Cloud,Computer software,54.99,',
      '06/02/2024,CN-1,Adobe,Refund,Computer software,,10.00',
    ].join('\n');
    const r = ok(parseLedger(csv));
    expect(r.format).toBe('sage');
    expect(r.lines.map((l) => [l.date, l.account, l.supplier, l.amount])).toEqual([
      ['2024-02-05', 'Computer software', 'Adobe', '54.99'],
      ['2024-02-06', 'Computer software', 'Adobe', '-10'],
    ]);
  });

  it('names the line and the date form expected when a Sage date is not a date', () => {
    const r = ok(parseLedger('Date,Details,Nominal Code,Net\n31/02/2024,Paper,7504,12.00\n'));
    expect(r.problems).toEqual([
      {
        lineNo: 2,
        message: "date '31/02/2024' is not a date (DD/MM/YYYY)",
        excerpt: '31/02/2024,Paper,7504,12.00',
      },
    ]);
  });

  it('finds a generic header by the names columns go by, and reads the same lines as the Xero export', () => {
    const r = ok(
      parseLedger(
        'Transaction Date,Memo,Category,Payee,Amount\n2024-05-02,Toner,Office supplies,Viking,45.5\n',
      ),
    );
    expect(r.format).toBe('generic');
    expect(r.lines[0]).toMatchObject({ account: 'Office supplies', supplier: 'Viking', amount: '45.5' });

    const generic = ok(parseLedger(readFileSync(join(DIR, 'generic-q1.csv'), 'utf8')));
    const xero = ok(parseLedger(readFileSync(join(DIR, 'xero-200-lines.csv'), 'utf8')));
    const key = (l: ParsedLedger['lines'][number]) => `${l.date}|${l.account}|${l.supplier}|${l.amount}`;
    const q1 = xero.lines
      .filter((l) => l.date < '2024-04-01')
      .map(key)
      .sort();
    expect(generic.format).toBe('generic');
    expect(generic.lines.map(key).sort()).toEqual(q1);
  });
});
