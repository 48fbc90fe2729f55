// The spend review page: the ledger's lines with their factor, adjustment and status, the unmapped filter,
// a category correction (as a rule or for the line only), totals by category, the upload form and the rules.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import type { SpendCategory, SpendLedger, SpendLine, SpendRule } from '../../api/types';
import { errorAt, fieldProblem, mockFetch, renderPage, user, type SentRequest } from '../../test/render';
import { FakeXhr, useFakeXhr } from '../../test/fake-xhr';
import { SpendPage } from './SpendPage';

const base = (over: Partial<SpendLine>): SpendLine =>
  ({
    lineNo: 2,
    date: '2024-03-15',
    description: 'Figma - annual plan',
    account: 'Software subscriptions',
    supplier: 'Figma',
    amount: '1200',
    category: 'software',
    categoryLabel: 'Software subscriptions',
    rule: 'default',
    scope3Category: 1,
    factorId: 'naics:511210',
    factorValue: '0.08',
    factorUnit: 'kg CO2e/USD (2022)',
    factorSource:
      'US EPA Supply Chain GHG Emission Factors v1.3; 511210 Software Publishers; US public domain',
    adjustedAmount: '1119.5356',
    adjustment: 'CUUR0000SA0 2022/2024',
    indexRatio: '0.93295716586',
    exchangeRate: '1',
    kgCo2e: '89.5628',
    excludedReason: null,
    ...over,
  }) as SpendLine;

const notCounted = {
  factorId: null,
  factorValue: null,
  factorUnit: null,
  factorSource: null,
  adjustedAmount: null,
  adjustment: null,
  indexRatio: null,
  exchangeRate: null,
  kgCo2e: null,
};

const LINES: SpendLine[] = [
  base({}),
  base({ lineNo: 3, description: 'Slack - seats', supplier: 'Slack', amount: '140', kgCo2e: '10.5' }),
  base({
    lineNo: 4,
    description: 'Shell fuel card',
    account: 'Motor fuel',
    supplier: 'Shell',
    amount: '182.40',
    category: 'fuel',
    categoryLabel: 'Fuel',
    ...notCounted,
    excludedReason: 'covered by activity data in the same period (diesel): excluded to avoid double counting',
  }),
  base({
    lineNo: 5,
    description: 'Adobe - Creative Cloud',
    account: 'General expenses',
    supplier: 'Adobe',
    amount: '54.99',
    category: null,
    categoryLabel: null,
    rule: 'none',
    scope3Category: null,
    ...notCounted,
    excludedReason: 'no rule matched the account: review and choose a category',
  }),
];

const LEDGER: SpendLedger = {
  id: 'led-1',
  fileName: 'account-transactions.csv',
  format: 'xero',
  currency: 'USD',
  factorSet: 'epa',
  factorRegion: 'US',
  periodFrom: '2024-03-15',
  periodTo: '2024-03-21',
  lineCount: 4,
  countedLines: 2,
  kgCo2e: 100.06,
  createdAt: '2024-04-01T10:00:00Z',
  replaced: [],
  lines: LINES,
} as SpendLedger;

const CATEGORIES = [
  { key: 'software', label: 'Software subscriptions' },
  { key: 'fuel', label: 'Fuel' },
  { key: 'meals', label: 'Meals and entertainment' },
] as SpendCategory[];

const RULE = {
  id: 'rule-1',
  account: 'General expenses',
  accountCode: null,
  supplier: 'Adobe',
  keyword: null,
  category: 'software',
  createdAt: '2024-04-01T10:00:00Z',
} as SpendRule;

const corrected: SpendLedger = {
  ...LEDGER,
  countedLines: 3,
  lines: LINES.map((l) =>
    l.lineNo === 5
      ? base({
          ...l,
          ...base({}),
          lineNo: 5,
          description: l.description,
          rule: 'organisation',
          kgCo2e: '4.1',
        })
      : l,
  ),
};

function api(rules: SpendRule[] = []) {
  return mockFetch((req: SentRequest) => {
    const path = req.url.replace('/api/v1/orgs/org-1', '');
    if (req.method === 'GET' && path === '/spend-ledgers') return { status: 200, body: [LEDGER] };
    if (req.method === 'GET' && path === '/spend-ledgers/led-1') return { status: 200, body: LEDGER };
    if (req.method === 'GET' && path === '/spend-categories') return { status: 200, body: CATEGORIES };
    if (req.method === 'GET' && path === '/spend-rules') return { status: 200, body: rules };
    if (req.method === 'PATCH' && path === '/spend-ledgers/led-1/lines/5')
      return { status: 200, body: corrected };
    if (req.method === 'POST' && path === '/spend-ledgers/led-1/reapply-rules')
      return { status: 200, body: corrected };
    if (req.method === 'PUT' && path === '/spend-rules/rule-1') return { status: 200, body: RULE };
    if (req.method === 'DELETE' && path === '/spend-rules/rule-1') return { status: 204 };
    if (req.method === 'POST' && path === '/spend-rules')
      return fieldProblem({ account: 'give an account, account code, supplier or keyword' });
    return undefined;
  });
}

const rowOf = (text: string) => screen.getByText(text).closest('tr') as HTMLElement;
const linesTable = () => screen.getByRole('region', { name: 'Ledger lines' });

