/// <reference lib="dom" />
// Journey: the demo organisation opens on its reporting year (2017) with real charts and all three
// scopes (the README screenshot, written to docs/screenshots/dashboard.png), and the public
// verification page shows the demo's certificate and answers for an unknown number.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser, ChartSummary, Server } from './harness';
import {
  FIXTURES,
  ROOT,
  apiJson,
  apiLogin,
  assert,
  chartSummary,
  expectChart,
  expectImportSucceeded,
  log,
  screenshot,
  uiLogin,
} from './harness';

export const DEMO = { email: 'demo@halve.local', password: 'halve-demo-2024' };
export const DEMO_YEAR = '2017';

interface DemoClaim {
  status: string;
  periodFrom: string;
  certificateNumber?: string;
}

/**
 * The demo's claims once the start-up has made them (in the background, after the demo's imports):
 * waits for the certified one, which also means every import has finished.
 */
export async function demoClaims(server: Server): Promise<DemoClaim[]> {
  const token = await apiLogin(server, DEMO.email, DEMO.password);
  const orgs = await apiJson<{ id: string; isDemo: boolean }[]>(server, 'GET', '/api/v1/orgs', token);
  const orgId = orgs.find((o) => o.isDemo)?.id;
  assert(orgId, 'the demo login has no demo organisation');
  const deadline = Date.now() + 300_000;
  for (;;) {
    const claims = await apiJson<DemoClaim[]>(server, 'GET', `/api/v1/orgs/${orgId}/claims`, token);
    if (claims.some((c) => c.status === 'approved')) return claims;
    assert(Date.now() < deadline, 'the demo claims were not made within 5 minutes of the start');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The number shown by a dashboard stat, e.g. "1,234.5 t CO₂e" → 1234.5. */
async function statNumber(page: Page, label: string): Promise<number> {
  const stat = page.locator('[data-testid="footprint-stats"] .stat', {
    has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }),
  });
  const text = await stat.locator('.stat-value').innerText();
  const n = Number(/[\d.,]+/.exec(text)?.[0]?.replace(/,/g, '') ?? 'NaN');
  log(`  ${label}: ${text}`);
  return n;
}

const README_SCREENSHOT = join(ROOT, 'docs/screenshots/dashboard.png');
// NSRDB PSM3 of the solar site (PVDAQ system 50, Golden, CO), 30-minute samples (test/fixtures/SOURCE.md).
const WEATHER_FIXTURE = join(FIXTURES, 'forecasting/pvdaq-system50-psm3-2012-08-01_12-01.csv');

