/// <reference lib="dom" />
// Journey 2: an energy manager reviews the suggestion inbox and accepts a suggestion.
import type { Browser, Server } from './harness';
import { assert, expectChart, log, screenshot, skip, uiLogin } from './harness';

export async function energyManagerJourney(server: Server, browser: Browser): Promise<void> {
  if (!server.has('get', '/api/v1/orgs/{orgId}/recommendations'))
    skip('the API has no recommendations endpoints yet');
  const { page, close } = await browser.newContext();
  try {
    // The demo owner may decide (owner ⊇ energy manager).
    await uiLogin(page, server, 'demo@halve.local', 'halve-demo-2024');
    await page.getByRole('link', { name: /Suggestion inbox/ }).click();
    const first = page.locator('[data-testid="inbox"] a').first();
    await first.waitFor({ timeout: 120_000 });
    await screenshot(page, '11-inbox');
    await first.click();
    await page.locator('#evidence').waitFor();
    if (await page.locator('[data-testid="evidence-chart"]').count())
      await expectChart(page, 'evidence-chart', 2);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Accepted').first().waitFor();
    await screenshot(page, '12-suggestion-accepted');
    assert(true, '');
    log('  a suggestion was accepted');
  } catch (err) {
    await screenshot(page, `FAILED-energy-manager`).catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}
