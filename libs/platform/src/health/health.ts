import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access';
import { Db } from '../database/tenant-db';
import { isEmbedded } from '../database/database.module';
import { JobsService } from '../jobs/jobs.service';

export type HealthProbe = () => Promise<Record<string, unknown>>;

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

  @Get()
  @Access.public()
  @ApiOperation({ summary: 'Database, queue and TF.js backend status' })
  async health() {
    const started = Date.now();
    let database: Record<string, unknown>;
    try {
      await this.db.system((em) => em.query('SELECT 1'));
      database = { status: 'up', driver: isEmbedded(this.db.dataSource) ? 'pglite' : 'postgres', latencyMs: Date.now() - started };
    } catch (err) {
      database = { status: 'down', error: (err as Error).message };
    }
    const queue = await this.jobs.health();
    const extra: Record<string, unknown> = {};
    for (const [name, probe] of this.registry.probes) {
      try {
        extra[name] = await probe();
      } catch (err) {
        extra[name] = { status: 'down', error: (err as Error).message };
      }
    }
    const up = database.status === 'up' && queue.status === 'up';
    return { status: up ? 'ok' : 'degraded', database, queue, ...extra, tfjs: extra.tfjs ?? { backend: 'not loaded' } };
  }
}
