/** Response schema of GET /health (HealthController): the same body with 200 `ok` and 503 `unavailable`. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Dependency } from '../errors/unavailable';

export class HealthDatabaseProbe {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({ enum: ['postgres', 'pglite'] }) driver: 'postgres' | 'pglite';
  @ApiPropertyOptional({ description: 'up: the round trip, ms' }) latencyMs?: number;
  @ApiPropertyOptional({
    description: 'embedded database busy with one statement for this long (ms); it is alive, not down',
  })
  busyMs?: number;
  @ApiPropertyOptional({ description: 'down: why' }) error?: string;
}

export class HealthQueueCounters {
  @ApiProperty() failed: number;
  @ApiProperty() stalled: number;
}

export class HealthQueueProbe {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({ enum: ['bullmq', 'in-process'] }) mode: string;
  @ApiPropertyOptional({ description: 'down: why' }) detail?: string;
  @ApiPropertyOptional({ description: 'jobs running in this process' }) running?: number;
  @ApiPropertyOptional({
    type: () => HealthQueueCounters,
    description: 'BullMQ mode: events seen since start',
  })
  bullmq?: HealthQueueCounters;
}

/** The forecasting module's probe (TF.js is loaded on first use); reported, never a reason for 503. */
export class HealthTfjsProbe {
  @ApiPropertyOptional({ enum: ['up', 'down'] }) status?: 'up' | 'down';
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'tensorflow',
    description: '"not loaded" without the forecasting module',
  })
  backend?: string | null;
  @ApiPropertyOptional() loaded?: boolean;
  @ApiPropertyOptional({ description: 'down: why' }) error?: string;
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiPropertyOptional({
    enum: ['database', 'queue'],
    isArray: true,
    description: '503: what does not answer',
  })
  down?: Dependency[];
  @ApiProperty({ type: () => HealthDatabaseProbe }) database: HealthDatabaseProbe;
  @ApiProperty({ type: () => HealthQueueProbe }) queue: HealthQueueProbe;
  // A registered probe's value (HealthRegistry: Record<string, unknown>), so not checked by tsc here.
  @ApiProperty({ type: () => HealthTfjsProbe }) tfjs: unknown;
}
