import { Controller, Get, Injectable, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../auth/access';
import { Db } from '../database/tenant-db';
import { isEmbedded } from '../database/database.module';
import { Dependency, RETRY_AFTER_SECONDS, raceTimeout, withDeadline } from '../errors/unavailable';
import { JobsService } from '../jobs/jobs.service';
import { HealthDatabaseProbe, HealthQueueProbe, HealthReport } from './health.responses';

export type HealthProbe = () => Promise<Record<string, unknown>>;

/** Each probe's time limit: health answers within about this long whatever is down. */
export const HEALTH_PROBE_TIMEOUT_MS = 1000;

/** Later modules add what they want reported (the forecasting module reports its TF.js backend). */
@Injectable()
export class HealthRegistry {
  readonly probes = new Map<string, HealthProbe>();
  register(name: string, probe: HealthProbe): void {
    this.probes.set(name, probe);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly registry: HealthRegistry,
  ) {}

  /**
   * 200 `ok` when the database and the queue this process needs answer; 503 `unavailable` naming the
   * ones that do not (`down: ['database', 'queue']`), with `Retry-After`. The probes run at once, each
   * within HEALTH_PROBE_TIMEOUT_MS. Other probes (TF.js) are reported but never make it 503.
   */
  @Get()
  @Access.public()
  @ApiOperation({ summary: 'Database, queue and TF.js backend status' })
  @ApiOkResponse({ type: HealthReport, description: 'status ok' })
  @ApiServiceUnavailableResponse({
    type: HealthReport,
    description: 'status unavailable, `down` naming what does not answer; with Retry-After',
  })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const [database, queue, extra] = await Promise.all([this.database(), this.queue(), this.extras()]);
    const down: Dependency[] = [];
    if (database.status !== 'up') down.push('database');
    if (queue.status !== 'up') down.push('queue');
    if (down.length) {
      res.status(503);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    return {
      status: down.length ? 'unavailable' : 'ok',
      ...(down.length ? { down } : {}),
      database,
      queue,
      ...extra,
      tfjs: extra.tfjs ?? { backend: 'not loaded' },
    };
  }

  /** Db.ping takes no transaction: an embedded database busy with one long statement is alive, not down. */
  private async database(): Promise<HealthDatabaseProbe> {
    const driver = isEmbedded(this.db.dataSource) ? 'pglite' : 'postgres';
    try {
      const ping = await withDeadline(
        this.db.ping(HEALTH_PROBE_TIMEOUT_MS),
        HEALTH_PROBE_TIMEOUT_MS + 100,
        'database',
        'The database',
      );
      return {
        status: 'up',
        driver: ping.driver,
        latencyMs: ping.latencyMs,
        ...(ping.busyMs !== null ? { busyMs: ping.busyMs } : {}),
      };
    } catch (err) {
      return { status: 'down', driver, error: (err as Error).message };
    }
  }

  private async queue(): Promise<HealthQueueProbe> {
    try {
      // JobsService.health bounds its own Redis round trip; this bounds it again so health always answers.
      return await withDeadline(this.jobs.health(), HEALTH_PROBE_TIMEOUT_MS, 'queue', 'Redis');
    } catch (err) {
      return { status: 'down', mode: this.jobs.mode, detail: (err as Error).message };
    }
  }

  private async extras(): Promise<Record<string, unknown>> {
    const extra: Record<string, unknown> = {};
    await Promise.all(
      [...this.registry.probes].map(async ([name, probe]) => {
        try {
          extra[name] = await raceTimeout(
            probe(),
            HEALTH_PROBE_TIMEOUT_MS,
            () => new Error(`no answer within ${HEALTH_PROBE_TIMEOUT_MS} ms`),
          );
        } catch (err) {
          extra[name] = { status: 'down', error: (err as Error).message };
        }
      }),
    );
    return extra;
  }
}