export async function demoJourney(server: Server, browser: Browser): Promise<void> {
  const claims = await demoClaims(server);
  const { page, close } = await browser.newContext();
  try {
    await uiLogin(page, server, DEMO.email, DEMO.password);
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="footprint-stats"]').waitFor({ timeout: 60_000 });
    // The dashboard opens on the demo's reporting year, where every scope has data.
    await page.locator('#year').locator(`option[value="${DEMO_YEAR}"]`).waitFor({ state: 'attached' });
    await page.waitForFunction(
      (y) => (document.getElementById('year') as HTMLSelectElement | null)?.value === y,
      DEMO_YEAR,
    );
    // The query cache keeps the previous year's figures on screen while the chosen year's load, so wait
    // (up to 30 s) for the stats to settle before reading them.
    for (const label of ['Scope 1', 'Scope 2', 'Scope 3', 'Renewable share']) {
      const settled = Date.now() + 30_000;
      while ((await statNumber(page, label)) <= 0 && Date.now() < settled) await page.waitForTimeout(500);
      assert((await statNumber(page, label)) > 0, `the demo dashboard shows ${label} as 0 in ${DEMO_YEAR}`);
    }
    await expectChart(page, 'month-chart', 12);
    await expectChart(page, 'scope-chart', 3);
    if (await page.locator('[data-testid="target-chart"]').count())
      await expectChart(page, 'target-chart', 2);
    await screenshot(page, 'demo-dashboard');
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    // The README picture: the top of the dashboard down to the bottom of its first row of charts.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page
      .locator('[data-testid="month-chart"]')
      .evaluate((el) => (el.closest('.card') ?? el).getBoundingClientRect().bottom);
    await page.screenshot({
      path: README_SCREENSHOT,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1366, height: Math.ceil(box) + 24 },
    });
    log(`  screenshot ${README_SCREENSHOT.slice(ROOT.length + 1)}`);

    await page.getByRole('link', { name: 'Sites & meters' }).click();
    // the campus's hourly electricity meter (its gas is a bill-period meter, without load charts)
    const campusMeter = page.locator('.meter-list a', { hasText: 'Main electricity' });
    await campusMeter.waitFor();
    await screenshot(page, 'demo-sites');
    await campusMeter.click();
    await expectChart(page, 'load-chart', 24);
    await expectChart(page, 'heatmap-chart', 24);
    await expectChart(page, 'forecast-chart', 24);
    await screenshot(page, 'demo-meter');

    // The solar site's weather card: the site's own NSRDB PSM3 irradiance and temperature (August–November 2012,
    // 30-minute samples) uploaded in the portal, the card then counting its rows, and the timestamps set to instants.
    await page.getByRole('link', { name: 'Sites & meters' }).click();
    await page.getByRole('link', { name: 'Solar test site (Golden, CO)' }).first().click();
    const weather = page.locator('#weather');
    // moved to the year the demo replays the array's 2012 output in, so the chart draws both over the same days
    const movedDir = mkdtempSync(join(tmpdir(), 'halve-weather-'));
    const moved = join(movedDir, `psm3-${DEMO_YEAR}.csv`);
    writeFileSync(moved, readFileSync(WEATHER_FIXTURE, 'utf8').replace(/^2012-/gm, `${DEMO_YEAR}-`));
    await weather.getByLabel('Weather file').setInputFiles(moved);
    await weather.getByRole('button', { name: 'Upload weather' }).click();
    await expectImportSucceeded(page, '#weather');
    rmSync(movedDir, { recursive: true, force: true });
    const rows = readFileSync(WEATHER_FIXTURE, 'utf8').trim().split('\n').length - 1;
    const coverage = weather.locator('[data-testid="weather-coverage"]');
    await coverage.getByText(`${rows.toLocaleString('en-GB')} rows from`).waitFor({ timeout: 30_000 });
    const covered = await coverage.innerText();
    const n = rows.toLocaleString('en-GB');
    for (const column of ['Irradiance \\(GHI\\)', 'Temperature'])
      assert(
        new RegExp(`${column}\\s+${n} rows`).test(covered),
        `the weather card does not count ${n} rows of ${column}: ${covered}`,
      );
    // the last week of rows drawn: GHI and temperature, every 30 minutes, with the PV array's output; each row at the
    // middle of the half hour it starts (the default reading), then at its own time once read as an instant
    await expectChart(page, 'weather-chart', 7 * 48);
    const ghiStart = (s: ChartSummary) => s.series.find((x) => x.name.startsWith('GHI'))?.xs?.[0] ?? NaN;
    const before = await chartSummary(page, 'weather-chart');
    assert(
      before.series.some((x) => x.name === 'PV array (PVDAQ system 50) (kW)' && x.points >= 7 * 96),
      `the weather chart does not draw the PV array's 15-minute output: ${before.series.map((x) => `${x.name} ${x.points}`).join(', ')}`,
    );
    await weather.getByLabel(/timestamps mark/).selectOption('instant');
    await weather.getByRole('button', { name: 'Save' }).click();
    await weather.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.waitForFunction(
      ([id, x]) => {
        const raw = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-chart-summary');
        const ghi = raw && (JSON.parse(raw) as ChartSummary).series.find((s) => s.name.startsWith('GHI'));
        return !!ghi && ghi.xs?.[0] === x;
      },
      ['weather-chart', ghiStart(before) - 15 * 60_000] as const,
      { timeout: 15_000 },
    );
    log(`  solar site weather: ${covered.split('\n')[0]}; timestamps saved as instants`);
    await screenshot(page, 'demo-solar-weather');

    // Public verification of the demo's certificate (of its 2016 data, issued valid for a year from its issue).
    const certified = claims.find((c) => c.status === 'approved');
    assert(certified?.certificateNumber, 'the demo has no certificate');
    await page.goto(`${server.url}/verify/${encodeURIComponent(certified.certificateNumber)}`);
    const shown = page.locator('[data-testid="verify-result"]');
    await shown.waitFor();
    const status = await shown.getAttribute('data-status');
    assert(status === 'valid', `the demo certificate is shown as ${status}, not valid`);
    const text = await shown.innerText();
    assert(text.includes(certified.certificateNumber), 'the verify page does not show the number');
    assert(text.includes('Halve Demo Certification'), 'the verify page does not name the demo body');
    log(`  demo certificate ${certified.certificateNumber}: ${status}`);
    await screenshot(page, 'verify-demo-certificate');

    // Public verification of a number that does not exist.
    await page.goto(`${server.url}/verify/HLV-2026-ZZZZZZ`);
    const result = page.locator('[data-testid="verify-result"]');
    await result.waitFor();
    assert(
      (await result.getAttribute('data-status')) === 'not_found',
      'an unknown certificate number was not reported as not found',
    );
    await screenshot(page, 'verify-unknown');
  } catch (err) {
    await screenshot(page, `FAILED-demo`).catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}
