import type { EntityManager } from 'typeorm';
import { ActivityEntity } from '../entities/carbon.entities';

/** Writes an edited activity over the stored one (same tenant and id; createdAt stays). */
export async function updateActivityRow(em: EntityManager, row: ActivityEntity): Promise<void> {
  const { tenantId, id, createdAt: _createdAt, createdBy: _createdBy, ...fields } = row;
  await em.update(ActivityEntity, { tenantId, id }, fields);
}

/** What the audit trail keeps of an activity, before and after a change. */
export function auditedActivity(a: ActivityEntity) {
  return {
    activity: a.activity,
    variant: a.variant,
    quantity: a.quantity,
    unit: a.unit,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    // what it was entered as (a flight's route, a fuel's money and price), when it was
    ...(a.detail ? { detail: a.detail } : {}),
  };
}
