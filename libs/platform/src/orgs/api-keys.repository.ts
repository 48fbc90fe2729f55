import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from '../entities/platform.entities';

/**
 * An organisation's API keys, in its `Db.tenant` transactions (RLS on). The look-up by prefix that
 * authenticates a key is the access guard's (access.guard.ts), across organisations.
 */
@Injectable()
export class ApiKeysRepository {
  async insert(em: EntityManager, row: Omit<ApiKeyEntity, 'createdAt'>): Promise<ApiKeyEntity> {
    const key = em.create(ApiKeyEntity, row);
    await em.insert(ApiKeyEntity, key);
    return key;
  }

  /** The organisation's keys, newest first (revoked ones too). */
  async ofOrganization(em: EntityManager, tenantId: string): Promise<ApiKeyEntity[]> {
    return em.find(ApiKeyEntity, { where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  /** The key if it has not been revoked. */
  async liveById(em: EntityManager, tenantId: string, id: string): Promise<ApiKeyEntity | null> {
    return em.findOneBy(ApiKeyEntity, { tenantId, id, revokedAt: IsNull() });
  }

  async revoke(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.update(ApiKeyEntity, { tenantId, id }, { revokedAt: new Date() });
  }
}
