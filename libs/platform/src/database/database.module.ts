import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestContext, RequestContextData } from '../context/request-context';
import { SnakeNamingStrategy } from './naming';
import { pgliteDriver } from './pglite-driver';
import { Db } from './tenant-db';
import { grantAppLogin, loginOf, loginPosture, ownerDataSource } from './roles';

export { embeddedPool } from './pglite-driver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity/migration lists
type Classes = MixedList<Function>;

/**
 * Marks a request context as HTTP request work (set by the HTTP context middleware; object spread keeps
 * it in the nested contexts of Db.tenant/system, and a job's fresh context has none). Its transactions
 * run under the request statement timeout, all other work under the job one.
 */
export const REQUEST_WORK = Symbol('halve.requestWork');

/** A context for an HTTP request's work (see REQUEST_WORK). */
export function requestWorkContext(requestId: string): RequestContextData {
  return Object.assign({ requestId }, { [REQUEST_WORK]: true });
}

function isRequestWork(ctx: RequestContextData | undefined): boolean {
  return !!ctx && (ctx as { [REQUEST_WORK]?: boolean })[REQUEST_WORK] === true;
}

/** Session timeouts of the PostgreSQL pool, from the configuration. */
export interface DatabaseTimeouts {
  connectMs: number;
  requestStatementMs: number;
  jobStatementMs: number;
  idleInTransactionMs: number;
}

export function databaseTimeouts(config: AppConfig): DatabaseTimeouts {
  return {
    connectMs: config.dbConnectTimeoutMs,
    requestStatementMs: config.dbStatementTimeoutMs,
    jobStatementMs: config.dbJobStatementTimeoutMs,
    idleInTransactionMs: config.dbIdleInTransactionTimeoutMs,
  };
}

/** PostgreSQL at DATABASE_URL, or the embedded PGlite under HALVE_DATA_DIR. Never `synchronize`. */
export function dataSourceOptions(
  config: AppConfig,
  entities: Classes,
  migrations: Classes,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
  };
  if (config.databaseUrl) {
    const timeouts = databaseTimeouts(config);
    return {
      ...common,
      url: config.databaseUrl,
      poolSize: 10,
      applicationName: 'halve',
      // pg-pool: a new connection, or a free one from a full pool, within this time or an error (→ 503).
      connectTimeoutMS: timeouts.connectMs,
      extra: {
        // Sent at connection start (no round trip): new connections begin with the request timeout;
        // withSessionTimeouts switches a connection to the job timeout when work outside a request takes it.
        statement_timeout: timeouts.requestStatementMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        // A peer that vanished (network cut, host down) is found by TCP keepalive instead of never.
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      },
    };
  }
  const dataDir = config.dataDir.startsWith('memory://') ? 'memory://' : join(config.dataDir, 'pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const loadFrom = config.pgliteTemplate ?? undefined;
  return { ...common, driver: pgliteDriver({ dataDir, loadFrom }), database: 'postgres' };
}

/** Runs pending migrations under an advisory lock, so an API and its workers can start together. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  // The embedded database belongs to one process: no lock needed (and its one connection could not hold one).
  if (isEmbedded(dataSource))
    return grantSystem(dataSource, await dataSource.runMigrations({ transaction: 'each' }));
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(727274)');
    return await grantSystem(dataSource, await dataSource.runMigrations({ transaction: 'each' }));
  } finally {
    await runner.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await runner.release();
  }
}

/** After migrations ran: `halve_system` reaches every table, new ones included (ADR 0010). */
async function grantSystem(dataSource: DataSource, done: { name: string }[]): Promise<string[]> {
  if (done.length) await dataSource.query('SELECT halve_grant_system()');
  return done.map((m) => m.name);
}

export function isEmbedded(dataSource: DataSource): boolean {
  return !(dataSource.options as { url?: string }).url;
}

type ConnectCallback = (
  err: Error | undefined,
  client?: PoolClient,
  release?: (err?: Error | boolean) => void,
) => void;

/** How much longer than the statement timeout the client waits for an answer before giving the connection up. */
export const READ_TIMEOUT_MARGIN_MS = 2000;

/** The part of a pg Client used here that its type does not declare. */
interface ClientInternals {
  connection?: { stream?: { destroy(err?: Error): void } };
}

/**
 * A client-side read deadline: a query with no answer within `deadlineMs(client)` (a hung server or a
 * silent network: PostgreSQL itself would have cancelled it at statement_timeout) closes the socket,
 * which fails that query and the ROLLBACK queued behind it (they would wait forever), and the pool
 * drops the connection. Not pg's `query_timeout`: its timer fires as soon as a blocked event loop
 * frees, before the answer already in the socket is read, and it leaves the connection busy. Here the
 * deadline waits one more I/O turn before giving up. Promise queries only (a COPY stream has none).
 */
function guardReads(client: PoolClient, deadlineMs: () => number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const guarded = (...args: unknown[]): unknown => {
    const out = query(...args);
    const ms = deadlineMs();
    if (ms > 0 && out && typeof (out as Promise<unknown>).then === 'function') {
      let settled = false;
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (settled) return;
            const err = Object.assign(
              new Error(`The database did not answer within ${ms} ms; the connection was closed.`),
              { code: '08006' },
            );
            (client as unknown as ClientInternals).connection?.stream?.destroy(err);
          }),
        ms,
      );
      timer.unref();
      const done = () => {
        settled = true;
        clearTimeout(timer);
      };
      (out as Promise<unknown>).then(done, done);
    }
    return out;
  };
  (client as unknown as { query: typeof guarded }).query = guarded;
}

