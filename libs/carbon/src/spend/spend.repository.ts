import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ActivityEntity, TenantEmissionFactorEntity } from '../entities/carbon.entities';
import { SpendLedgerEntity, SpendRuleEntity } from './spend.entities';

/** The activity name spend lines take in the activities table (one row per factor, category and month). */
export const SPEND_ACTIVITY = 'spend';

/** Reads and writes of spend ledgers, rules and the activities and tenant factors they feed (inside Db.tenant). */
@Injectable()
export class SpendRepository {
  rules(em: EntityManager, tenantId: string): Promise<SpendRuleEntity[]> {
    return em.find(SpendRuleEntity, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insertRule(em: EntityManager, row: SpendRuleEntity): Promise<void> {
    await em.insert(SpendRuleEntity, row);
  }

  rule(em: EntityManager, tenantId: string, id: string): Promise<SpendRuleEntity | null> {
    return em.findOneBy(SpendRuleEntity, { tenantId, id });
  }

  async saveRule(em: EntityManager, row: SpendRuleEntity): Promise<void> {
    await em.save(SpendRuleEntity, row);
  }

  async deleteRule(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.delete(SpendRuleEntity, { tenantId, id });
  }

  ledgers(em: EntityManager, tenantId: string): Promise<SpendLedgerEntity[]> {
    return em.find(SpendLedgerEntity, { where: { tenantId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  ledger(em: EntityManager, tenantId: string, id: string): Promise<SpendLedgerEntity | null> {
    return em.findOneBy(SpendLedgerEntity, { tenantId, id });
  }

  /** Earlier ledgers whose period overlaps [from, to): a new upload of the same period replaces them. */
  async overlapping(
    em: EntityManager,
    tenantId: string,
    from: string,
    to: string,
  ): Promise<SpendLedgerEntity[]> {
    return em
      .getRepository(SpendLedgerEntity)
      .createQueryBuilder('l')
      .where('l.tenant_id = :tenantId AND l.period_from < :to AND l.period_to > :from', {
        tenantId,
        from,
        to,
      })
      .getMany();
  }

  async saveLedger(em: EntityManager, row: SpendLedgerEntity): Promise<void> {
    await em.save(SpendLedgerEntity, row);
  }

  async deleteLedger(em: EntityManager, l: SpendLedgerEntity): Promise<void> {
    await this.deleteActivities(em, l.tenantId, l.activityIds);
    await em.delete(SpendLedgerEntity, { tenantId: l.tenantId, id: l.id });
  }

  async deleteActivities(em: EntityManager, tenantId: string, ids: string[]): Promise<void> {
    if (ids.length) await em.delete(ActivityEntity, { tenantId, id: In(ids), activity: SPEND_ACTIVITY });
  }

  async insertActivities(em: EntityManager, rows: ActivityEntity[]): Promise<void> {
    if (rows.length) await em.insert(ActivityEntity, rows);
  }

  /** Activity names (not spend) with data in [from, to): what already covers fuel, electricity, travel. */
  async activityNames(em: EntityManager, tenantId: string, from: string, to: string): Promise<string[]> {
    const rows: { activity: string }[] = await em.query(
      `SELECT DISTINCT activity FROM activities
        WHERE tenant_id = $1 AND activity <> $2 AND period_from < $4 AND period_to > $3`,
      [tenantId, SPEND_ACTIVITY, from, to],
    );
    return rows.map((r) => r.activity);
  }

  spendFactors(em: EntityManager, tenantId: string): Promise<TenantEmissionFactorEntity[]> {
    return em.findBy(TenantEmissionFactorEntity, { tenantId, activity: SPEND_ACTIVITY });
  }

  async insertTenantFactors(em: EntityManager, rows: TenantEmissionFactorEntity[]): Promise<void> {
    if (rows.length) await em.insert(TenantEmissionFactorEntity, rows);
  }
}
