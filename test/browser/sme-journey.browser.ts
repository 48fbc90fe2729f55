/// <reference lib="dom" />
// Journey (issue 18, Done when): a small business with no meter signs up, enters its gas and
// electricity bills (the bills make the site and the billed meters), a diesel receipt and two flights
// by airports, uploads a 200-line Xero ledger and corrects one line's category, then sees its 2024
// inventory with Scopes 1, 2 and 3 non-zero and every line with its factor, and downloads the VSME
// report (XLSX). Last, the demo certifier opens the demo organisation's claim in review (read only:
// the certifier journey approves it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser, Server } from './harness';
import { FIXTURES, assert, jsErrors, log, openDemoClaimAsCertifier, screenshot } from './harness';
import { DEMO_YEAR, demoClaims } from './demo.browser';

const YEAR = '2024';
const LEDGER = join(FIXTURES, 'spend/xero-200-lines.csv');

async function signUp(page: Page, server: Server): Promise<string> {
  await page.goto(`${server.url}/signup`);
  await page.getByLabel('Your name').fill('Sam Potter');
  await page.getByLabel('Work e-mail').fill(`owner-${Date.now()}@pottery.test`);
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByLabel('Organisation name').fill('Leeds Pottery Studio Ltd');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('Time zone').fill('Europe/London');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
  return /\/orgs\/([0-9a-f-]{36})/.exec(page.url())![1];
}

