import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Db, MAILER, Mailer, NotFoundError } from '@halve/platform';
import { CertificationRepository } from './certification.repository';
import { UserNotificationEntity } from './entities/certification.entities';

export interface NotificationInput {
  kind: 'claim_submitted' | 'claim_changes_requested' | 'claim_decided' | 'certificate_revoked';
  title: string;
  body: string;
  claimId: string;
  organizationId?: string;
  certificationBodyId?: string;
  /** Path in the portal. */
  link: string;
}

/**
 * In-portal notifications and e-mail through the pluggable MAILER. Sent after the change committed;
 * a failure to notify is logged and never undoes the change.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('CertificationNotifications');

  constructor(
    private readonly db: Db,
    private readonly repo: CertificationRepository,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** To every certifier of a body. */
  toBody(bodyId: string, n: NotificationInput): Promise<void> {
    return this.send((em) => this.repo.bodyMembers(em, bodyId), n);
  }

  /** To the organisation's owners and admins. */
  toOrgAdmins(tenantId: string, n: NotificationInput): Promise<void> {
    return this.send((em) => this.repo.orgAdmins(em, tenantId), n);
  }

  private async send(
    recipients: (em: EntityManager) => Promise<{ id: string; email: string }[]>,
    n: NotificationInput,
  ): Promise<void> {
    try {
      const users = await this.db.system(async (em) => {
        const list = await recipients(em);
        const rows = list.map((u) =>
          Object.assign(new UserNotificationEntity(), {
            userId: u.id,
            id: randomUUID(),
            kind: n.kind,
            title: n.title,
            body: n.body,
            organizationId: n.organizationId ?? null,
            certificationBodyId: n.certificationBodyId ?? null,
            claimId: n.claimId,
            link: n.link,
            readAt: null,
            createdAt: new Date(),
          }),
        );
        await this.repo.insertNotifications(em, rows);
        return list;
      });
      for (const u of users) {
        await this.mailer.send({
          to: u.email,
          subject: n.title,
          text: `${n.body}\n\n${this.config.publicUrl}${n.link}`,
        });
      }
    } catch (e) {
      this.logger.error(
        `notification ${n.kind} for claim ${n.claimId} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  list(userId: string, unreadOnly: boolean) {
    return this.db.system((em) => this.repo.notifications(em, userId, unreadOnly));
  }

  async markRead(userId: string, id: string): Promise<void> {
    const ok = await this.db.system((em) => this.repo.markRead(em, userId, id));
    if (!ok) throw new NotFoundError('Notification', id);
  }
}
