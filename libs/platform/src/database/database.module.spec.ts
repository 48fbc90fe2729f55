import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { RequestContext } from '../context/request-context';
import { REQUEST_WORK, dataSourceOptions, databaseTimeouts, requestWorkContext } from './database.module';

describe('database timeouts: settings and pool options', () => {
  const base = { HALVE_DATA_DIR: mkdtempSync(join(tmpdir(), 'halve-db-config-')) };
  const pg = { ...base, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/halve' };

  it('defaults: 2 s to connect, 30 s per request statement, 1 h per job statement, 60 s idle in a transaction', () => {
    expect(databaseTimeouts(loadConfig(base))).toEqual({
      connectMs: 2000,
      requestStatementMs: 30_000,
      jobStatementMs: 3_600_000,
      idleInTransactionMs: 60_000,
    });
  });

  it('PostgreSQL pool options carry them (connect timeout, session defaults, keepalive)', () => {
    const config = loadConfig({
      ...pg,
      HALVE_DB_CONNECT_TIMEOUT_MS: '1500',
      HALVE_DB_STATEMENT_TIMEOUT_MS: '5000',
      HALVE_DB_IDLE_TX_TIMEOUT_MS: '0',
    });
    const options = dataSourceOptions(config, [], []) as unknown as {
      connectTimeoutMS: number;
      extra: Record<string, unknown>;
    };
    expect(options.connectTimeoutMS).toBe(1500);
    expect(options.extra).toEqual({
      statement_timeout: 5000,
      idle_in_transaction_session_timeout: 0,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
  });

  it.each([
    [{ HALVE_DB_CONNECT_TIMEOUT_MS: '2s' }, 'HALVE_DB_CONNECT_TIMEOUT_MS'],
    [{ HALVE_DB_CONNECT_TIMEOUT_MS: '10' }, 'HALVE_DB_CONNECT_TIMEOUT_MS'],
    [{ HALVE_DB_STATEMENT_TIMEOUT_MS: '-1' }, 'HALVE_DB_STATEMENT_TIMEOUT_MS'],
    [{ HALVE_DB_JOB_STATEMENT_TIMEOUT_MS: 'forever' }, 'HALVE_DB_JOB_STATEMENT_TIMEOUT_MS'],
    [{ HALVE_DB_IDLE_TX_TIMEOUT_MS: '99999999999' }, 'HALVE_DB_IDLE_TX_TIMEOUT_MS'],
  ])('refuses %j naming the variable', (env, variable) => {
    expect(() => loadConfig({ ...pg, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...pg, ...env })).toThrow(variable);
  });

  it('an HTTP request context is marked as request work, and keeps the mark in nested contexts; a fresh (job) context has none', () => {
    const marked = (ctx: object | undefined) =>
      (ctx as { [REQUEST_WORK]?: boolean } | undefined)?.[REQUEST_WORK] === true;
    RequestContext.run(requestWorkContext('r-1'), () => {
      expect(RequestContext.current().requestId).toBe('r-1');
      expect(marked(RequestContext.maybe())).toBe(true);
      // Db.tenant/system open nested contexts by spreading the outer one
      RequestContext.run({ ...RequestContext.current(), tenantId: 't' }, () =>
        expect(marked(RequestContext.maybe())).toBe(true),
      );
      // the job runner opens a fresh one
      RequestContext.run({ requestId: 'job:x' }, () => expect(marked(RequestContext.maybe())).toBe(false));
    });
  });
});