/** A bill with no meter set up: electricity or gas; the first one's supply address makes the site. */
async function enterBill(
  page: Page,
  bill: {
    commodity: 'gas' | 'electricity';
    address?: string;
    from: string;
    to: string;
    kwh: string;
    supplier: string;
  },
): Promise<void> {
  const form = page.getByRole('form', { name: 'New bill' });
  await form.waitFor();
  await form.getByLabel('Meter').selectOption(`new:${bill.commodity}`);
  if (bill.address) await form.getByLabel(/Supply address/).fill(bill.address);
  await form.getByLabel(/^From/).fill(bill.from);
  await form.getByLabel(/^To \(included\)/).fill(bill.to);
  await form.getByLabel(/^Quantity/).fill(bill.kwh);
  await form.getByLabel('Unit').selectOption('kWh');
  await form.getByLabel('Supplier').fill(bill.supplier);
  await form.getByRole('button', { name: 'Save bill' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Saved: ${bill.from} – ${bill.to}` })
    .waitFor();
}

async function bills(page: Page, server: Server, orgId: string): Promise<void> {
  await page.goto(`${server.url}/orgs/${orgId}/bills`);
  await enterBill(page, {
    commodity: 'gas',
    address: '14 Kirkstall Road, Leeds LS3 1LH',
    from: '2024-01-15',
    to: '2024-04-14',
    kwh: '9300',
    supplier: 'British Gas',
  });
  // the only site now: the electricity bill goes there without being asked
  await enterBill(page, {
    commodity: 'electricity',
    from: '2024-01-01',
    to: '2024-03-31',
    kwh: '4100',
    supplier: 'Octopus Energy',
  });
  const table = page.getByRole('region', { name: 'Bills' });
  await table.getByText('Gas (billed)').waitFor();
  await table.getByText('Electricity (billed)').waitFor();
  // 15 Jan – 14 Apr: 91 days split 17 / 29 / 31 / 14 over January to April
  await table.getByText(/2024-01: [\d,.]+ kWh \(17 d\)/).waitFor();
  await screenshot(page, 'sme-01-bills');
}

async function addEntry(
  page: Page,
  category: string,
  fill: () => Promise<void>,
  expect: string,
): Promise<void> {
  await page.getByLabel('Add an entry').selectOption(category);
  const form = page.getByRole('form', { name: 'New footprint entry' });
  await form.waitFor();
  await fill();
  // the factor and kg CO2e shown as typed, before saving
  await page
    .getByTestId('preview')
    .getByText(/kg CO₂e/)
    .first()
    .waitFor({ timeout: 20_000 });
  await form.getByRole('button', { name: 'Add entry' }).click();
  await page
    .getByRole('cell', { name: new RegExp(expect) })
    .first()
    .waitFor();
}

async function footprintData(page: Page, server: Server, orgId: string): Promise<void> {
  await page.goto(`${server.url}/orgs/${orgId}/footprint?year=${YEAR}`);
  await addEntry(
    page,
    'fuels',
    async () => {
      await page.getByLabel('Fuel').selectOption('diesel');
      await page.getByLabel('Unit').selectOption('litre');
      await page.getByLabel(/^Quantity/).fill('240');
    },
    'Diesel',
  );
  for (const [from, to] of [
    ['LHR', 'JFK'],
    ['LHR', 'EDI'],
  ]) {
    await addEntry(
      page,
      'travel',
      async () => {
        await page.getByLabel('Trip').selectOption('flight');
        await page.getByLabel('From airport').fill(from);
        await page.getByLabel('To airport').fill(to);
        await page.getByLabel('Class', { exact: true }).selectOption('economy');
        await page.getByLabel('Return or one way').selectOption('yes');
      },
      `${from}.*${to}`,
    );
  }
  await screenshot(page, 'sme-02-footprint-data');
}

async function ledger(page: Page, server: Server, orgId: string): Promise<void> {
  await page.goto(`${server.url}/orgs/${orgId}/spend`);
  await page.getByLabel('Accounting export', { exact: true }).setInputFiles(LEDGER);
  await page.getByRole('button', { name: 'Upload ledger' }).click();
  const ledgers = page.getByRole('region', { name: 'Ledgers' });
  const row = ledgers.getByRole('row', { name: /xero-200-lines\.csv/ });
  await row.waitFor({ timeout: 60_000 });
  const [, total, counted] = /(\d+) \((\d+)\)/.exec(await row.innerText()) ?? [];
  log(`  ledger: ${total} lines, ${counted} counted`);
  assert(total === '200', `the ledger shows ${total} lines, not 200`);
  // the fuel-card and airline lines are covered by the diesel and flights entered: not counted twice
  assert(Number(counted) < 200, 'every ledger line is counted although diesel and flights were entered');
  const lines = page.getByRole('region', { name: 'Ledger lines' });
  await lines.waitFor();
  // each counted line names its factor (NAICS or EXIOBASE code) and source
  const factorCells = await lines.locator('tbody tr td:nth-child(8)').allInnerTexts();
  assert(factorCells.length >= 100, `the review lists ${factorCells.length} lines`);
  // correct one line: a mapped line moved to another category, kept as the organisation's rule
  const select = lines.getByRole('combobox', { name: /^Category of line \d+$/ }).first();
  const before = await select.inputValue();
  const next = before === 'consulting' ? 'legal' : 'consulting';
  const label = (await select.getAttribute('aria-label')) ?? '';
  await select.selectOption(next);
  await page.waitForFunction(
    ([name, value]) =>
      (document.querySelector(`select[aria-label="${name}"]`) as HTMLSelectElement | null)?.value === value &&
      !!document
        .querySelector(`select[aria-label="${name}"]`)
        ?.parentElement?.textContent?.match(/your rule|chosen for this line/),
    [label, next],
    { timeout: 30_000 },
  );
  log(`  ${label}: ${before} → ${next}`);
  await screenshot(page, 'sme-03-ledger-review', false);
}

/** The number shown by a dashboard stat, e.g. "1.2 t CO₂e" → 1.2. */
async function stat(page: Page, label: string): Promise<number> {
  const el = page.locator('[data-testid="footprint-stats"] .stat', {
    has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }),
  });
  const text = await el.locator('.stat-value').innerText();
  return Number(/[\d.,]+/.exec(text)?.[0]?.replace(/,/g, '') ?? 'NaN');
}

async function inventory(page: Page, server: Server, orgId: string): Promise<void> {
  await page.goto(`${server.url}/orgs/${orgId}`);
  await page.locator('#year').selectOption(YEAR);
  await page.locator('[data-testid="footprint-stats"]').waitFor({ timeout: 60_000 });
  for (const label of ['Scope 1', 'Scope 2', 'Scope 3']) {
    const settled = Date.now() + 30_000;
    while (!((await stat(page, label)) > 0) && Date.now() < settled) await page.waitForTimeout(500);
    const value = await stat(page, label);
    log(`  ${label}: ${value}`);
    assert(value > 0, `the dashboard shows ${label} as ${value} in ${YEAR}`);
  }
  const details = page.locator('details.lines');
  await details.locator('summary').click();
  const rows = details.getByRole('region', { name: 'Inventory lines' }).locator('tbody tr');
  await rows.first().waitFor();
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
  );
  // every line: its source, quantity and a factor with its unit and publisher
  const untraced = cells.filter((c) => !/kg\//.test(c[4] ?? ''));
  assert(cells.length > 5, `the inventory lists ${cells.length} lines`);
  assert(!untraced.length, `lines without a factor: ${untraced.map((c) => c.join(' | ')).join('\n')}`);
  for (const source of ['natural_gas', 'electricity', 'diesel', 'business_travel_air', 'spend'])
    assert(
      cells.some((c) => (c[1] ?? '').includes(source)),
      `no ${source} line in the inventory (sources: ${[...new Set(cells.map((c) => c[1]))].join(', ')})`,
    );
  log(`  inventory: ${cells.length} lines, each with its factor`);
  await screenshot(page, 'sme-04-inventory', false);
}

async function vsme(page: Page, server: Server, orgId: string): Promise<void> {
  await page.goto(`${server.url}/orgs/${orgId}/reports`);
  await page.locator('#report-year').selectOption(YEAR);
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Download VSME report (XLSX)' }).click(),
  ]);
  const path = await file.path();
  const bytes = readFileSync(path);
  assert(file.suggestedFilename().endsWith('.xlsx'), `the download is ${file.suggestedFilename()}`);
  assert(bytes.subarray(0, 2).toString() === 'PK' && bytes.length > 2000, 'the VSME report is not an XLSX');
  log(`  VSME report ${file.suggestedFilename()}: ${bytes.length} bytes`);
  await screenshot(page, 'sme-05-reports');
}

/** The demo certifier opens the demo claim of the reporting year in review: checklist, evidence, snapshot hash. */
async function demoCertifierOpensClaim(server: Server, browser: Browser): Promise<void> {
  await demoClaims(server);
  const { page, close } = await browser.newContext();
  try {
    await openDemoClaimAsCertifier(page, server, DEMO_YEAR);
    await screenshot(page, 'sme-06-demo-certifier-review');
  } finally {
    await close();
  }
}

export async function smeJourney(server: Server, browser: Browser): Promise<void> {
  const { page, close } = await browser.newContext();
  try {
    const orgId = await signUp(page, server);
    await bills(page, server, orgId);
    await footprintData(page, server, orgId);
    await ledger(page, server, orgId);
    await inventory(page, server, orgId);
    await vsme(page, server, orgId);
    const errors = jsErrors(page).filter((e) => !/Failed to load resource/.test(e));
    assert(!errors.length, `JavaScript errors on the pages:\n${errors.join('\n')}`);
  } catch (err) {
    await screenshot(page, 'FAILED-sme').catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
  await demoCertifierOpensClaim(server, browser);
}
