/// <reference lib="dom" />
// Journey 3: a business submits a claim; a certifier approves it; the public page verifies it.
import type { Browser, Server } from './harness';
import { ADMIN, apiJson, apiLogin, assert, log, screenshot, skip, uiLogin } from './harness';

export async function certifierJourney(server: Server, browser: Browser): Promise<void> {
  if (
    !server.has('post', '/api/v1/orgs/{orgId}/claims') ||
    !server.has('get', '/api/v1/certification-bodies/{bodyId}/claims')
  )
    skip('the API has no claims / certifier endpoints yet');
  // Set-up through the API: a certification body and its certifier (a platform-admin task).
  const admin = await apiLogin(server, ADMIN.email, ADMIN.password);
  const body = await apiJson<{ id: string }>(server, 'POST', '/api/v1/admin/certification-bodies', admin, {
    name: 'Green Assurance Ltd',
    claimTypes: ['renewable_share', 'emission_reduction', 'verified_savings', 'carbon_neutral'],
  });
  const certifier = { email: `certifier-${Date.now()}@assurance.test`, password: 'certifier-password-1' };
  await apiJson(server, 'POST', '/api/v1/auth/signup', null, {
    email: certifier.email,
    password: certifier.password,
    name: 'Casey Certifier',
    organizationName: 'Casey Consulting',
    country: 'GB',
    timezone: 'Europe/London',
  });
  await apiJson(server, 'POST', `/api/v1/admin/certification-bodies/${body.id}/members`, admin, {
    email: certifier.email,
    role: 'lead_certifier',
  });

  // The business (demo organisation) creates and submits a claim in the portal.
  const biz = await browser.newContext();
  try {
    await uiLogin(biz.page, server, 'demo@halve.local', 'halve-demo-2024');
    await biz.page.getByRole('link', { name: 'Claims' }).click();
    await biz.page.getByLabel('Type of claim').selectOption('emission_reduction');
    await biz.page.getByLabel('Period from').fill('2017-01-01');
    await biz.page.getByLabel('Period to (exclusive)').fill('2018-01-01');
    await biz.page.getByRole('button', { name: 'Create draft claim' }).click();
    await biz.page.waitForURL(/\/claims\/[0-9a-f-]{36}$/);
    await biz.page.getByRole('button', { name: 'Submit for certification' }).click();
    await biz.page.getByText('Submitted').first().waitFor();
    await screenshot(biz.page, '13-claim-submitted');
  } finally {
    await biz.close();
  }

  // The certifier reviews and approves.
  const cert = await browser.newContext();
  let number = '';
  try {
    await uiLogin(cert.page, server, certifier.email, certifier.password);
    await cert.page.goto(`${server.url}/certifier/${body.id}`);
    await cert.page.locator('[data-testid="certifier-queue"] a').first().click();
    await cert.page.getByRole('button', { name: 'Take into review' }).click();
    await cert.page
      .getByLabel('Statement')
      .fill('Scope 1 and 2 emissions in 2017 were reduced against the 2016 base year.');
    await cert.page.getByRole('button', { name: 'Approve and issue certificate' }).click();
    const link = cert.page.locator('a[href^="/verify/"]').first();
    await link.waitFor({ timeout: 30_000 });
    number = (await link.innerText()).trim();
    await screenshot(cert.page, '14-certifier-approved');
  } finally {
    await cert.close();
  }

  // Anyone verifies it.
  const pub = await browser.newContext();
  try {
    await pub.page.goto(`${server.url}/verify/${encodeURIComponent(number)}`);
    const result = pub.page.locator('[data-testid="verify-result"]');
    await result.waitFor();
    assert(
      (await result.getAttribute('data-status')) === 'valid',
      `certificate ${number} is not shown as valid`,
    );
    await screenshot(pub.page, '15-verify-valid');
    log(`  certificate ${number} verified`);
  } finally {
    await pub.close();
  }
}
