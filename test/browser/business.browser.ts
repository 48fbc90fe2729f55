/// <reference lib="dom" />
// Journey 1: a business signs up, creates a site and a meter, uploads a real meter file, reads the
// import report, the load chart, the heat-map and data quality, then the footprint; a bad file is
// explained line by line; members, invitations and API keys work; the session survives a reload.
import { join } from 'node:path';
import type { Browser, Server } from './harness';
import {
  FIXTURES,
  SCREENSHOTS,
  assert,
  cspViolations,
  expectChart,
  expectCookieSession,
  expectImportSucceeded,
  jsErrors,
  log,
  screenshot,
} from './harness';
import { mailedToken } from './mail';

const FIXTURE = join(FIXTURES, 'metering/bdg2-robin-office-serena.csv');

export async function businessJourney(server: Server, browser: Browser): Promise<void> {
  const { context, page, close } = await browser.newContext();
  try {
    const email = `owner-${Date.now()}@bakery.test`;
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await screenshot(page, '01-login');
    await page.getByRole('link', { name: 'Create an account' }).click();

    // A validation error from the API is shown next to its field.
    await page.getByLabel('Your name').fill('Robin Baker');
    await page.getByLabel('Work e-mail').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Organisation name').fill('Robin Bakery Ltd');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('password must be at least 10 characters long').first().waitFor();
    await screenshot(page, '02-signup-error');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
    const orgId = /\/orgs\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.getByText('Get started').waitFor();
    await screenshot(page, '03-dashboard-empty');

    // The new address is unconfirmed (a banner says so) until the e-mailed link is opened.
    await page.getByText('Confirm your e-mail address').waitFor();
    await page.goto(`${server.url}/verify-email?token=${mailedToken(server, email, '/verify-email')}`);
    await page.getByText(`Your e-mail address ${email} is confirmed.`).waitFor();
    await screenshot(page, '03b-email-confirmed');
    await page.getByRole('link', { name: 'Continue to Halve' }).click();
    await page.getByText('Get started').waitFor();
    assert(
      !(await page.getByText('Confirm your e-mail address').count()),
      'the unconfirmed-address banner is still shown after the address was confirmed',
    );

    // Site and meter.
    await page.getByRole('link', { name: 'Sites & meters' }).click();
    await page.getByRole('button', { name: 'Add a site' }).click();
    await page.getByLabel('Site name').fill('Serena office');
    await page.getByLabel('Country').selectOption('GB');
    await page.getByLabel('Time zone').fill('Europe/London');
    await page.getByLabel('Floor area (m²)').fill('1200');
    await page.getByRole('button', { name: 'Create site' }).click();
    await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
    await page.getByLabel('Meter name').fill('Main incomer');
    await page.getByLabel('Reading interval').selectOption('60');
    await page.getByRole('button', { name: 'Create meter' }).click();
    await page.waitForURL(/\/meters\/[0-9a-f-]{36}$/);
    await page.getByText('No readings yet.').waitFor();

    // Upload a real file with the progress bar, then the import report.
    await page.getByLabel('Meter data file').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page
      .getByRole('progressbar')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    const report = await expectImportSucceeded(page);
    const stored = await report.locator('dt:has-text("Stored") + dd').innerText();
    assert(
      Number(stored.replace(/\D/g, '')) > 17_000,
      `expected over 17,000 rows stored, report says ${stored}`,
    );
    log(`  import stored ${stored} rows`);

    // Charts fill in once the import has finished.
    await expectChart(page, 'load-chart', 24);
    await expectChart(page, 'heatmap-chart', 24);
    await page.locator('#quality').getByText('Coverage').waitFor();
    await screenshot(page, '04-meter-after-import');

    // Re-importing the same file doubles nothing, and says so.
    await page.getByLabel('Meter data file').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="import-report"]');
        return el?.getAttribute('data-status') === 'succeeded' && /already stored/.test(el.textContent ?? '');
      },
      null,
      { timeout: 120_000 },
    );

    // A bad file: the rejected lines are listed with why, the good rows kept.
    // (its good rows repeat the fixture's last two readings, so the stored data stays the same)
    const bad =
      'timestamp,kwh\n2017-12-31 20:00,twelve\n2017-12-31 21:00,-4\n2017-12-31 22:00,17.6\n2017-12-31 23:00,17.5\nnot a date,3\n';
    await page
      .getByLabel('Meter data file')
      .setInputFiles({ name: 'bad-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForFunction(
      () =>
        ['succeeded', 'failed'].includes(
          document.querySelector('[data-testid="import-report"]')?.getAttribute('data-status') ?? '',
        ) && /bad-rows/.test(document.querySelector('[data-testid="import-report"]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    const badText = await report.innerText();
    assert(/Line \d+/.test(badText), `the report of a file with bad rows names no lines:\n${badText}`);
    await report.scrollIntoViewIfNeeded();
    await screenshot(page, '05-import-rejected-lines');

    // An empty file is refused as a whole, with words a person can act on.
    await page
      .getByLabel('Meter data file')
      .setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const refused = page
      .locator('[role="alert"]')
      .filter({ hasText: /empty|refused|no data|nothing/i })
      .first();
    await refused.waitFor({ timeout: 60_000 });
    log(`  empty file: ${(await refused.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);

    // Phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    // No token in web storage; the refresh token is in an HttpOnly, Secure, SameSite=Strict cookie.
    await expectCookieSession(context, page);
    const before = page.url();
    await page.reload(); // the session survives a reload: the access token was in memory, the cookie restores it
    await expectChart(page, 'load-chart', 24);
    assert(page.url() === before, `after a reload the page is ${page.url()}, not ${before}`);
    await expectCookieSession(context, page);
    await screenshot(page, '06-meter-phone');
    await page.setViewportSize({ width: 1366, height: 900 });

    // Forecast for the week after the data ends, with its P10–P90 band over the last week measured.
    const forecast = page.locator('#forecast');
    await forecast.scrollIntoViewIfNeeded();
    await expectChart(page, 'forecast-chart', 24);
    const band = await page.locator('[data-testid="forecast-chart"]').evaluate((el) => {
      type Instance = { getOption(): { series?: { name?: string; data?: unknown[] }[] } };
      const series = (el as HTMLElement & { __echarts?: Instance }).__echarts?.getOption().series ?? [];
      const count = (re: RegExp) =>
        series.filter((x) => re.test(x.name ?? '')).reduce((n, x) => n + (x.data?.length ?? 0), 0);
      return { p50: count(/P50/), band: count(/P10–P90/) };
    });
    assert(band.p50 >= 24, `the forecast chart has ${band.p50} P50 points`);
    assert(band.band >= 48, `the forecast chart has ${band.band} band points (P10 and P90)`);
    log(`  forecast: ${band.p50} P50 points, ${await forecast.locator('.badge').first().innerText()}`);
    await forecast.screenshot({ path: join(SCREENSHOTS, '07-meter-forecast.png') });
    log('  screenshot 07-meter-forecast.png');

    // Dashboard: it opens on the year of the data (2017), footprint by scope and by month.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('[data-testid="footprint-stats"]').waitFor({ timeout: 30_000 });
    assert(
      (await page.locator('#year').inputValue()) === '2017',
      'the dashboard did not open on the last year with data (2017)',
    );
    await expectChart(page, 'month-chart', 12);
    await expectChart(page, 'scope-chart', 3);
    await screenshot(page, '08-dashboard-footprint');
    for (const [label, ext] of [
      ['Download PDF', 'pdf'],
      ['Download Excel', 'xlsx'],
      ['Download CSV', 'csv'],
    ]) {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.getByRole('button', { name: label }).click(),
      ]);
      const name = download.suggestedFilename();
      assert(name.endsWith(`.${ext}`), `the ${ext} report downloaded as ${name}`);
      assert(!(await download.failure()), `the ${ext} report download failed`);
      log(`  report ${name}`);
    }

    // Members and invitations.
    await page.getByRole('link', { name: 'Members & roles' }).click();
    await page.locator('#invite').getByLabel('E-mail').fill('manager@bakery.test');
    await page.locator('#invite').getByLabel('Role').selectOption('energy_manager');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('shown only now').waitFor();
    await page.getByRole('cell', { name: 'manager@bakery.test' }).waitFor();
    await screenshot(page, '09-members');

    // API key shown once, with a copy button.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.locator('#create-key').getByLabel('Name').fill('Meter gateway');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = page.locator('[data-testid="new-api-key"] code');
    await key.waitFor();
    assert((await key.innerText()).length > 20, 'the new API key is not shown');
    await page.getByRole('button', { name: 'Copy key' }).waitFor();
    await screenshot(page, '10-api-key');

    // The invitee opens the e-mailed invitation link logged out, signs up, is asked to confirm the address,
    // confirms it with the e-mailed link and accepts from there.
    {
      const invitee = await browser.newContext();
      const p = invitee.page;
      try {
        const invitationLink = `/invitations/accept?token=${mailedToken(server, 'manager@bakery.test', '/invitations/accept')}`;
        await p.goto(`${server.url}${invitationLink}`);
        await p.waitForURL(/\/login/);
        await p.getByRole('link', { name: 'Create an account' }).click();
        await p.getByLabel('Your name').fill('Mo Manager');
        await p.getByLabel('Work e-mail').fill('manager@bakery.test');
        await p.getByLabel('Password').fill('quiet-harbour-lantern-42');
        await p.getByRole('button', { name: 'Create account' }).click();
        await p.getByText('Check your e-mail:').waitFor();
        await screenshot(p, '09b-invitee-check-email');
        await p.goto(
          `${server.url}/verify-email?token=${mailedToken(server, 'manager@bakery.test', '/verify-email')}`,
        );
        await p.getByRole('link', { name: 'Accept your invitation' }).click();
        await p.waitForURL(new RegExp(`/orgs/${orgId}$`));
      } catch (err) {
        await screenshot(p, 'FAILED-business-invitee').catch(() => undefined);
        throw err;
      } finally {
        await invitee.close();
      }
    }

    // A forgotten password: the e-mailed link sets a new one (a too-short one is refused at its field).
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    // Logging out cleared the refresh cookie: a reload stays logged out.
    const left = (await context.cookies()).find((c) => c.name === 'halve_refresh');
    assert(!left, 'the refresh cookie survived the log-out');
    await page.reload();
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If an account exists').waitFor();
    await page.goto(`${server.url}/reset-password?token=${mailedToken(server, email, '/reset-password')}`);
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page
      .getByText(/password must be/)
      .first()
      .waitFor();
    await page.getByLabel('New password').fill('another-long-enough-password');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('Your password has been changed').waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('another-long-enough-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(new RegExp(`/orgs/${orgId}`));

    assert(orgId.length === 36, 'no organisation id');
    // The portal ran under a CSP without inline scripts or styles, and nothing it did was refused.
    assert(!cspViolations(page).length, `CSP violations:\n${cspViolations(page).join('\n')}`);
    const errors = jsErrors(page).filter((e) => !/Failed to load resource/.test(e));
    assert(!errors.length, `JavaScript errors on the page:\n${errors.join('\n')}`);
  } catch (err) {
    await screenshot(page, `FAILED-business`).catch(() => undefined);
    throw err;
  } finally {
    await close();
  }
}
