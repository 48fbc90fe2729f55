import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The validated configuration of one process. Every setting comes from the environment. */
export interface AppConfig {
  port: number;
  databaseUrl: string | null;
  /**
   * The owner's login, for migrations only (DATABASE_MIGRATION_URL; ADR 0010). When set, the app itself logs in
   * as DATABASE_URL's non-owner role and never holds DDL rights. Ignored without DATABASE_URL (embedded).
   */
  databaseMigrationUrl: string | null;
  /** HALVE_DB_LEAST_PRIVILEGE: `require` refuses to start when the app's database login could do more than it needs. */
  dbLeastPrivilege: 'warn' | 'require';
  redisUrl: string | null;
  dataDir: string;
  /**
   * HALVE_PGLITE_TEMPLATE (tests): with HALVE_DATA_DIR=memory://, the embedded database starts from this dump
   * (PglitePool.dumpTo) instead of a new cluster; pending migrations still run after it.
   */
  pgliteTemplate: string | null;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  demo: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  authRateLimitPerMinute: number;
  /**
   * HALVE_TRUSTED_PROXIES: the proxies (addresses, CIDRs, or `loopback`/`linklocal`/`uniquelocal`) whose
   * X-Forwarded-For is believed; empty (the default) believes none and uses the socket's address.
   */
  trustedProxies: string[];
  /** HALVE_COOKIE_DOMAIN: the Domain of the portal's refresh-token cookie; null (the default) = host-only. */
  cookieDomain: string | null;
  /** HALVE_COOKIE_SECURE (on/off, default on): the cookie's Secure flag. Browsers accept Secure cookies from http://localhost. */
  cookieSecure: boolean;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** Meter files from this size up are parsed in a worker thread (bounded heap, API thread free); smaller ones inline. */
  importWorkerMinBytes: number;
  /** Meter-file parsing bounds (refused beyond, with a code): XLSX expanded size, XLSX cells, CSV line length, Green Button XML size. */
  importMaxUncompressedBytes: number;
  importMaxCells: number;
  importMaxLineChars: number;
  importMaxXmlBytes: number;
  evidenceLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** First retry delay of a failed job attempt; each later one doubles it (capped at an hour). */
  jobBackoffMs: number;
  jobConcurrency: number;
  /** How long a running job's lease lasts without a heartbeat (renewed every quarter of it). */
  jobLeaseMs: number;
  /** How often each process hands due queued jobs to the queue (the outbox dispatcher). */
  jobPollMs: number;
  /** How often each process looks for running jobs whose lease expired (the reaper). */
  jobReaperMs: number;
  /** Time limit of one job attempt when its handler names none. */
  jobTimeLimitSeconds: number;
  queuePrefix: string;
  publicUrl: string;
  /** Train forecasting models after each import: default on with a queue (REDIS_URL), off in-process. */
  autoTrain: boolean | null;
  /** Time budget (seconds) of one load-model training; the benchmarks' figures use the default 25. */
  forecastTrainSeconds: number;
  /** Run the saving analysers of a site after each of its imports (default on). */
  autoAnalyse: boolean;
  /** Retrain each night the forecasting models of meters with new readings: default on with a queue (REDIS_URL), off in-process. */
  nightlyTrain: boolean | null;
  /** UTC hour (0–23) of the nightly retraining. */
  nightlyTrainHourUtc: number;
  /** PostgreSQL: longest wait for a connection (pool or new) before the request answers 503. */
  dbConnectTimeoutMs: number;
  /** PostgreSQL `statement_timeout` of request work (HTTP); 0 = none. */
  dbStatementTimeoutMs: number;
  /** PostgreSQL `statement_timeout` of work outside a request (jobs: an import's COPY lasts the whole file); 0 = none. */
  dbJobStatementTimeoutMs: number;
  /** PostgreSQL `idle_in_transaction_session_timeout`: a transaction left idle this long is ended by the server; 0 = none. */
  dbIdleInTransactionTimeoutMs: number;
  /**
   * HALVE_WEATHER_SOURCE: `off` (the default: no request leaves the server) or `open-meteo` (M&V asks the
   * Open-Meteo archive for hourly temperature by the site's coordinates when its imported weather falls short).
   */
  weatherSource: 'off' | 'open-meteo';
  /** HALVE_WEATHER_SOURCE_URL: another URL answering like Open-Meteo's archive (a mirror); null = Open-Meteo's own. */
  weatherSourceUrl: string | null;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Sizes: plain bytes or with a unit (`25mb`, `1gb`, `512kb`). */
export function parseSize(name: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
  if (!m) throw new ConfigError(name, `must be a size such as 1048576, 25mb or 1gb, got "${raw}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit] ?? 1;
  return Math.round(Number(m[1]) * factor);
}

function size(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : parseSize(name, raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${env[name]}"`);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${parsed.protocol}//"`,
    );
  }
  return raw;
}

