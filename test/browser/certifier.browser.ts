/// <reference lib="dom" />
// Journey 3: a business drafts an emission-reduction claim in the portal, attaches a bill and
// submits it; a certifier (set up by the platform admin) takes it into review and approves it in the
// portal; the business sees its certificate; anyone verifies it on the public page. Then the demo
// certifier (printed at start) logs in and reviews the demo organisation's claim waiting in review.
import type { Page } from 'playwright-core';
import type { Browser, Server } from './harness';
import {
  ADMIN,
  apiJson,
  apiLogin,
  assert,
  openDemoClaimAsCertifier,
  jsErrors,
  log,
  screenshot,
  uiLogin,
} from './harness';
import { mailedToken, verifyAndAccept } from './mail';
import { DEMO_YEAR, demoClaims } from './demo.browser';

// Last calendar year, so that the certificate (valid to the end of the year after the period) is valid today.
const Y = new Date().getUTCFullYear() - 1;
const BASE = Y - 3;
const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

export async function certifierJourney(server: Server, browser: Browser): Promise<void> {
  const stamp = Date.now();
  // Set-up through the API: a certification body and its certifier (a platform-admin task).
  const admin = await apiLogin(server, ADMIN.email, ADMIN.password);
  const bodyName = 'Green Assurance Ltd';
  const body = await apiJson<{ id: string }>(server, 'POST', '/api/v1/admin/certification-bodies', admin, {
    name: bodyName,
    claimTypes: ['renewable_share', 'emission_reduction', 'verified_savings', 'carbon_neutral'],
  });
  const certifier = { email: `certifier-${stamp}@assurance.test`, password: 'certifier-password-1' };
  const certifierSignup = await apiJson<{ accessToken: string }>(
    server,
    'POST',
    '/api/v1/auth/signup',
    null,
    {
      email: certifier.email,
      password: certifier.password,
      name: 'Casey Certifier',
      organizationName: 'Casey Consulting',
      country: 'GB',
      timezone: 'Europe/London',
    },
  );
  await apiJson(server, 'POST', `/api/v1/admin/certification-bodies/${body.id}/members`, admin, {
    email: certifier.email,
    role: 'lead_certifier',
  });
  // The certifier verifies the address and accepts the e-mailed invitation (tokens from the mailer's outbox).
  await verifyAndAccept(
    server,
    certifier.email,
    certifierSignup.accessToken,
    mailedToken(server, certifier.email, '/invitations/accept'),
  );

  // The business: its base year and its energy use in the base year and last year (from its bills).
  const owner = { email: `owner-${stamp}@joinery.test`, password: 'joinery-password-1' };
  const signup = await apiJson<{ organization: { id: string }; accessToken: string }>(
    server,
    'POST',
    '/api/v1/auth/signup',
    null,
    {
      email: owner.email,
      password: owner.password,
      name: 'Jo Hollis',
      organizationName: 'Hollis Joinery Ltd',
      country: 'GB',
      timezone: 'Europe/London',
    },
  );
  const orgId = signup.organization.id;
  const token = signup.accessToken;
  await apiJson(server, 'PATCH', `/api/v1/orgs/${orgId}`, token, { baseYear: BASE });
  for (const [year, electricity, gas] of [
    [BASE, '42000', '61000'],
    [Y, '35500', '47800'],
  ] as const) {
    for (const [activity, quantity] of [
      ['electricity', electricity],
      ['natural_gas', gas],
    ] as const)
      await apiJson(server, 'POST', `/api/v1/orgs/${orgId}/activities`, token, {
        activity,
        quantity,
        unit: 'kWh',
        ...(activity === 'natural_gas' ? { basis: 'gross' } : {}),
        periodFrom: `${year}-01-01`,
        periodTo: `${year + 1}-01-01`,
        dataQuality: 1,
      });
  }

  // The business drafts the claim in the portal, attaches a bill and submits it.
  const biz = await browser.newContext();
  let claimUrl = '';
  try {
    await uiLogin(biz.page, server, owner.email, owner.password);
    await biz.page.getByRole('link', { name: 'Claims' }).click();
    await biz.page.getByLabel('Type of claim').selectOption('emission_reduction');
    await biz.page.getByLabel('Period from').fill(`${Y}-01-01`);
    await biz.page.getByLabel('Period to (exclusive)').fill(`${Y + 1}-01-01`);
    await biz.page.getByLabel('Certification body').selectOption({ label: bodyName });
    await biz.page.getByRole('button', { name: 'Create draft claim' }).click();
    await biz.page.waitForURL(/\/claims\/[0-9a-f-]{36}$/);
    claimUrl = biz.page.url();
    const figures = biz.page.locator('[data-testid="claim-figures"]');
    await figures.waitFor();
    const text = await figures.innerText();
    assert(/Reduction \(%\)/.test(text), `the draft shows no reduction figure:\n${text}`);
    await biz.page.getByLabel('Document to attach').setInputFiles({
      name: `gas-bill-${Y}.pdf`,
      mimeType: 'application/pdf',
      buffer: pdf('gas bill'),
    });
    await biz.page.getByLabel('Kind').selectOption('bill');
    await biz.page.getByLabel('Description').fill(`Gas bills ${Y}`);
    await biz.page.getByRole('button', { name: 'Attach', exact: true }).click();
    await biz.page.locator('[data-testid="evidence-table"]').getByText(`gas-bill-${Y}.pdf`).waitFor();
    await screenshot(biz.page, '15-claim-draft');

    // An illegal upload is explained in words (an executable renamed to .pdf).
    await biz.page.getByLabel('Document to attach').setInputFiles({
      name: 'invoice.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.alloc(200, 0)]),
    });
    await biz.page.getByRole('button', { name: 'Attach', exact: true }).click();
    const refused = biz.page.locator('[role="alert"]').filter({ hasText: /PDF, PNG, JPEG, CSV or XLSX/ });
    await refused.waitFor();
    log(`  bad upload: ${(await refused.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);

    await biz.page.getByRole('button', { name: 'Submit for certification' }).click();
    await biz.page
      .locator('.badge', { hasText: /^Submitted$/ })
      .first()
      .waitFor();
    await biz.page.getByText('Evidence snapshot SHA-256').waitFor();
    await screenshot(biz.page, '16-claim-submitted');
  } catch (err) {
    await screenshot(biz.page, 'FAILED-certifier-business').catch(() => undefined);
    throw err;
  } finally {
    await biz.close();
  }

  // The certifier reviews and approves.
  const cert = await browser.newContext();
  let number = '';
  try {
    await uiLogin(cert.page, server, certifier.email, certifier.password);
    // The submission reached the certifier as an unread notification about the claim.
    const claimId = /\/claims\/([0-9a-f-]{36})$/.exec(claimUrl)?.[1] ?? '';
    await expectUnreadNotification(cert.page, /Claim submitted for certification: emission reduction$/, {
      href: `/certifier/${body.id}/claims/${claimId}`,
      screenshotName: '17a-certifier-notification',
    });
    // "Mark as read" clears the count; Escape closes the list and gives focus back to the bell.
    await cert.page
      .locator('[data-testid="notification"][data-unread="true"]')
      .first()
      .getByRole('button', { name: /^Mark as read/ })
      .click();
    await cert.page.locator('[data-testid="notification-bell"][data-count="0"]').waitFor();
    await cert.page.keyboard.press('Escape');
    assert(
      await cert.page.getByTestId('notification-bell').evaluate((el) => el === document.activeElement),
      'Escape did not give the focus back to the notifications button',
    );
    await cert.page.getByRole('link', { name: `${bodyName} queue` }).click();
    const row = cert.page.locator('[data-testid="certifier-queue"] tr', { hasText: 'Hollis Joinery Ltd' });
    await row.waitFor();
    await screenshot(cert.page, '17-certifier-queue');
    await row.getByRole('link').click();
    await cert.page.getByRole('button', { name: 'Take into review' }).click();
    await cert.page.getByRole('button', { name: 'Approve and issue certificate' }).waitFor();
    const checklist = cert.page.locator('[data-testid="checklist"] > li');
    assert((await checklist.count()) > 0, 'the review shows no checklist');
    await screenshot(cert.page, '18-certifier-review');
    await cert.page
      .getByLabel('Statement')
      .fill(`Hollis Joinery Ltd cut its Scope 1 and 2 emissions in ${Y} against its ${BASE} base year.`);
    await cert.page.getByLabel('Assurance level').selectOption('limited');
    await cert.page.getByRole('button', { name: 'Approve and issue certificate' }).click();
    const link = cert.page.locator('[data-testid="certificate-link"]');
    await link.waitFor({ timeout: 30_000 });
    number = (await link.innerText()).trim();
    assert(
      /^HLV-\d{4}-[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/.test(number),
      `unexpected certificate number ${number}`,
    );
    await screenshot(cert.page, '19-certifier-approved');
    const errors = jsErrors(cert.page).filter((e) => !/Failed to load resource/.test(e));
    assert(!errors.length, `JavaScript errors on the certifier's pages:\n${errors.join('\n')}`);
  } catch (err) {
    await screenshot(cert.page, 'FAILED-certifier').catch(() => undefined);
    throw err;
  } finally {
    await cert.close();
  }

  // The business sees the certificate on its claim.
  const back = await browser.newContext();
  try {
    await uiLogin(back.page, server, owner.email, owner.password);
    // The decision reached the business as an unread notification; at phone width, by keyboard.
    await back.page.setViewportSize({ width: 390, height: 844 });
    const claimPath = new URL(claimUrl).pathname;
    await expectUnreadNotification(back.page, /Your emission reduction claim was approved$/, {
      href: claimPath,
      screenshotName: '20a-business-notification-phone',
      keyboard: true,
    });
    await back.page
      .locator('[data-testid="notification"][data-unread="true"]')
      .first()
      .getByRole('link', { name: 'Open claim' })
      .click();
    await back.page.waitForURL((u) => u.pathname === claimPath);
    await back.page.locator('[data-testid="notification-bell"][data-count="0"]').waitFor();
    // The notifications page keeps it, now read.
    await back.page.goto(`${server.url}/notifications`);
    await back.page
      .locator('[data-testid="notification"][data-unread="false"]', { hasText: 'claim was approved' })
      .waitFor();
    await screenshot(back.page, '20b-notifications-page-phone');
    await back.page.setViewportSize({ width: 1366, height: 900 });
    await back.page.goto(claimUrl);
    const shown = back.page.locator('[data-testid="certificate-number"]');
    await shown.waitFor();
    assert((await shown.innerText()).trim() === number, 'the claim page shows another certificate number');
    await back.page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
    await screenshot(back.page, '20-claim-approved');
  } finally {
    await back.close();
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
    assert((await result.innerText()).includes(bodyName), 'the public page does not name the certifier');
    await screenshot(pub.page, '21-verify-valid');
    log(`  certificate ${number} verified`);
  } finally {
    await pub.close();
  }
  await demoCertifierReview(server, browser);
}

/**
 * The demo certifier opens on the demo body's queue, finds the demo organisation's claim of the
 * reporting year in review with its snapshot and its REC retirement report, and approves it.
 */
async function demoCertifierReview(server: Server, browser: Browser): Promise<void> {
  await demoClaims(server);
  const { page, close } = await browser.newContext();
  try {
    await openDemoClaimAsCertifier(page, server, DEMO_YEAR, async () => {
      // the queue answers again for the filter: wait until no approved row of the organisation is left
      await page
        .locator('[data-testid="certifier-queue"] tr', { hasText: 'Halve Demo Ltd' })
        .and(page.locator('tr', { hasText: 'Approved' }))
        .waitFor({ state: 'detached' });
      await screenshot(page, 'demo-certifier-queue');
    });
    await screenshot(page, 'demo-certifier-review');
    await page.getByLabel('Assurance level').selectOption('limited');
    await page.getByRole('button', { name: 'Approve and issue certificate' }).click();
    const link = page.locator('[data-testid="certificate-link"]');
    await link.waitFor({ timeout: 30_000 });
    log(`  demo certifier approved the ${DEMO_YEAR} claim: certificate ${(await link.innerText()).trim()}`);
    const errors = jsErrors(page).filter((e) => !/Failed to load resource/.test(e));
    assert(!errors.length, `JavaScript errors on the demo certifier's pages:\n${errors.join('\n')}`);
  } catch (err) {
    await screenshot(page, 'FAILED-demo-certifier').catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}

/**
 * The header bell names an unread count; opening it (by click, or by keyboard: Tab to it, Enter)
 * lists a notification with the expected title, unread, linking to the claim.
 */
async function expectUnreadNotification(
  page: Page,
  title: RegExp,
  options: { href: string; screenshotName: string; keyboard?: boolean },
): Promise<void> {
  const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await bell.waitFor();
  const label = (await bell.getAttribute('aria-label')) ?? '';
  assert(/^Notifications, [1-9]\d* unread$/.test(label), `the bell shows no unread notification: ${label}`);
  if (options.keyboard) {
    await bell.focus();
    await page.keyboard.press('Enter');
  } else await bell.click();
  assert((await bell.getAttribute('aria-expanded')) === 'true', 'the notifications button did not open');
  const panel = page.getByRole('region', { name: 'Notifications' });
  const item = panel
    .locator('[data-testid="notification"][data-unread="true"]')
    .filter({ has: page.locator('.notification-title', { hasText: title }) });
  await item.first().waitFor();
  const href = await item.first().getByRole('link', { name: 'Open claim' }).getAttribute('href');
  assert(href === options.href, `the notification links to ${href}, not to ${options.href}`);
  const text = (await item.first().locator('.notification-title').innerText()).replace(/^Unread:\s*/, '');
  log(`  notification: ${label}; ${text.trim()}`);
  await screenshot(page, options.screenshotName, false);
}