/**
 * Gives each PostgreSQL connection, when it is taken from the pool, the timeouts of the work taking it:
 * HTTP request work (REQUEST_WORK in its context) the request statement timeout, anything else (jobs,
 * migrations, start-up) the job one; and a client-side read deadline a little longer than that, so a
 * server that stops answering (hung, network cut) fails the query instead of hanging it. A connection
 * remembers its setting, so a `SET` is sent only when the kind of work using it changes. No-op on the
 * embedded database (no pool, no network).
 */
export function withSessionTimeouts(dataSource: DataSource, timeouts: DatabaseTimeouts): void {
  if (isEmbedded(dataSource)) return;
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) return;
  const original = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const logger = new Logger('Database');
  const current = new WeakMap<PoolClient, number>();
  const wantedNow = new WeakMap<PoolClient, number>();
  const connect = async (wanted: number): Promise<PoolClient> => {
    const client = await original();
    if (!current.has(client)) {
      // pg-pool listens for a connection's death only while the client is idle. Checked out (a transaction
      // between two statements) nobody would, and the 'error' event would end the process: log it instead;
      // the client's next query fails, and the pool drops it on release (it is no longer queryable).
      client.on('error', (err: Error) => logger.warn(`a leased database connection ended: ${err.message}`));
      // 0 = no statement timeout, and then no read deadline either
      guardReads(client, () => {
        const ms = wantedNow.get(client) ?? 0;
        return ms > 0 ? ms + READ_TIMEOUT_MARGIN_MS : 0;
      });
      current.set(client, timeouts.requestStatementMs);
    }
    wantedNow.set(client, wanted);
    if (current.get(client) !== wanted) {
      try {
        await client.query(`SET statement_timeout = ${Math.trunc(wanted)}`);
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      current.set(client, wanted);
    }
    return client;
  };
  // pg-pool's connect takes a callback (TypeORM's way) or returns a promise.
  (pool as unknown as { connect: (cb?: ConnectCallback) => Promise<PoolClient> | undefined }).connect = (
    cb?: ConnectCallback,
  ) => {
    const wanted = isRequestWork(RequestContext.maybe())
      ? timeouts.requestStatementMs
      : timeouts.jobStatementMs;
    const leased = connect(wanted);
    if (!cb) return leased;
    leased.then(
      (client) => cb(undefined, client, (err) => client.release(err)),
      (err: Error) => cb(err),
    );
    return undefined;
  };
}

/**
 * The app's data source, migrated, its login checked (ADR 0010). On PostgreSQL the migrations run first, on a
 * short-lived pool of their own: as the owner with DATABASE_MIGRATION_URL (which also makes the app's login a
 * member of the group roles, so the app's pool never holds DDL rights), else as the app's login (it must then be
 * the owner: a development set-up). Only then does the app's pool open its first connection: a session takes the
 * database's settings when it starts and a migration may change them (on Citus `citus.multi_shard_modify_mode`,
 * ADR 0011); a connection opened before kept the old ones for its life (session 14: on a fresh Citus database a
 * sign-up with an invitation failed "cannot modify table users because there was a parallel operation on a
 * distributed table"). `prepare` runs on the app's data source before it is used (session timeouts). Then the
 * login is checked: `HALVE_DB_LEAST_PRIVILEGE=require` refuses to start when it could do more than it needs
 * (superuser, owner, inheriting the group roles' rights), `warn` (default) logs it.
 */
export async function openMigrated(
  options: DataSourceOptions,
  config: AppConfig,
  prepare: (dataSource: DataSource) => void = () => undefined,
): Promise<DataSource> {
  const logger = new Logger('Database');
  if (config.databaseUrl) await migrateApart(options, config, logger);
  const dataSource = await new DataSource(options).initialize();
  prepare(dataSource);
  try {
    if (isEmbedded(dataSource)) await migrate(dataSource);
    else await checkLogin(dataSource, config, logger);
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
  return dataSource;
}

/** Runs the migrations on a pool of their own (the owner's login when DATABASE_MIGRATION_URL is set). */
async function migrateApart(options: DataSourceOptions, config: AppConfig, logger: Logger): Promise<void> {
  const appLogin = loginOf(config.databaseUrl!);
  const migrator = await ownerDataSource(
    options,
    config.databaseMigrationUrl ?? config.databaseUrl!,
  ).initialize();
  try {
    await migrate(migrator);
    if (config.databaseMigrationUrl && appLogin !== loginOf(config.databaseMigrationUrl))
      await grantAppLogin(migrator, appLogin, logger);
  } finally {
    await migrator.destroy();
  }
}

async function checkLogin(dataSource: DataSource, config: AppConfig, logger: Logger): Promise<void> {
  const posture = await loginPosture(dataSource);
  if (posture.problems.length === 0) {
    logger.log(
      `database login "${posture.login}": least privilege (no rights of its own; tenant, system and loader roles per transaction)`,
    );
    return;
  }
  const text = `database login "${posture.login}" ${posture.problems.join('; ')}. Give the app a login of its own and the owner's to DATABASE_MIGRATION_URL (README, "Security").`;
  if (config.dbLeastPrivilege === 'require') throw new Error(`HALVE_DB_LEAST_PRIVILEGE=require: ${text}`);
  logger.warn(text);
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: Classes, migrations: Classes): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, entities, migrations),
            halveConfig: config,
          }),
          dataSourceFactory: async (options) => {
            const { halveConfig, ...rest } = options as DataSourceOptions & { halveConfig: AppConfig };
            return openMigrated(rest as DataSourceOptions, halveConfig, (dataSource) =>
              withSessionTimeouts(dataSource, databaseTimeouts(halveConfig)),
            );
          },
        }),
      ],
      providers: [Db],
      exports: [Db],
    };
  }
}
