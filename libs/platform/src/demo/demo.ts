import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { UserEntity } from '../entities/platform.entities';
import { randomUUID } from 'node:crypto';

export const DEMO_EMAIL = 'demo@halve.local';
export const DEMO_PASSWORD = 'halve-demo-2024';

/** A module that fills the demo organisation with its part of the sample data (sites, readings, ...). */
export interface DemoSeeder {
  /** Seeders run in ascending order. */
  order: number;
  name: string;
  seed(tenantId: string, ownerId: string): Promise<void>;
}

@Injectable()
export class DemoRegistry {
  readonly seeders: DemoSeeder[] = [];
  register(seeder: DemoSeeder): void {
    this.seeders.push(seeder);
  }
}

/**
 * On the first start (unless HALVE_DEMO=off): a demo login and organisation, filled by the registered
 * seeders with real sample data. Also creates the platform administrator from HALVE_ADMIN_*.
 */
@Injectable()
export class StartupService {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
    private readonly registry: DemoRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<{ demoOrgId?: string }> {
    if (this.config.adminEmail && this.config.adminPassword) {
      await this.auth.ensurePlatformAdmin(this.config.adminEmail, this.config.adminPassword);
      this.logger.log(`platform administrator: ${this.config.adminEmail}`);
    }
    if (!this.config.demo) return {};
    const existing: { id: string }[] = await this.db.system((em) =>
      em.query('SELECT id FROM organizations WHERE is_demo ORDER BY created_at LIMIT 1'),
    );
    if (existing.length) {
      this.logger.log(`demo organisation ready — log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
      return { demoOrgId: existing[0].id };
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const { orgId, userId } = await this.db.system(async (em) => {
      let user = await em.findOneBy(UserEntity, { email: DEMO_EMAIL });
      if (!user) {
        // The demo address is the platform's own: verified at seeding.
        user = em.create(UserEntity, {
          id: randomUUID(),
          email: DEMO_EMAIL,
          name: 'Demo User',
          passwordHash,
          isPlatformAdmin: false,
          emailVerifiedAt: new Date(),
        });
        await em.insert(UserEntity, user);
      }
      const org = await this.auth.createOrganizationIn(em, user.id, {
        name: 'Halve Demo Ltd',
        country: 'US',
        timezone: 'America/Los_Angeles',
        currency: 'USD',
        gridRegion: 'CAMX',
        sector: 'Education and offices',
        isDemo: true,
      });
      return { orgId: org.id, userId: user.id };
    });
    for (const seeder of [...this.registry.seeders].sort((a, b) => a.order - b.order)) {
      const started = Date.now();
      await RequestContext.run({ requestId: 'demo-seed', tenantId: orgId, userId }, () =>
        seeder.seed(orgId, userId),
      );
      this.logger.log(`demo: ${seeder.name} (${Date.now() - started} ms)`);
    }
    this.logger.log(`demo organisation created — log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    return { demoOrgId: orgId };
  }
}
