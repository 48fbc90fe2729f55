import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { embeddedPool } from './pglite-driver';
import { APP_DB_ROLE, SYSTEM_DB_ROLE } from './roles';

/** What `Db.ping` found: the database answered (or, embedded, is busy with one statement: `busyMs`). */
export interface DbPing {
  driver: 'postgres' | 'pglite';
  latencyMs: number;
  /** Embedded only: the thread was running one statement for this long and the ping did not wait for it. */
  busyMs: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statements that open a tenant's (or a certification body's) transaction: the non-owner role and
 * the scope setting, sent as one simple-protocol query, so one round trip instead of two. `SET LOCAL`
 * rather than `set_config(…, true)` because it is what Citus propagates to its workers
 * (`citus.propagate_set_commands = 'local'`, issue 20). `SET` takes no bind parameters, so the id is
 * inlined: it must be a UUID (the policies cast it to one anyway), which also rules out quoting tricks.
 */
export function scopeSql(setting: 'halve.tenant_id' | 'halve.body_id', id: string): string {
  if (!UUID.test(id)) throw new Error(`${setting} must be a UUID, got ${JSON.stringify(id).slice(0, 60)}`);
  return `SET LOCAL ROLE ${APP_DB_ROLE}; SET LOCAL ${setting} = '${id.toLowerCase()}'`;
}

/**
 * Every piece of database work goes through here.
 * - `tenant(fn)`: a transaction under the non-owner role with `halve.tenant_id` set for this transaction
 *   only; RLS policies on every tenant table then hide other tenants' rows even from a query that
 *   forgets its filter. Nested calls join the open transaction.
 * - `system(fn)`: a transaction under `halve_system`, for the few cross-tenant reads that authentication
 *   needs (a user's memberships, an API key by its prefix), job bookkeeping and platform tables. Keep it
 *   rare. Not the owner: it cannot change the schema or lift row-level security (ADR 0010).
 */
@Injectable()
export class Db {
  constructor(readonly dataSource: DataSource) {}

  async tenant<T>(fn: (em: EntityManager) => Promise<T>, tenantId?: string): Promise<T> {
    const ctx = RequestContext.maybe();
    const tenant = tenantId ?? RequestContext.tenantId();
    if (ctx?.transaction && ctx.transaction.tenantId === tenant) return fn(ctx.transaction.manager);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(scopeSql('halve.tenant_id', tenant));
      const inner = { ...(ctx ?? { requestId: 'internal' }), transaction: { tenantId: tenant, manager } };
      return RequestContext.run(inner, () => fn(manager));
    });
  }

  async system<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const ctx = RequestContext.maybe();
    if (ctx?.transaction && ctx.transaction.tenantId === null) return fn(ctx.transaction.manager);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${SYSTEM_DB_ROLE}`);
      const inner = { ...(ctx ?? { requestId: 'internal' }), transaction: { tenantId: null, manager } };
      return RequestContext.run(inner, () => fn(manager));
    });
  }

  /**
   * Is the database alive? For health checks: it takes no transaction, so it never waits behind one.
   * On PostgreSQL a `SELECT 1` on a pooled connection; on the embedded database a ping to its thread
   * that needs no lease (`PglitePool.ping`: alive while it runs a statement younger than the lease
   * timeout). Rejects when the database does not answer within `timeoutMs` (default 2000 ms) or is down.
   */
  async ping(timeoutMs = 2000): Promise<DbPing> {
    const pool = embeddedPool(this.dataSource);
    if (pool) return { driver: 'pglite', ...(await pool.ping({ timeoutMs })) };
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const work = this.dataSource.query('SELECT 1');
    work.catch(() => undefined); // abandoned after the deadline: its late failure is nobody's to handle
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error(`The database did not answer within ${timeoutMs} ms.`), {
              code: '08006',
            }),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
    return { driver: 'postgres', latencyMs: Date.now() - started, busyMs: null };
  }

  /** Certification-body scope: the body policy lets its members read what was submitted to it. */
  async body<T>(bodyId: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const ctx = RequestContext.maybe();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(scopeSql('halve.body_id', bodyId));
      const inner = {
        ...(ctx ?? { requestId: 'internal' }),
        transaction: { tenantId: `body:${bodyId}`, manager },
      };
      return RequestContext.run(inner, () => fn(manager));
    });
  }
}
