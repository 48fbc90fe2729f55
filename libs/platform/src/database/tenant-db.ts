import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';

/** The database role requests run under: not the owner of the tables, so row-level security applies. */
export const APP_DB_ROLE = 'halve_app';

/**
 * Every piece of database work goes through here.
 * - `tenant(fn)`: a transaction under the non-owner role with `halve.tenant_id` set for this transaction
 *   only; RLS policies on every tenant table then hide other tenants' rows even from a query that
 *   forgets its filter. Nested calls join the open transaction.
 * - `system(fn)`: a transaction as the owner, for the few cross-tenant reads that authentication needs
 *   (a user's memberships, an API key by its prefix) and for platform tables. Keep it rare.
 */
@Injectable()
export class Db {
  constructor(readonly dataSource: DataSource) {}

  async tenant<T>(fn: (em: EntityManager) => Promise<T>, tenantId?: string): Promise<T> {
    const ctx = RequestContext.maybe();
    const tenant = tenantId ?? RequestContext.tenantId();
    if (ctx?.transaction && ctx.transaction.tenantId === tenant) return fn(ctx.transaction.manager);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
      await manager.query(`SELECT set_config('halve.tenant_id', $1, true)`, [tenant]);
      const inner = { ...(ctx ?? { requestId: 'internal' }), transaction: { tenantId: tenant, manager } };
      return RequestContext.run(inner, () => fn(manager));
    });
  }

  async system<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const ctx = RequestContext.maybe();
    if (ctx?.transaction && ctx.transaction.tenantId === null) return fn(ctx.transaction.manager);
    return this.dataSource.transaction(async (manager) => {
      const inner = { ...(ctx ?? { requestId: 'internal' }), transaction: { tenantId: null, manager } };
      return RequestContext.run(inner, () => fn(manager));
    });
  }

  /** Certification-body scope: the body policy lets its members read what was submitted to it. */
  async body<T>(bodyId: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const ctx = RequestContext.maybe();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
      await manager.query(`SELECT set_config('halve.body_id', $1, true)`, [bodyId]);
      const inner = { ...(ctx ?? { requestId: 'internal' }), transaction: { tenantId: `body:${bodyId}`, manager } };
      return RequestContext.run(inner, () => fn(manager));
    });
  }
}
