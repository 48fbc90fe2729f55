import { parseLedger } from './ledger-layouts';
import { detectLedgerFormat, parseLedgerAmount, parseLedgerDate, type ParsedLedger } from './ledger-parse';

/** Test ledgers written to the layouts of ../shared/data/spend-factors/ledger-samples/LAYOUTS.md (placeholder values). */
const XERO = [
  'Account Transactions',
  'Demo Company (UK)',
  'For the period 1 January 2024 to 31 December 2024',
  '',
  'Date,Source,Description,Reference,Debit,Credit,Running Balance,Gross,VAT',
  'Business Bank Account',
  'Opening Balance,,,,,,"10,000.00",,',
  '15 Mar 2024,Spend Money,Figma - annual plan,INV-1,,"1,200.00","8,800.00","1,200.00",0.00',
  'Total Business Bank Account,,,,0.00,"1,200.00",,,',
  'Closing Balance,,,,,,"8,800.00",,',
  'Software subscriptions',
  '15 Mar 2024,Spend Money,Figma - annual plan,INV-1,"1,200.00",,"1,200.00","1,200.00",0.00',
  '02 Apr 2024,Payable Invoice,Slack Technologies - Pro seats,B-77,45.10,,"1,245.10",54.12,9.02',
  '09 Apr 2024,Payable Credit Note,Slack Technologies - seat refund,B-78,,5.00,"1,240.10",-6.00,-1.00',
  'Total Software subscriptions,,,,"1,245.10",5.00,,,',
].join('\n');

const QUICKBOOKS = [
  "Craig's Test Co",
  'Transaction Detail by Account',
  'January 1 - December 31, 2024',
  '',
  ',Date,Transaction Type,Num,Name,Memo/Description,Split,Amount,Balance',
  'Advertising',
  ',03/05/2024,Expense,1043,Google,Search ads March,Checking,250.00,250.00',
  ',03/28/2024,Credit Card Credit,,Google,Refund,Mastercard,(20.00),230.00',
  'Total for Advertising,,,,,,,230.00,',
  'Legal & Professional Fees',
  ',04/11/2024,Bill,88,Smith LLP,Contract review,Accounts Payable (A/P),"1,500.00","1,500.00"',
  'Total for Legal & Professional Fees,,,,,,,"1,500.00",',
  'TOTAL,,,,,,,"1,730.00",',
  '',
  'Accrual basis Monday, January 6, 2025 10:15 AM GMT-08:00',
].join('\n');

const ok = (r: ReturnType<typeof parseLedger>): ParsedLedger => {
  if (!('lines' in r)) throw new Error(r.message);
  return r;
};

describe('ledger parsing', () => {
  it('reads a Xero Account Transactions export: account headings, debit − credit, contact from the description', () => {
    const r = ok(parseLedger(XERO));
    expect(r.format).toBe('xero');
    expect(r.problems).toEqual([]);
    expect(r.lines).toEqual([
      {
        lineNo: 8,
        date: '2024-03-15',
        description: 'Figma - annual plan',
        account: 'Business Bank Account',
        accountCode: undefined,
        supplier: 'Figma',
        reference: 'INV-1',
        amount: '-1200',
      },
      {
        lineNo: 12,
        date: '2024-03-15',
        description: 'Figma - annual plan',
        account: 'Software subscriptions',
        accountCode: undefined,
        supplier: 'Figma',
        reference: 'INV-1',
        amount: '1200',
      },
      {
        lineNo: 13,
        date: '2024-04-02',
        description: 'Slack Technologies - Pro seats',
        account: 'Software subscriptions',
        accountCode: undefined,
        supplier: 'Slack Technologies',
        reference: 'B-77',
        amount: '45.1',
      },
      {
        lineNo: 14,
        date: '2024-04-09',
        description: 'Slack Technologies - seat refund',
        account: 'Software subscriptions',
        accountCode: undefined,
        supplier: 'Slack Technologies',
        reference: 'B-78',
        amount: '-5',
      },
    ]);
  });

  it('reads a QuickBooks Transaction Detail by Account export: MM/DD/YYYY, Name as supplier, (parentheses) negative', () => {
    const r = ok(parseLedger(QUICKBOOKS));
    expect(r.format).toBe('quickbooks');
    expect(r.problems).toEqual([]);
    expect(r.lines.map((l) => [l.lineNo, l.date, l.account, l.supplier, l.description, l.amount])).toEqual([
      [7, '2024-03-05', 'Advertising', 'Google', 'Search ads March', '250'],
      [8, '2024-03-28', 'Advertising', 'Google', 'Refund', '-20'],
      [11, '2024-04-11', 'Legal & Professional Fees', 'Smith LLP', 'Contract review', '1500'],
    ]);
  });

  it('reads a generic CSV by header names, in any column order', () => {
    const r = ok(
      parseLedger(
        'Amount,Account,Description,Date,Supplier\n12.50,Office supplies,Paper,2024-02-01,Staples\n',
      ),
    );
    expect(r.format).toBe('generic');
    expect(r.lines).toEqual([
      {
        lineNo: 2,
        date: '2024-02-01',
        description: 'Paper',
        account: 'Office supplies',
        accountCode: undefined,
        supplier: 'Staples',
        reference: undefined,
        amount: '12.5',
      },
    ]);
  });

  it('says what is wrong: empty file, wrong columns, bad amounts and dates by line number with an excerpt', () => {
    expect(parseLedger('')).toEqual({ lineNo: 0, message: 'the file is empty', excerpt: '' });
    expect(parseLedger('when,what,how much\n2024-01-01,x,1')).toMatchObject({
      lineNo: 0,
      message: expect.stringMatching(/no header row found/),
    });
    const r = ok(
      parseLedger(
        'date,description,account,amount\n2024-01-05,Paper,Office supplies,12.x\n2024-02-30,Ink,Office supplies,3\n',
      ),
    );
    expect(r.problems).toEqual([
      { lineNo: 2, message: 'amount is not a number', excerpt: '2024-01-05,Paper,Office supplies,12.x' },
      {
        lineNo: 3,
        message: "date '2024-02-30' is not a date (YYYY-MM-DD or DD Mon YYYY)",
        excerpt: '2024-02-30,Ink,Office supplies,3',
      },
    ]);
    expect(ok(parseLedger('date,description,account,amount\n')).problems[0].message).toBe(
      'the file has a header but no transaction lines',
    );
  });

  it('parses amounts and dates strictly', () => {
    expect(parseLedgerAmount('1,234.50')).toBe('1234.5');
    expect(parseLedgerAmount('(12.00)')).toBe('-12');
    expect(parseLedgerAmount('£7')).toBe('7');
    expect(parseLedgerAmount('1,23')).toBeNull();
    expect(parseLedgerDate('03/05/2024', 'generic')).toBeNull(); // ambiguous outside QuickBooks
    expect(parseLedgerDate('03/05/2024', 'quickbooks')).toBe('2024-03-05');
    expect(parseLedgerDate('1 February 2024', 'xero')).toBe('2024-02-01');
    expect(detectLedgerFormat(XERO)).toBe('xero');
  });
});
