/// <reference lib="dom" />
// Journey: the demo organisation opens on real charts (the README screenshot, written to
// docs/screenshots/dashboard.png), and the public verification page answers for an unknown number.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Server } from './harness';
import { ROOT, assert, expectChart, log, screenshot, uiLogin } from './harness';

const README_SCREENSHOT = join(ROOT, 'docs/screenshots/dashboard.png');

export async function demoJourney(server: Server, browser: Browser): Promise<void> {
  const { page, close } = await browser.newContext();
  try {
    await uiLogin(page, server, 'demo@halve.local', 'halve-demo-2024');
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="footprint-stats"]').waitFor({ timeout: 60_000 });
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
    await page.locator('.meter-list a').first().waitFor();
    await screenshot(page, 'demo-sites');
    await page.locator('.meter-list a').first().click();
    await expectChart(page, 'load-chart', 24);
    await expectChart(page, 'heatmap-chart', 24);
    await expectChart(page, 'forecast-chart', 24);
    await screenshot(page, 'demo-meter');

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