/** A development secret kept in the data folder so tokens survive restarts; production sets HALVE_JWT_SECRET. */
function jwtSecret(env: Env, dataDir: string, persistent: boolean): string {
  const raw = env.HALVE_JWT_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('HALVE_JWT_SECRET', 'must be at least 32 characters long');
    return raw;
  }
  if (!persistent) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function onOff(env: Env, name: string): boolean | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(name, `must be "on" or "off", got "${raw}"`);
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** A comma-separated list of IP addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`) or express's names for ranges. */
function trustedProxies(env: Env): string[] {
  const raw = env.HALVE_TRUSTED_PROXIES?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const entry = part.trim();
    const [address, bits, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    const bitsOk =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (PROXY_NAMES.includes(entry) || (version !== 0 && bitsOk && rest.length === 0)) return entry;
    throw new ConfigError(
      'HALVE_TRUSTED_PROXIES',
      `must be a comma-separated list of IP addresses, CIDRs or ${PROXY_NAMES.join('/')}; "${entry}" is none of them`,
    );
  });
}

/** A host name (`example.com`, `.example.com`); not a URL, no port. */
function cookieDomain(env: Env): string | null {
  const raw = env.HALVE_COOKIE_DOMAIN?.trim();
  if (!raw) return null;
  if (!/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw)) {
    throw new ConfigError('HALVE_COOKIE_DOMAIN', `must be a host name such as example.com, got "${raw}"`);
  }
  return raw.toLowerCase();
}

/** Reads and validates the configuration; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const rawDir = env.HALVE_DATA_DIR && env.HALVE_DATA_DIR !== '' ? env.HALVE_DATA_DIR : './.data';
  // `memory://` keeps the embedded database in memory (tests); anything else is a folder.
  const dataDir = rawDir.startsWith('memory://') ? rawDir : resolve(rawDir);
  const demoRaw = (env.HALVE_DEMO ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(demoRaw)) {
    throw new ConfigError('HALVE_DEMO', `must be "on" or "off", got "${env.HALVE_DEMO}"`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const adminEmail = env.HALVE_ADMIN_EMAIL?.trim() || null;
  const adminPassword = env.HALVE_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 10) {
    throw new ConfigError('HALVE_ADMIN_PASSWORD', 'must be at least 10 characters long');
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const persistentSecret = !dataDir.startsWith('memory://');
  const pgliteTemplate = env.HALVE_PGLITE_TEMPLATE?.trim() || null;
  if (pgliteTemplate && persistentSecret)
    throw new ConfigError(
      'HALVE_PGLITE_TEMPLATE',
      'applies only to an in-memory database (HALVE_DATA_DIR=memory://)',
    );
  return {
    port,
    databaseUrl,
    databaseMigrationUrl: databaseUrl
      ? url(env, 'DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:'])
      : null,
    dbLeastPrivilege: oneOf(env, 'HALVE_DB_LEAST_PRIVILEGE', ['warn', 'require'], 'warn'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    dataDir,
    pgliteTemplate,
    jwtSecret: jwtSecret(env, dataDir, persistentSecret),
    accessTokenTtlSeconds: int(env, 'HALVE_ACCESS_TOKEN_TTL', 900, 10, 86400),
    refreshTokenTtlDays: int(env, 'HALVE_REFRESH_TOKEN_DAYS', 30, 1, 365),
    demo: ['on', 'true', '1'].includes(demoRaw),
    adminEmail,
    adminPassword,
    authRateLimitPerMinute: int(env, 'HALVE_AUTH_RATE_LIMIT', 30, 1, 1_000_000),
    trustedProxies: trustedProxies(env),
    cookieDomain: cookieDomain(env),
    cookieSecure: onOff(env, 'HALVE_COOKIE_SECURE') ?? true,
    bodyLimitBytes: size(env, 'HALVE_BODY_LIMIT', 1024 * 1024),
    uploadLimitBytes: size(env, 'HALVE_UPLOAD_LIMIT', 1024 ** 3),
    importWorkerMinBytes: size(env, 'HALVE_IMPORT_WORKER_MIN_SIZE', 2 * 1024 ** 2),
    importMaxUncompressedBytes: size(env, 'HALVE_IMPORT_MAX_UNCOMPRESSED', 256 * 1024 ** 2),
    importMaxCells: int(env, 'HALVE_IMPORT_MAX_CELLS', 20_000_000, 1, 2_000_000_000),
    importMaxLineChars: size(env, 'HALVE_IMPORT_MAX_LINE', 1024 ** 2),
    importMaxXmlBytes: size(env, 'HALVE_IMPORT_MAX_XML', 32 * 1024 ** 2),
    evidenceLimitBytes: size(env, 'HALVE_EVIDENCE_LIMIT', 25 * 1024 ** 2),
    logLevel,
    jobBackoffMs: int(env, 'HALVE_JOB_BACKOFF_MS', 30_000, 0, 3_600_000),
    jobConcurrency: int(env, 'HALVE_JOB_CONCURRENCY', 2, 1, 64),
    jobLeaseMs: int(env, 'HALVE_JOB_LEASE_MS', 60_000, 1000, 3_600_000),
    jobPollMs: int(env, 'HALVE_JOB_POLL_MS', 2000, 50, 600_000),
    jobReaperMs: int(env, 'HALVE_JOB_REAPER_MS', 15_000, 100, 3_600_000),
    jobTimeLimitSeconds: int(env, 'HALVE_JOB_TIME_LIMIT', 1800, 1, 86_400),
    queuePrefix: env.HALVE_QUEUE_PREFIX?.trim() || 'halve',
    publicUrl: env.HALVE_PUBLIC_URL?.trim() || `http://localhost:${port}`,
    autoTrain: onOff(env, 'HALVE_AUTO_TRAIN'),
    autoAnalyse: onOff(env, 'HALVE_AUTO_ANALYSE') ?? true,
    forecastTrainSeconds: int(env, 'HALVE_FORECAST_TRAIN_SECONDS', 25, 1, 3600),
    nightlyTrain: onOff(env, 'HALVE_NIGHTLY_TRAIN'),
    nightlyTrainHourUtc: int(env, 'HALVE_NIGHTLY_TRAIN_HOUR', 2, 0, 23),
    dbConnectTimeoutMs: int(env, 'HALVE_DB_CONNECT_TIMEOUT_MS', 2000, 100, 600_000),
    dbStatementTimeoutMs: int(env, 'HALVE_DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 86_400_000),
    dbJobStatementTimeoutMs: int(env, 'HALVE_DB_JOB_STATEMENT_TIMEOUT_MS', 3_600_000, 0, 86_400_000),
    dbIdleInTransactionTimeoutMs: int(env, 'HALVE_DB_IDLE_TX_TIMEOUT_MS', 60_000, 0, 86_400_000),
    weatherSource: oneOf(env, 'HALVE_WEATHER_SOURCE', ['off', 'open-meteo'], 'off'),
    weatherSourceUrl: url(env, 'HALVE_WEATHER_SOURCE_URL', ['http:', 'https:']),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
