import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { AuditEventEntity } from '../entities/platform.entities';
import {
  AuditRecord,
  ChainVerification,
  GENESIS_HASH,
  PLATFORM_TENANT,
  auditHash,
  verifyChain,
} from './audit-chain';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  /** A short before/after summary; never secrets. */
  summary?: Record<string, unknown>;
  /** Defaults to the request context's user and API key. */
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
}

/**
 * The append-only audit trail. Each row carries the hash of the previous row of its tenant; writers of
 * one tenant are serialised by a transaction-scoped advisory lock so the chain never forks.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  /** Appends an event in the caller's transaction (pass its manager) so it commits or rolls back with the change. */
  async record(em: EntityManager, tenantId: string | null, input: AuditInput): Promise<void> {
    const tenant = tenantId ?? PLATFORM_TENANT;
    const ctx = RequestContext.maybe();
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit:${tenant}`]);
    const last: { last_seq: string; hash: string }[] = await em.query(
      'SELECT seq::text AS last_seq, hash FROM audit_events WHERE tenant_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
      [tenant],
    );
    const record: AuditRecord = {
      tenantId: tenant,
      seq: String(last.length ? BigInt(last[0].last_seq) + 1n : 1n),
      id: randomUUID(),
      actorUserId: input.actorUserId !== undefined ? input.actorUserId : (ctx?.userId ?? null),
      actorApiKeyId: input.actorApiKeyId !== undefined ? input.actorApiKeyId : (ctx?.apiKeyId ?? null),
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      at: new Date(),
      summary: JSON.parse(JSON.stringify(input.summary ?? {})),
      prevHash: last.length ? last[0].hash : GENESIS_HASH,
    };
    await em.query(
      `INSERT INTO audit_events (tenant_id, seq, id, actor_user_id, actor_api_key_id, action, entity_type, entity_id, at, summary, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        record.tenantId,
        record.seq,
        record.id,
        record.actorUserId,
        record.actorApiKeyId,
        record.action,
        record.entityType,
        record.entityId,
        record.at,
        JSON.stringify(record.summary),
        record.prevHash,
        auditHash(record),
      ],
    );
  }

  async list(tenantId: string, limit = 100, beforeSeq?: string): Promise<AuditEventEntity[]> {
    return this.db.tenant(async (em) => {
      const qb = em
        .getRepository(AuditEventEntity)
        .createQueryBuilder('a')
        .where('a.tenant_id = :tenantId', { tenantId });
      if (beforeSeq) qb.andWhere('a.seq < :beforeSeq', { beforeSeq });
      return qb.orderBy('a.seq', 'DESC').limit(limit).getMany();
    }, tenantId);
  }

  /** Re-reads a tenant's whole chain (as the owner, so nothing is hidden) and verifies it. */
  async verify(tenantId: string | null): Promise<ChainVerification> {
    const tenant = tenantId ?? PLATFORM_TENANT;
    const rows = await this.db.system((em) =>
      em
        .getRepository(AuditEventEntity)
        .createQueryBuilder('a')
        .where('a.tenant_id = :tenant', { tenant })
        .orderBy('a.seq', 'ASC')
        .getMany(),
    );
    return verifyChain(rows);
  }
}
