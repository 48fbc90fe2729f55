/**
 * The demo organisation's purchase ledger for one year (issue 18 item 6): 56 lines in the generic
 * layout (date, description, account, supplier, amount; USD), uploaded through SpendLedgerService as a
 * user's ledger is, so its Scope 3 lines are priced by the EPA v1.3 NAICS factors and each keeps its
 * line number, category and factor. Made up for the demo (suppliers are real US firms, amounts are not).
 *
 * What the exclusion rule shows: the PG&E gas lines (the campus's gas bills are its meter data), the
 * fuel-card lines (the van's diesel is entered in gallons) and the airline and Amtrak lines (the trips
 * are entered by distance) are covered by activity data and not counted again. No electricity line:
 * the campus electricity is on the estates' account (its meter data is the demo's Scope 2).
 */

interface LedgerRow {
  day: string;
  description: string;
  account: string;
  supplier: string;
  amount: number;
}

/** Every month: the same three suppliers, amounts varying a little by month (cents kept). */
const MONTHLY: readonly { description: string; account: string; supplier: string; base: number }[] = [
  {
    description: 'Managed IT support, monthly',
    account: 'IT support',
    supplier: 'Bay Area Managed IT',
    base: 640,
  },
  {
    description: 'Phones and fibre internet',
    account: 'Telephone & Internet',
    supplier: 'AT&T',
    base: 212.4,
  },
  {
    description: 'Paper, toner and stationery',
    account: 'Office supplies',
    supplier: 'Staples',
    base: 183.15,
  },
];

const QUARTERLY: readonly Omit<LedgerRow, 'day'>[] = [
  {
    description: 'Janitorial service, quarter',
    account: 'Cleaning',
    supplier: 'ABM Industries',
    amount: 2150,
  },
  { description: 'Gas, campus building (quarterly bill)', account: 'Gas', supplier: 'PG&E', amount: 0 },
  { description: 'Fleet fuel card, van', account: 'Motor fuel', supplier: 'Chevron', amount: 0 },
];
const GAS_BILL_COSTS = [10439, 7270.8, 3299.6, 9811.2];
const FUEL_CARD = [742.18, 806.55, 781.9, 768.3];

const ONE_OFF: readonly LedgerRow[] = [
  {
    day: '02-14',
    description: 'Flight SFO-JFK return, 2 staff',
    account: 'Travel',
    supplier: 'United Airlines',
    amount: 1186.4,
  },
  {
    day: '03-09',
    description: 'Flight SFO-SEA return',
    account: 'Travel',
    supplier: 'Alaska Airlines',
    amount: 286.4,
  },
  {
    day: '05-22',
    description: 'Amtrak Capitol Corridor tickets',
    account: 'Travel',
    supplier: 'Amtrak',
    amount: 396,
  },
  {
    day: '04-28',
    description: 'Annual accounts and tax return',
    account: 'Accountancy fees',
    supplier: 'Moss Adams',
    amount: 4800,
  },
  {
    day: '06-15',
    description: 'Lease review',
    account: 'Legal expenses',
    supplier: 'Cooley LLP',
    amount: 2650,
  },
  {
    day: '01-09',
    description: 'Microsoft 365, 14 seats, annual',
    account: 'Software subscriptions',
    supplier: 'Microsoft',
    amount: 3696,
  },
  { day: '08-03', description: 'Laptops x3', account: 'Computer equipment', supplier: 'Dell', amount: 3897 },
  {
    day: '10-11',
    description: 'Liability insurance, annual',
    account: 'Insurance',
    supplier: 'The Hartford',
    amount: 3120,
  },
  {
    day: '11-20',
    description: 'Courier, samples to clients',
    account: 'Postage & Courier',
    supplier: 'FedEx',
    amount: 412.75,
  },
];

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Pure: the year's ledger as a generic CSV, oldest first: 36 monthly, 11 quarterly and 9 one-off lines (56). */
export function demoLedgerCsv(year: number): string {
  const rows: LedgerRow[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = String(m).padStart(2, '0');
    for (const [i, line] of MONTHLY.entries())
      rows.push({
        day: `${month}-${String(3 + i).padStart(2, '0')}`,
        description: line.description,
        account: line.account,
        supplier: line.supplier,
        amount: Math.round(line.base * (1 + ((m * (i + 3)) % 7) / 100) * 100) / 100,
      });
  }
  for (let q = 0; q < 4; q++) {
    const month = String(q * 3 + 2).padStart(2, '0');
    rows.push({ ...QUARTERLY[0], day: `${month}-20` });
    rows.push({ ...QUARTERLY[1], day: `${month}-12`, amount: GAS_BILL_COSTS[q] });
    if (q % 2 === 0 || q === 3) rows.push({ ...QUARTERLY[2], day: `${month}-28`, amount: FUEL_CARD[q] });
  }
  rows.push(...ONE_OFF);
  rows.sort((a, b) => a.day.localeCompare(b.day));
  const lines = rows.map((r) =>
    [`${year}-${r.day}`, r.description, r.account, r.supplier, r.amount.toFixed(2)].map(csvCell).join(','),
  );
  return ['date,description,account,supplier,amount', ...lines].join('\n') + '\n';
}
