/// <reference lib="dom" />
// Browser-test harness: a fresh API server (built dist, PGlite in a temp folder, a free port) and
// Debian's Chromium driven by playwright-core, plus the checks the journeys share.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test/browser/screenshots');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const CHROMIUM = process.env.HALVE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const ADMIN = { email: 'admin@halve.test', password: 'admin-password-0123' };

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** The newest modification time (ms) of the files at or under `paths` (relative to the repository), skipping dist folders. */
function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) {
    const p = join(ROOT, d);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) walk(p);
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Whether the build marked by `stamp` (written after each build here; tsc's incremental build leaves unchanged
 * outputs' times alone, so they cannot tell) is missing or older than a file under `paths`: a build from before an
 * edit would test the old code.
 */
function stale(stamp: string, paths: string[]): boolean {
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestSource(paths);
}

const stampFile = (dir: string): string => join(ROOT, dir, '.halve-browser-build');

/**
 * Builds what is missing or older than its sources (the API's dist against apps/api, apps/worker and libs; the
 * portal's against apps/portal). HALVE_BROWSER_BUILD=1 forces a build.
 */
export function ensureBuilt(): void {
  const force = process.env.HALVE_BROWSER_BUILD === '1';
  const parts = [
    ...(force || stale(stampFile('dist'), ['apps/api', 'apps/worker', 'libs', 'migrations']) ? ['api'] : []),
    ...(force || stale(stampFile('apps/portal/dist'), ['apps/portal/src', 'apps/portal/index.html'])
      ? ['portal']
      : []),
  ];
  if (!parts.length) return;
  log(`building ${parts.join(' and ')} (scripts/build.mjs)…`);
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), ...parts], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export interface Server {
  url: string;
  dataDir: string;
  openapi: { paths: Record<string, Record<string, unknown>> };
  /** True when the running API has this operation. */
  has(method: string, path: string): boolean;
  stop(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'halve-browser-'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HALVE_DATA_DIR: dataDir,
      HALVE_DEMO: 'on',
      HALVE_AUTH_RATE_LIMIT: '100000',
      // Short-lived access tokens, so the journeys exercise the portal's silent refresh.
      HALVE_ACCESS_TOKEN_TTL: '60',
      HALVE_ADMIN_EMAIL: ADMIN.email,
      HALVE_ADMIN_PASSWORD: ADMIN.password,
      HALVE_PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}):\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.status < 500 && output.includes('Halve is serving')) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start within 120 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const openapi = (await (await fetch(`${url}/api/docs/openapi.json`)).json()) as Server['openapi'];
  log(`server on ${url} (data in ${dataDir})`);
  return {
    url,
    dataDir,
    openapi,
    has: (method, path) => !!openapi.paths[path]?.[method.toLowerCase()],
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  newContext(options?: {
    width?: number;
    height?: number;
  }): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Each context is a fresh persistent profile (its own user-data-dir), so journeys share nothing. */
export async function startBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`);
  const dirs: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    async newContext(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'halve-chromium-'));
      dirs.push(dir);
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
        deviceScaleFactor: 1,
        acceptDownloads: true,
      });
      contexts.push(context);
      // The portal's charts publish what they show (data-chart-summary) only under this flag.
      await context.addInitScript(() => {
        (window as Window & { __HALVE_CHART_TEST__?: boolean }).__HALVE_CHART_TEST__ = true;
      });
      context.setDefaultTimeout(20_000);
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of (401|403|404|409|413|422)/.test(msg.text()))
          errors.push(msg.text());
      });
      (page as Page & { jsErrors?: string[] }).jsErrors = errors;
      return { context, page, close: () => context.close() };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Back to the top first, so the sticky header sits where it belongs in a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  log(`  screenshot ${name}.png`);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * Waits (up to 2 minutes) for the import report under `scope` (a CSS selector; the page by default) to end, fails
 * unless it succeeded, and answers the report.
 */
export async function expectImportSucceeded(page: Page, scope = ''): Promise<Locator> {
  const selector = `${scope} [data-testid="import-report"]`.trim();
  await page.waitForFunction(
    (sel) => ['succeeded', 'failed'].includes(document.querySelector(sel)?.getAttribute('data-status') ?? ''),
    selector,
    { timeout: 120_000 },
  );
  const report = page.locator(selector);
  const status = await report.getAttribute('data-status');
  assert(status === 'succeeded', `the import ended ${status}: ${await report.innerText()}`);
  return report;
}

/** What the portal's Chart publishes under the test flag (apps/portal/src/lib/chart-summary.ts). */
export interface ChartSummary {
  xAxes: { type: string; name: string; categories: number }[];
  yAxes: { type: string; name: string; categories: number }[];
  series: { name: string; type: string; points: number; xs: number[] | null }[];
}

/** The chart's own data: every series drawn, x ascending, every axis named or labelled. */
export async function chartSummary(page: Page, testId: string): Promise<ChartSummary> {
  const raw = await page.locator(`[data-testid="${testId}"]`).getAttribute('data-chart-summary');
  assert(raw, `chart ${testId} published no data-chart-summary (is the test flag set?)`);
  return JSON.parse(raw) as ChartSummary;
}

function expectChartData(testId: string, summary: ChartSummary): void {
  for (const s of summary.series) {
    assert(s.points > 0, `chart ${testId}: series "${s.name}" is empty`);
    const xs = s.xs ?? [];
    const back = xs.findIndex((x, i) => i > 0 && !(x > xs[i - 1]));
    assert(
      back < 0,
      `chart ${testId}: series "${s.name}" runs backwards at point ${back} (${xs[back - 1]} then ${xs[back]})`,
    );
  }
  for (const [which, axes] of [
    ['x', summary.xAxes],
    ['y', summary.yAxes],
  ] as const)
    for (const a of axes) {
      if (a.type === 'value') assert(a.name.trim(), `chart ${testId}: a ${which} value axis has no name`);
      if (a.type === 'category')
        assert(a.categories > 0, `chart ${testId}: a ${which} category axis has no labels`);
    }
}

export interface ChartStats {
  summary: ChartSummary;
  seriesCount: number;
  dataPoints: number;
  coloredPixels: number;
  width: number;
  height: number;
}

/**
 * Fails when a chart renders empty: the live ECharts instance must hold series data, and its
 * canvas must have drawn coloured (saturated) pixels — axes, grid lines and labels are grey, so an
 * empty chart with axes only does not pass.
 */
export async function expectChart(page: Page, testId: string, minPoints = 2): Promise<ChartStats> {
  const locator = page.locator(`[data-testid="${testId}"]`);
  await locator.waitFor({ state: 'visible', timeout: 30_000 });
  await locator.scrollIntoViewIfNeeded();
  await page
    .waitForFunction(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-rendered') === 'true',
      testId,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  await page.waitForTimeout(400); // let the entry animation finish
  const stats: Omit<ChartStats, 'summary'> = await locator.evaluate((el) => {
    type Instance = { getOption(): { series?: { data?: unknown[] }[] } };
    const chart = (el as HTMLElement & { __echarts?: Instance }).__echarts;
    const series = chart?.getOption().series ?? [];
    const dataPoints = series.reduce(
      (n, s) =>
        n +
        (Array.isArray(s.data)
          ? s.data.filter((d) => d !== null && d !== undefined && !(Array.isArray(d) && d[1] === null)).length
          : 0),
      0,
    );
    // ECharts may draw on several layers (progressive rendering uses extra canvases): count them all.
    const canvases = Array.from(el.querySelectorAll('canvas'));
    const canvas = canvases[0];
    let coloredPixels = 0;
    for (const c of canvases) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext('2d');
      const data = ctx ? ctx.getImageData(0, 0, c.width, c.height).data : new Uint8ClampedArray();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 128) continue;
        const max = Math.max(data[i], data[i + 1], data[i + 2]);
        const min = Math.min(data[i], data[i + 1], data[i + 2]);
        if (max - min > 50) coloredPixels++;
      }
    }
    return {
      seriesCount: series.length,
      dataPoints,
      coloredPixels,
      width: canvas?.width ?? 0,
      height: canvas?.height ?? 0,
    };
  });
  assert(stats.seriesCount > 0, `chart ${testId} has no series`);
  const summary = await chartSummary(page, testId);
  expectChartData(testId, summary);
  assert(
    stats.dataPoints >= minPoints,
    `chart ${testId} has ${stats.dataPoints} data points (expected at least ${minPoints})`,
  );
  assert(
    stats.width > 100 && stats.height > 100,
    `chart ${testId} has a ${stats.width}×${stats.height} canvas`,
  );
  assert(
    stats.coloredPixels > 300,
    `chart ${testId} rendered empty: only ${stats.coloredPixels} coloured pixels on its canvas`,
  );
  log(
    `  chart ${testId}: ${stats.seriesCount} series, ${stats.dataPoints} points, ${stats.coloredPixels} coloured pixels`,
  );
  return { ...stats, summary };
}

export async function apiJson<T>(
  server: Server,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function apiLogin(server: Server, email: string, password: string): Promise<string> {
  const t = await apiJson<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', null, {
    email,
    password,
  });
  return t.accessToken;
}

export async function uiLogin(page: Page, server: Server, email: string, password: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });
}

/** The demo data's certifier (a member of the demo certification body). */
export const DEMO_CERTIFIER = { email: 'certifier@halve.local', password: 'halve-certifier-2024' };

/**
 * The demo certifier signs in (landing on the demo body's queue), filters the queue to claims in review and opens
 * the demo organisation's claim, of `year`: the review shows its checklist, the REC retirement report of that
 * year and the snapshot's hash. `atQueue` runs on the filtered queue, before the claim is opened.
 */
export async function openDemoClaimAsCertifier(
  page: Page,
  server: Server,
  year: string,
  atQueue?: () => Promise<void>,
): Promise<void> {
  await uiLogin(page, server, DEMO_CERTIFIER.email, DEMO_CERTIFIER.password);
  await page.waitForURL(/\/certifier\/[0-9a-f-]{36}$/);
  await page.getByLabel('Status').selectOption('in_review');
  const row = page
    .locator('[data-testid="certifier-queue"] tr', { hasText: 'Halve Demo Ltd' })
    .filter({ hasText: 'In review' });
  await row.waitFor();
  if (atQueue) await atQueue();
  assert((await row.innerText()).includes(year), `the demo claim in review is not of ${year}`);
  await row.getByRole('link').click();
  await page.getByRole('button', { name: 'Approve and issue certificate' }).waitFor();
  assert((await page.locator('[data-testid="checklist"] > li').count()) > 0, 'the review shows no checklist');
  await page.getByText(`wregis-retirement-${year}.csv`).first().waitFor();
  await page.getByText('SHA-256 of the snapshot').first().waitFor();
}

export function jsErrors(page: Page): string[] {
  return (page as Page & { jsErrors?: string[] }).jsErrors ?? [];
}

/** Content-Security-Policy violations Chromium reported on the page (console "Refused to …" errors). */
export function cspViolations(page: Page): string[] {
  return jsErrors(page).filter((e) => /Content Security Policy/i.test(e));
}

/**
 * The session as issue 15 wants it: no token in localStorage or sessionStorage (a JWT or a
 * `<session>.<secret>` refresh token), none readable from script, and the refresh cookie
 * HttpOnly, Secure (accepted from http://127.0.0.1), SameSite=Strict, on the auth path only.
 */
export async function expectCookieSession(context: BrowserContext, page: Page): Promise<void> {
  const stored = await page.evaluate(() => {
    const all: [string, string][] = [];
    for (const store of [localStorage, sessionStorage])
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i)!;
        all.push([key, store.getItem(key) ?? '']);
      }
    return { all, cookie: document.cookie };
  });
  const tokenLike = /eyJ[\w-]+\.[\w-]+\.[\w-]+|[0-9a-f]{8}-[0-9a-f-]{27}\.[\w-]{20,}/;
  const leaks = stored.all.filter(([k, v]) => tokenLike.test(v) || /token/i.test(k));
  assert(!leaks.length, `tokens in web storage: ${leaks.map(([k]) => k).join(', ')}`);
  assert(!/halve_refresh/.test(stored.cookie), 'the refresh cookie is readable from script');
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === 'halve_refresh');
  assert(refresh, `no refresh cookie (cookies: ${cookies.map((c) => c.name).join(', ') || 'none'})`);
  assert(
    refresh.httpOnly && refresh.secure && refresh.sameSite === 'Strict' && refresh.path === '/api/v1/auth',
    `the refresh cookie is ${JSON.stringify({ ...refresh, value: '…' })}`,
  );
}
