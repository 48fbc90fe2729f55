/// <reference lib="dom" />
// Journey: the demo organisation opens on real charts (the README screenshot), and the public
// verification page answers for an unknown certificate number.
import type { Browser, Server } from './harness';
import { assert, expectChart, log, screenshot, uiLogin } from './harness';

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

    await page.getByRole('link', { name: 'Sites & meters' }).click();
    await page.locator('.meter-list a').first().waitFor();
    await screenshot(page, 'demo-sites');
    await page.locator('.meter-list a').first().click();
    await expectChart(page, 'load-chart', 24);
    await expectChart(page, 'heatmap-chart', 24);
    await screenshot(page, 'demo-meter');

    // Public verification of a number that does not exist.
    await page.goto(`${server.url}/verify/HALVE-0000-NOPE`);
    if (server.has('get', '/api/v1/verify/{number}')) {
      const result = page.locator('[data-testid="verify-result"]');
      await result.waitFor();
      assert(
        (await result.getAttribute('data-status')) === 'not_found',
        'an unknown certificate number was not reported as not found',
      );
    } else {
      await page.getByText(/not available on this server yet/).waitFor();
      log('  verify: the API has no verification endpoint yet');
    }
    await screenshot(page, 'verify-unknown');
  } catch (err) {
    await screenshot(page, `FAILED-demo`).catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}
