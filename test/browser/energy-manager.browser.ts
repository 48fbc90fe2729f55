/// <reference lib="dom" />
// Journey 2: an energy manager imports a real building's meter file, runs the savings analysis on the
// site, reviews the suggestion inbox and accepts a suggestion with its evidence chart in view.
import { join } from 'node:path';
import type { Browser, Server } from './harness';
import {
  FIXTURES,
  apiJson,
  assert,
  expectChart,
  expectImportSucceeded,
  jsErrors,
  log,
  screenshot,
  uiLogin,
} from './harness';
import { verifyAndAccept } from './mail';

// BDG2 Robin_office_Serena: a London office, hourly 2016–2017.
const FIXTURE = join(FIXTURES, 'metering/bdg2-robin-office-serena.csv');

export async function energyManagerJourney(server: Server, browser: Browser): Promise<void> {
  const stamp = Date.now();
  // Set-up through the API: the organisation, its site (with its tariff) and meter, and an energy
  // manager who joins by invitation.
  const owner = await apiJson<{ organization: { id: string }; accessToken: string }>(
    server,
    'POST',
    '/api/v1/auth/signup',
    null,
    {
      email: `owner-${stamp}@serena-offices.test`,
      password: 'serena-owner-password',
      name: 'Sam Owner',
      organizationName: 'Serena Offices Ltd',
      country: 'GB',
      timezone: 'Europe/London',
    },
  );
  const orgId = owner.organization.id;
  const org = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const site = await apiJson<{ id: string }>(server, 'POST', org('/sites'), owner.accessToken, {
    name: 'London office',
    country: 'GB',
    timezone: 'Europe/London',
    latitude: 51.5188,
    longitude: -0.1346,
    floorAreaM2: 2833.1,
    tariff: { type: 'flat', currency: 'GBP', pricePerKwh: 0.25, demandChargePerKw: 8 },
  });
  const meter = await apiJson<{ id: string }>(server, 'POST', org('/meters'), owner.accessToken, {
    siteId: site.id,
    name: 'Main incomer',
    kind: 'electricity_import',
    unit: 'kWh',
    intervalMinutes: 60,
  });
  const manager = { email: `manager-${stamp}@serena-offices.test`, password: 'energy-manager-password' };
  const invitation = await apiJson<{ token: string }>(
    server,
    'POST',
    org('/invitations'),
    owner.accessToken,
    {
      email: manager.email,
      role: 'energy_manager',
    },
  );
  const joined = await apiJson<{ accessToken: string }>(server, 'POST', '/api/v1/auth/signup', null, {
    email: manager.email,
    password: manager.password,
    name: 'Morgan Manager',
    invitationToken: invitation.token,
  });
  // The invitation is accepted once the address is verified (the token from the mailer's outbox).
  await verifyAndAccept(server, manager.email, joined.accessToken, invitation.token);

  const { page, close } = await browser.newContext();
  try {
    await uiLogin(page, server, manager.email, manager.password);

    // The real meter file, imported in the portal.
    await page.goto(`${server.url}/orgs/${orgId}/meters/${meter.id}`);
    await page.getByLabel('Meter data file').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await expectImportSucceeded(page);
    await expectChart(page, 'load-chart', 24);

    // The analysis of the site, followed to its end.
    await page.goto(`${server.url}/orgs/${orgId}/sites/${site.id}`);
    await page.getByRole('button', { name: 'Look for savings' }).click();
    const status = page.locator('[data-testid="analysis-status"]');
    await page.waitForFunction(
      () =>
        ['succeeded', 'failed'].includes(
          document.querySelector('[data-testid="analysis-status"]')?.getAttribute('data-status') ?? '',
        ),
      null,
      { timeout: 180_000 },
    );
    assert(
      (await status.getAttribute('data-status')) === 'succeeded',
      `the analysis failed: ${await status.innerText()}`,
    );
    log(`  ${(await status.innerText()).replace(/\s+/g, ' ')}`);
    // The site's net-load forecast: 48 hours after the latest reading, P50 with its P10–P90 band.
    await expectChart(page, 'site-forecast-chart', 24);
    log(
      `  site forecast: ${await page.locator('[data-testid="site-forecast-total"]').innerText()} net over 48 h`,
    );
    await screenshot(page, '11-site-analysed');

    // The inbox: suggestions, largest saving first.
    await status.getByRole('link', { name: 'suggestion inbox' }).click();
    const items = page.locator('[data-testid="inbox"] a');
    await items.first().waitFor({ timeout: 30_000 });
    const count = await items.count();
    assert(
      count >= 3,
      `the inbox lists ${count} suggestions for a year of a real office (expected 3 or more)`,
    );
    log(`  inbox: ${count} suggestions`);
    await screenshot(page, '12-inbox');

    // The solar PV suggestion (this office keeps a typical share on at night: no always-on suggestion): its evidence
    // chart is drawn by system size on a value axis, smallest size first, then accept.
    await items.filter({ hasText: 'Solar PV' }).first().click();
    await page.locator('#evidence').waitFor();
    const evidence = await expectChart(page, 'evidence-chart', 24);
    // expectChart checked every series runs by ascending x: the PV lines once ran backwards.
    const sizeAxis = evidence.summary.xAxes[0];
    assert(
      sizeAxis?.type === 'value',
      `the PV evidence x axis is ${sizeAxis?.type}, expected value (system size)`,
    );
    assert(sizeAxis.name, 'the PV evidence x axis (system size) has no name');
    const xs = evidence.summary.series[0]?.xs ?? [];
    assert(xs.length >= 2, `the PV evidence has ${xs.length} system sizes`);
    await page.locator('#why').getByText(/\w/).first().waitFor();
    await screenshot(page, '13-suggestion');
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await page
      .locator('.badge', { hasText: /^Accepted$/ })
      .first()
      .waitFor();
    await page.locator('#history').getByText('Accepted').waitFor();
    await screenshot(page, '14-suggestion-accepted');
    log('  the PV suggestion was accepted');

    const errors = jsErrors(page).filter((e) => !/Failed to load resource/.test(e));
    assert(!errors.length, `JavaScript errors on the page:\n${errors.join('\n')}`);
  } catch (err) {
    await screenshot(page, `FAILED-energy-manager`).catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}
