import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

export const ORG_ROLES = ['owner', 'admin', 'member', 'energy_manager', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Who is acting, on which tenant, in this request or job. */
export interface RequestContextData {
  requestId: string;
  userId?: string;
  sessionId?: string;
  /** The organisation (tenant) the request acts on, once resolved by the access guard. */
  tenantId?: string;
  role?: OrgRole;
  apiKeyId?: string;
  apiKeyScopes?: string[];
  isPlatformAdmin?: boolean;
  /** For certifier routes: the certification body in the path and the caller's role in it. */
  bodyId?: string;
  bodyRole?: 'certifier' | 'lead_certifier';
  /** Set while a tenant transaction is open, so nested work joins it. */
  transaction?: { tenantId: string | null; manager: EntityManager };
}

const storage = new AsyncLocalStorage<RequestContextData>();

export class ContextMissingError extends Error {
  constructor(what: string) {
    super(`No ${what} in the request context: this code must run inside a request or a job.`);
    this.name = 'ContextMissingError';
  }
}

/** The request context in AsyncLocalStorage. Reading it outside a request or job throws. */
export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  current(): RequestContextData {
    const ctx = storage.getStore();
    if (!ctx) throw new ContextMissingError('context');
    return ctx;
  },
  maybe(): RequestContextData | undefined {
    return storage.getStore();
  },
  tenantId(): string {
    const tenantId = RequestContext.current().tenantId;
    if (!tenantId) throw new ContextMissingError('tenant');
    return tenantId;
  },
  userId(): string {
    const userId = RequestContext.current().userId;
    if (!userId) throw new ContextMissingError('user');
    return userId;
  },
};
