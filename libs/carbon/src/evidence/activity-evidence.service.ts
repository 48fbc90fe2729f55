import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, AuditService, Db, NotFoundError, RequestContext } from '@halve/platform';
import { ActivityEntity } from '../entities/carbon.entities';
import { ActivityEvidenceEntity } from './activity-evidence.entity';
import type { ActivityEvidenceView } from './activity-evidence.responses';
import { checkReceipt, type UploadedReceipt } from './evidence-file';

const META = [
  'id',
  'activityId',
  'filename',
  'contentType',
  'sizeBytes',
  'sha256',
  'uploadedBy',
  'createdAt',
] as const;

export function evidenceView(e: ActivityEvidenceEntity): ActivityEvidenceView {
  return {
    id: e.id,
    activityId: e.activityId,
    filename: e.filename,
    contentType: e.contentType,
    sizeBytes: Number(e.sizeBytes),
    sha256: e.sha256,
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
  };
}

/** Raw rows (snake_case) of activity_evidence as the entity. */
function fromRow(r: Record<string, unknown>): ActivityEvidenceEntity {
  return Object.assign(new ActivityEvidenceEntity(), {
    id: r.id,
    tenantId: r.tenant_id,
    activityId: r.activity_id,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: String(r.size_bytes),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by ?? null,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at)),
    content: r.content as Buffer,
  });
}

/**
 * Invoices and receipts behind activities: added, listed, downloaded and removed by the organisation
 * (audited); read by a certification body for the activities a claim submitted to it covers (RLS policy
 * body_read on activity_evidence, migration 1764302000000).
 */
@Injectable()
export class ActivityEvidenceService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async activity(em: EntityManager, tenantId: string, activityId: string): Promise<ActivityEntity> {
    const a = await em.findOneBy(ActivityEntity, { tenantId, id: activityId });
    if (!a) throw new NotFoundError('Activity', activityId);
    return a;
  }

  async add(tenantId: string, activityId: string, upload: UploadedReceipt | undefined) {
    const checked = checkReceipt(upload, this.config.evidenceLimitBytes);
    const file = upload as UploadedReceipt;
    return this.db.tenant(async (em) => {
      await this.activity(em, tenantId, activityId);
      const row = Object.assign(new ActivityEvidenceEntity(), {
        tenantId,
        id: randomUUID(),
        activityId,
        ...checked,
        sizeBytes: String(file.size),
        content: file.buffer,
        uploadedBy: RequestContext.maybe()?.userId ?? null,
        createdAt: new Date(),
      });
      await em.insert(ActivityEvidenceEntity, row);
      await this.audit.record(em, tenantId, {
        action: 'activity.evidence_added',
        entityType: 'activity',
        entityId: activityId,
        summary: { evidenceId: row.id, filename: row.filename, sha256: row.sha256, sizeBytes: file.size },
      });
      return evidenceView(row);
    }, tenantId);
  }

  async list(tenantId: string, activityId: string): Promise<ActivityEvidenceView[]> {
    return this.db.tenant(async (em) => {
      await this.activity(em, tenantId, activityId);
      const rows = await em.find(ActivityEvidenceEntity, {
        select: [...META],
        where: { tenantId, activityId },
        order: { createdAt: 'ASC' },
      });
      return rows.map(evidenceView);
    }, tenantId);
  }

  /** The evidence of many activities at once, by activity (for the priced list). */
  async byActivity(tenantId: string, activityIds: string[]): Promise<Map<string, ActivityEvidenceView[]>> {
    const out = new Map<string, ActivityEvidenceView[]>();
    if (!activityIds.length) return out;
    const rows = await this.db.tenant(
      (em) =>
        em
          .createQueryBuilder(ActivityEvidenceEntity, 'e')
          .select(META.map((k) => `e.${k}`))
          .where('e.tenantId = :tenantId AND e.activityId IN (:...ids)', { tenantId, ids: activityIds })
          .orderBy('e.createdAt', 'ASC')
          .getMany(),
      tenantId,
    );
    for (const r of rows)
      (out.get(r.activityId) ?? out.set(r.activityId, []).get(r.activityId))?.push(evidenceView(r));
    return out;
  }

  async content(tenantId: string, activityId: string, evidenceId: string): Promise<ActivityEvidenceEntity> {
    const row = await this.db.tenant(
      (em) =>
        em.findOne(ActivityEvidenceEntity, {
          select: [...META, 'content'],
          where: { tenantId, activityId, id: evidenceId },
        }),
      tenantId,
    );
    if (!row) throw new NotFoundError('Evidence', evidenceId);
    return row;
  }

  async remove(tenantId: string, activityId: string, evidenceId: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const row = await em.findOne(ActivityEvidenceEntity, {
        select: [...META],
        where: { tenantId, activityId, id: evidenceId },
      });
      if (!row) throw new NotFoundError('Evidence', evidenceId);
      await em.delete(ActivityEvidenceEntity, { tenantId, id: evidenceId });
      await this.audit.record(em, tenantId, {
        action: 'activity.evidence_removed',
        entityType: 'activity',
        entityId: activityId,
        summary: { evidenceId, filename: row.filename, sha256: row.sha256 },
      });
    }, tenantId);
  }

  /** A claim submitted to the body: its organisation and period (404 for any other claim). */
  private async bodyClaim(em: EntityManager, bodyId: string, claimId: string) {
    const rows: { tenant_id: string; period_from: string; period_to: string }[] = await em.query(
      `SELECT tenant_id, period_from::text AS period_from, period_to::text AS period_to
         FROM claims WHERE id = $1 AND certification_body_id = $2 AND submitted_at IS NOT NULL`,
      [claimId, bodyId],
    );
    if (!rows[0]) throw new NotFoundError('Claim', claimId);
    return rows[0];
  }

  private async bodyRows(bodyId: string, claimId: string, evidenceId?: string, withContent = false) {
    return this.db.body(bodyId, async (em) => {
      const c = await this.bodyClaim(em, bodyId, claimId);
      const rows: Record<string, unknown>[] = await em.query(
        `SELECT e.id, e.tenant_id, e.activity_id, e.filename, e.content_type, e.size_bytes, e.sha256,
                e.uploaded_by, e.created_at${withContent ? ', e.content' : ''}
           FROM activity_evidence e
          WHERE e.tenant_id = $1 AND halve_activity_in_period(e.tenant_id, e.activity_id, $2::date, $3::date)
            AND ($4::uuid IS NULL OR e.id = $4::uuid)
          ORDER BY e.created_at`,
        [c.tenant_id, c.period_from, c.period_to, evidenceId ?? null],
      );
      return rows.map(fromRow);
    });
  }

  /** For a certifier: the invoices and receipts of the activities the claim's period covers. */
  async forClaim(bodyId: string, claimId: string): Promise<ActivityEvidenceView[]> {
    return (await this.bodyRows(bodyId, claimId)).map(evidenceView);
  }

  async claimContent(bodyId: string, claimId: string, evidenceId: string): Promise<ActivityEvidenceEntity> {
    const [row] = await this.bodyRows(bodyId, claimId, evidenceId, true);
    if (!row) throw new NotFoundError('Evidence', evidenceId);
    return row;
  }
}