describe('SpendPage', () => {
  it('shows every line with its category, factor, source, price adjustment, kg CO2e and status; totals by category', async () => {
    api();
    renderPage(<SpendPage />);
    await screen.findByText('Shell fuel card');
    const figma = within(rowOf('Figma - annual plan'));
    expect(figma.getByText('0.08 kg CO2e/USD (2022)')).toBeTruthy();
    expect(figma.getByText(/511210 Software Publishers/)).toBeTruthy();
    expect(figma.getByText('CUUR0000SA0 2022/2024 = 0.9330')).toBeTruthy();
    expect(figma.getByText('89.56')).toBeTruthy();
    expect(figma.getByText('Mapped')).toBeTruthy();
    const fuel = within(rowOf('Shell fuel card'));
    expect(fuel.getByText('Excluded: double counted')).toBeTruthy();
    expect(fuel.getByText(/covered by activity data in the same period \(diesel\)/)).toBeTruthy();
    expect(within(rowOf('Adobe - Creative Cloud')).getByText('Unmapped')).toBeTruthy();
    // totals: the two counted software lines, 1,200 + 140 = 1,340 USD and 89.5628 + 10.5 = 100.06 kg
    const totals = within(screen.getByRole('region', { name: 'Totals by category' }));
    const software = within(totals.getByText('Software subscriptions').closest('tr') as HTMLElement);
    expect(software.getByText('1,340')).toBeTruthy();
    expect(software.getByText('100.1')).toBeTruthy();
    expect(totals.queryByText('Fuel')).toBeNull();
  });

  it('filters to the unmapped lines', async () => {
    api();
    renderPage(<SpendPage />);
    await screen.findByText('Shell fuel card');
    await user().click(screen.getByLabelText('Unmapped only'));
    const rows = within(linesTable()).getAllByRole('row');
    expect(rows).toHaveLength(2); // header + the Adobe line
    expect(within(linesTable()).getByText('Adobe - Creative Cloud')).toBeTruthy();
    expect(within(linesTable()).queryByText('Shell fuel card')).toBeNull();
  });

  it('saves a category change as a rule by default, or for the line only when "Remember for next time" is off', async () => {
    const { requests } = api();
    renderPage(<SpendPage />);
    await screen.findByText('Shell fuel card');
    await user().selectOptions(screen.getByLabelText('Category of line 5'), 'software');
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      category: 'software',
      remember: true,
    });
    expect(await within(rowOf('Adobe - Creative Cloud')).findByText('your rule')).toBeTruthy();

    await user().click(screen.getByLabelText('Remember for next time'));
    await user().selectOptions(screen.getByLabelText('Category of line 5'), 'meals');
    await waitFor(() => expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(2));
    expect(requests.filter((r) => r.method === 'PATCH')[1].body).toEqual({
      category: 'meals',
      remember: false,
    });

    await user().click(screen.getByRole('button', { name: 'Apply rules again' }));
    await waitFor(() =>
      expect(
        requests.some((r) => r.method === 'POST' && r.url.endsWith('/spend-ledgers/led-1/reapply-rules')),
      ).toBe(true),
    );
  });

  it("lists, edits and deletes the organisation rules, and shows the API's field error on a new one", async () => {
    const { requests } = api([RULE]);
    renderPage(<SpendPage />);
    const rules = await screen.findByRole('region', { name: 'Mapping rules' });
    const row = within(within(rules).getByText('Adobe').closest('tr') as HTMLElement);
    expect(row.getByText('Software subscriptions')).toBeTruthy();
    await user().click(row.getByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('form', { name: 'Edit rule' });
    await user().type(within(edit).getByLabelText('Keyword in the description'), 'cloud');
    await user().click(within(edit).getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true));
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      account: 'General expenses',
      accountCode: null,
      supplier: 'Adobe',
      keyword: 'cloud',
      category: 'software',
    });
    await user().click(
      within(screen.getByRole('region', { name: 'Mapping rules' })).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(requests.some((r) => r.method === 'DELETE' && r.url.endsWith('/spend-rules/rule-1'))).toBe(true),
    );

    await user().click(screen.getByText('Add a rule'));
    const add = screen.getByRole('form', { name: 'New rule' });
    await user().selectOptions(within(add).getByLabelText('Category'), 'meals');
    await user().click(within(add).getByRole('button', { name: 'Add rule' }));
    await waitFor(() =>
      expect(errorAt('Account')).toBe('give an account, account code, supplier or keyword'),
    );
  });
});

describe('SpendPage upload', () => {
  useFakeXhr();
  beforeEach(() => {
    // the uploaded ledger, as the API answers
    FakeXhr.answer = { status: 201, body: { ...LEDGER, fileName: 'sage.csv', replaced: ['old-1'] } };
  });

  it('sends the accounting export with the chosen layout (none when detected automatically)', async () => {
    api();
    renderPage(<SpendPage />);
    expect((screen.getByLabelText('Layout') as HTMLSelectElement).value).toBe('');
    expect(screen.getByRole('option', { name: 'Detect automatically' })).toBeTruthy();
    const file = new File(['Date,Details,Nominal Code,Net\n'], 'sage.csv', { type: 'text/csv' });
    await user().upload(screen.getByLabelText('Accounting export'), file);
    await user().click(screen.getByRole('button', { name: 'Upload ledger' }));
    expect(
      await screen.findByText(
        'Uploaded sage.csv: 4 lines, 2 counted; replaced 1 earlier upload(s) of the same period.',
      ),
    ).toBeTruthy();
    const form = FakeXhr.sent[0].body!;
    expect(FakeXhr.sent[0].url).toBe('/api/v1/orgs/org-1/spend-ledgers');
    expect(form.get('format')).toBeNull();
    expect((form.get('file') as File).name).toBe('sage.csv');

    await user().selectOptions(screen.getByLabelText('Layout'), 'sage');
    await user().upload(screen.getByLabelText('Accounting export'), file);
    await user().click(screen.getByRole('button', { name: 'Upload ledger' }));
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(2));
    expect(FakeXhr.sent[1].body!.get('format')).toBe('sage');
  });
});
