import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DemoSeeder, RequestContext } from '@halve/platform';
import { SitesService } from '@halve/metering';
import { SiteAnalysisService } from './site-analysis.service';

/**
 * The demo organisation's suggestions, from its real data. The metering seeder (order 10) only
 * queues its imports, so this one does not wait for them: it starts a background watch (start-up
 * stays responsive) that polls the imports table and, once no import of the organisation is
 * queued or running, queues one `site-analysis` job per site with electricity readings.
 */
@Injectable()
export class RecommendationsDemoSeeder implements DemoSeeder, OnModuleDestroy {
  readonly order = 60;
  readonly name = 'recommendations: analyses of the demo sites, queued once their imports finish';
  private readonly logger = new Logger('RecommendationsDemo');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** resolves when the watch has queued the analyses (or given up); for tests and logs */
  done: Promise<{ jobIds: string[] }> = Promise.resolve({ jobIds: [] });
  static pollMs = 500;
  static limitMs = 30 * 60_000;

  constructor(
    private readonly sites: SitesService,
    private readonly analysis: SiteAnalysisService,
  ) {}

  seed(tenantId: string, userId: string): Promise<void> {
    const deadline = Date.now() + RecommendationsDemoSeeder.limitMs;
    this.done = new Promise((resolve) => {
      const tick = async () => {
        this.timer = null;
        if (this.stopped) return resolve({ jobIds: [] });
        try {
          const pending = await RequestContext.run(
            { requestId: 'demo-recommendations', tenantId, userId },
            () => this.analysis.importsPending(tenantId),
          );
          if (pending > 0 && Date.now() < deadline) {
            this.timer = setTimeout(() => void tick(), RecommendationsDemoSeeder.pollMs);
            return;
          }
          const jobIds = await RequestContext.run(
            { requestId: 'demo-recommendations', tenantId, userId },
            () => this.queue(tenantId),
          );
          this.logger.log(`demo: ${jobIds.length} site analyses queued`);
          resolve({ jobIds });
        } catch (err) {
          if (!this.stopped) this.logger.warn(`demo analyses not queued: ${(err as Error).message}`);
          resolve({ jobIds: [] });
        }
      };
      this.timer = setTimeout(() => void tick(), RecommendationsDemoSeeder.pollMs);
    });
    return Promise.resolve();
  }

  private async queue(tenantId: string): Promise<string[]> {
    const meters = await this.sites.listMeters(tenantId);
    const siteIds = [...new Set(meters.filter((m) => m.kind === 'electricity_import').map((m) => m.siteId))];
    const jobIds: string[] = [];
    for (const siteId of siteIds) jobIds.push((await this.analysis.request(tenantId, siteId)).jobId);
    return jobIds;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
