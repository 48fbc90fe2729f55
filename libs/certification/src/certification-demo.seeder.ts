import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  CertificationBodyEntity,
  CertificationBodyMemberEntity,
  Db,
  DemoSeeder,
  RequestContext,
  UserEntity,
  hashPassword,
} from '@halve/platform';
import { CarbonDataService } from '@halve/carbon';
import {
  DEMO_BODY_NAME,
  DEMO_CERTIFIER_EMAIL,
  DEMO_CERTIFIER_PASSWORD,
  DEMO_CLAIMS,
  demoValidUntil,
  nextDemoMove,
  retirementReportCsv,
} from './certification-demo';
import { CertifierService } from './certifier.service';
import { ClaimsService } from './claims.service';
import type { ClaimStatus } from './entities/certification.entities';

interface Certifier {
  bodyId: string;
  certifierId: string;
}

/**
 * A demo certification body with a demo certifier, and the demo organisation's claims to it, made
 * through ClaimsService and CertifierService as a real journey makes them (figures, snapshot, hashes,
 * certificate). Claims need the imported readings, and metering (order 10) only queues its imports,
 * so the claims are made by a background watch once no import of the organisation is pending. Every
 * step looks at what exists first and the API resumes the watch at each start (resume()): a restart
 * on the same data folder neither duplicates the claims nor loses unfinished ones. Registered only with
 * the demo on.
 */
@Injectable()
export class CertificationDemoSeeder implements DemoSeeder, OnModuleDestroy {
  readonly order = 70;
  readonly name = `certification: ${DEMO_BODY_NAME} (${DEMO_CERTIFIER_EMAIL}), claims made once the imports finish`;
  private readonly logger = new Logger('CertificationDemo');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private watching = false;
  /** resolves when the watch has brought the claims to their statuses (or gave up); for tests and logs */
  done: Promise<{ claimIds: string[] }> = Promise.resolve({ claimIds: [] });
  static pollMs = 500;
  static limitMs = 30 * 60_000;

