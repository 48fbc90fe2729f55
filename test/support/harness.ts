import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, StartupService, configureApp, embeddedPool, loadConfig } from '@halve/platform';
import { ApiModule } from '../../apps/api/src/app.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { pgliteTemplateFile } from './test-run';

/**
 * The servers a suite runs against are chosen by configuration: PostgreSQL when DATABASE_URL is set
 * (else the embedded PGlite, in memory), BullMQ when REDIS_URL is set (else in-process jobs).
 * In CI (CI=true) the server run must have both: a missing server fails the run instead of quietly
 * testing the embedded path twice. HALVE_EMBEDDED_RUN=1 marks CI's deliberate embedded run.
 */
export function serverMode(): { database: 'postgres' | 'pglite'; queue: 'bullmq' | 'in-process' } {
  if (process.env.CI === 'true' && process.env.HALVE_EMBEDDED_RUN !== '1') {
    if (!process.env.DATABASE_URL)
      throw new Error('CI=true but DATABASE_URL is not set: the PostgreSQL suites cannot run.');
    if (!process.env.REDIS_URL)
      throw new Error('CI=true but REDIS_URL is not set: the BullMQ suites cannot run.');
  }
  return {
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    queue: process.env.REDIS_URL ? 'bullmq' : 'in-process',
  };
}

export { createServerDatabase, databaseEnv, ownDatabase, ownerDatabaseUrl } from './databases';

/**
 * The test run's migrated embedded database (a PGlite dump; global-setup.ts names the run, global-teardown.ts
 * removes it): the first embedded app of a run writes it after its migrations, later ones start from it —
 * ≈ 0.5 s instead of ≈ 2–3.5 s for a new cluster and ≈ 1.5 s of migrations. Their own migrations still run
 * (none pending). Null on PostgreSQL, outside a jest run, or when a suite chooses its own data folder.
 */
function pgliteTemplatePath(env: Record<string, string> = {}): string | null {
  const run = process.env.HALVE_TEST_RUN;
  if (!run || serverMode().database !== 'pglite' || env.HALVE_DATA_DIR || env.HALVE_PGLITE_TEMPLATE)
    return null;
  return pgliteTemplateFile(run);
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const mode = serverMode();
  return loadConfig({
    ...process.env,
    HALVE_DATA_DIR: mode.database === 'pglite' ? 'memory://' : mkdtempSync(join(tmpdir(), 'halve-e2e-')),
    HALVE_DEMO: 'off',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    HALVE_AUTH_RATE_LIMIT: '100000',
    HALVE_JOB_BACKOFF_MS: '20',
    // Suites train models when they mean to (POST …/models), not after every import.
    HALVE_AUTO_TRAIN: 'off',
    // …and the nightly retraining only when a suite turns it on (it would train every suite's meters).
    HALVE_NIGHTLY_TRAIN: 'off',
    HALVE_AUTO_ANALYSE: 'off',
    // Suites train small: a 5 s budget per load-model training (the benchmarks measure the real thing).
    HALVE_FORECAST_TRAIN_SECONDS: '5',
    // Each suite gets its own BullMQ key prefix so suites never take each other's jobs.
    HALVE_QUEUE_PREFIX: `halve-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    HALVE_JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    ...overrides,
  });
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  /** A BullMQ worker process equivalent (apps/worker's module) when REDIS_URL is set. */
  worker?: INestApplication | { close(): Promise<void> };
  close(): Promise<void>;
}

export async function startApp(
  options: { env?: Record<string, string>; extra?: (Type | DynamicModule)[] } = {},
): Promise<TestApp> {
  const template = pgliteTemplatePath(options.env);
  const fromTemplate = template !== null && existsSync(template);
  const config = testConfig({ ...(fromTemplate ? { HALVE_PGLITE_TEMPLATE: template } : {}), ...options.env });
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.forRoot(config), ...(options.extra ?? [])],
  }).compile();
  // migrated, nothing else yet (the app's start-up work runs at init): the run's template
  if (template && !fromTemplate) await embeddedPool(moduleRef.get(DataSource))?.dumpTo(template);
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app, config);
  await app.init();
  await app.get(StartupService).run();
  let worker: { close(): Promise<void> } | undefined;
  if (config.redisUrl) {
    const workerRef = await Test.createTestingModule({
      imports: [WorkerModule.forRoot(config), ...(options.extra ?? [])],
    }).compile();
    const ctx = workerRef.createNestApplication({ logger: ['error'] });
    await ctx.init();
    worker = ctx;
  }
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    worker,
    close: async () => {
      await worker?.close();
      await app.close();
      // the data folder testConfig made for this app (uploads, mail): a suite that named its own keeps it
      if (!options.env?.HALVE_DATA_DIR && !config.dataDir.startsWith('memory://'))
        rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export interface SignedUp {
  email: string;
  password: string;
  userId: string;
  orgId: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

export async function signup(
  t: TestApp,
  tag: string,
  extra: Record<string, unknown> = {},
): Promise<SignedUp> {
  const email = uniqueEmail(tag);
  const password = 'correct horse battery staple';
  const res = await t.http
    .post('/api/v1/auth/signup')
    .send({
      email,
      password,
      name: `${tag} user`,
      organizationName: `${tag} Ltd`,
      country: 'GB',
      timezone: 'Europe/London',
      ...extra,
    })
    .expect(201);
  return {
    email,
    password,
    userId: res.body.user.id,
    orgId: res.body.organization.id,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/** Creates a site in `who`'s organisation (fields beyond a name, country and zone as given) and answers its id. */
export async function createSite(
  t: TestApp,
  who: SignedUp,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.http
    .post(`/api/v1/orgs/${who.orgId}/sites`)
    .set(who.auth)
    .send({ name: 'Plant', country: 'GB', timezone: 'UTC', ...body })
    .expect(201);
  return res.body.id as string;
}

/** Creates an hourly electricity meter (kWh) on `siteId` (other fields as given) and answers its id. */
export async function createMeter(
  t: TestApp,
  who: SignedUp,
  siteId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.http
    .post(`/api/v1/orgs/${who.orgId}/meters`)
    .set(who.auth)
    .send({ siteId, name: 'Main', unit: 'kWh', kind: 'electricity_import', intervalMinutes: 60, ...body })
    .expect(201);
  return res.body.id as string;
}

/** Polls a job (or import) URL until it leaves queued/running. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON response body; tests check its shape with assertions
export type Body = Record<string, any>;

export async function waitFor(
  t: TestApp,
  url: string,
  auth: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Body> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(url).set(auth);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (!['queued', 'running', 'pending'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${url} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