  constructor(
    private readonly db: Db,
    private readonly claims: ClaimsService,
    private readonly certifier: CertifierService,
    private readonly carbon: CarbonDataService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seed(tenantId: string, ownerId: string): Promise<void> {
    await this.ensureCertifier();
    this.watch(tenantId, ownerId);
  }

  /**
   * At the API's start with the demo on (apps/api/src/main.ts, after the seeders): a restart on a data
   * folder whose demo claims were not finished, or predate them, picks them up. Not a bootstrap hook,
   * so the worker, which loads this module too, never makes them.
   */
  async resume(): Promise<void> {
    if (!this.config.demo || this.watching) return;
    const rows: { id: string; owner: string }[] = await this.db.system((em) =>
      em.query(
        `SELECT o.id, m.user_id AS owner FROM organizations o JOIN memberships m ON m.tenant_id = o.id AND m.role = 'owner'
          WHERE o.is_demo ORDER BY o.created_at, m.created_at LIMIT 1`,
      ),
    );
    if (rows.length) await this.seed(rows[0].id, rows[0].owner);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** The demo body (renewable-share claims) and its lead certifier, created once. */
  async ensureCertifier(): Promise<Certifier> {
    // Hashing costs an argon2 run: only when the certifier is still to be made, not at every start.
    const known = await this.db.system((em) => em.existsBy(UserEntity, { email: DEMO_CERTIFIER_EMAIL }));
    const passwordHash = known ? '' : await hashPassword(DEMO_CERTIFIER_PASSWORD);
    return this.db.system(async (em) => {
      let user = await em.findOneBy(UserEntity, { email: DEMO_CERTIFIER_EMAIL });
      if (!user) {
        // The demo address is the platform's own: verified at seeding, like the demo user's.
        user = em.create(UserEntity, {
          id: randomUUID(),
          email: DEMO_CERTIFIER_EMAIL,
          name: 'Demo Certifier',
          passwordHash,
          isPlatformAdmin: false,
          emailVerifiedAt: new Date(),
        });
        await em.insert(UserEntity, user);
      }
      let body = await em.findOneBy(CertificationBodyEntity, { name: DEMO_BODY_NAME });
      if (!body) {
        body = em.create(CertificationBodyEntity, {
          id: randomUUID(),
          name: DEMO_BODY_NAME,
          claimTypes: ['renewable_share', 'emission_reduction'],
        });
        await em.insert(CertificationBodyEntity, body);
      }
      const member = await em.findOneBy(CertificationBodyMemberEntity, { bodyId: body.id, userId: user.id });
      if (!member)
        await em.insert(CertificationBodyMemberEntity, {
          bodyId: body.id,
          userId: user.id,
          role: 'lead_certifier',
        });
      return { bodyId: body.id, certifierId: user.id };
    });
  }

  /** Polls until the organisation's imports are done, then brings the claims along. */
  private watch(tenantId: string, ownerId: string): void {
    if (this.watching) return;
    this.watching = true;
    const deadline = Date.now() + CertificationDemoSeeder.limitMs;
    const asOwner = <T>(fn: () => Promise<T>) =>
      RequestContext.run({ requestId: 'demo-certification', tenantId, userId: ownerId }, fn);
    this.done = new Promise<{ claimIds: string[] }>((resolve) => {
      const tick = async () => {
        this.timer = null;
        if (this.stopped) return resolve({ claimIds: [] });
        try {
          if ((await asOwner(() => this.importsPending(tenantId))) > 0 && Date.now() < deadline) {
            this.timer = setTimeout(() => void tick(), CertificationDemoSeeder.pollMs);
            return;
          }
          const claimIds = await this.ensureClaims(tenantId, ownerId);
          this.logger.log(`demo: ${claimIds.length} claims ready`);
          resolve({ claimIds });
        } catch (err) {
          if (!this.stopped) this.logger.warn(`demo claims not made: ${(err as Error).message}`);
          resolve({ claimIds: [] });
        }
      };
      this.timer = setTimeout(() => void tick(), CertificationDemoSeeder.pollMs);
    }).finally(() => {
      this.watching = false;
    });
  }

  private async importsPending(tenantId: string): Promise<number> {
    const rows: { n: string }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT count(*)::text AS n FROM imports WHERE tenant_id = $1 AND status IN ('queued', 'running')`,
          [tenantId],
        ),
      tenantId,
    );
    return Number(rows[0].n);
  }

  /** Each demo claim, found or drafted, moved on until it has its status. */
  async ensureClaims(tenantId: string, ownerId: string): Promise<string[]> {
    const { bodyId, certifierId } = await this.ensureCertifier();
    const asOwner = <T>(fn: () => Promise<T>) =>
      RequestContext.run({ requestId: 'demo-certification', tenantId, userId: ownerId }, fn);
    const asCertifier = <T>(fn: () => Promise<T>) =>
      RequestContext.run(
        { requestId: 'demo-certification', userId: certifierId, bodyId, bodyRole: 'lead_certifier' },
        fn,
      );
    const existing = await asOwner(() => this.claims.list(tenantId));
    const ids: string[] = [];
    for (const { year, target } of DEMO_CLAIMS) {
      const from = `${year}-01-01`;
      let claim: { id: string; status: ClaimStatus } | undefined = existing.find(
        (c) => c.certificationBodyId === bodyId && c.periodFrom === from && c.type === 'renewable_share',
      );
      claim ??= await asOwner(() => this.draft(tenantId, bodyId, year));
      for (let to = nextDemoMove(claim.status, target); to; to = nextDemoMove(claim.status, target)) {
        const move = to;
        claim =
          move === 'submitted'
            ? await asOwner(() => this.claims.transition(tenantId, claim!.id, 'submitted'))
            : await asCertifier(() =>
                this.certifier.transition(bodyId, claim!.id, {
                  to: move,
                  ...(move === 'approved'
                    ? { assuranceLevel: 'limited' as const, validUntil: demoValidUntil(new Date()) }
                    : {}),
                }),
              );
      }
      ids.push(claim.id);
    }
    return ids;
  }

  /** A renewable-share claim of `year` with the year's REC retirement report as its certificate evidence. */
  private async draft(tenantId: string, bodyId: string, year: number) {
    const claim = await this.claims.create(tenantId, {
      type: 'renewable_share',
      periodFrom: `${year}-01-01`,
      periodTo: `${year + 1}-01-01`,
      certificationBodyId: bodyId,
    });
    const retired = (await this.carbon.instruments(tenantId)).filter(
      (i) => i.retired && i.vintageFrom.startsWith(String(year)),
    );
    if (retired.length) {
      const buffer = Buffer.from(retirementReportCsv(retired));
      await this.claims.addEvidence(
        tenantId,
        claim.id,
        { buffer, originalname: `wregis-retirement-${year}.csv`, size: buffer.length },
        'certificate',
        `${retired[0].scheme} retirement report, ${year} vintage (demo data)`,
      );
    }
    return claim;
  }
}
