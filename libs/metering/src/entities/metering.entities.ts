import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MeterKind } from '../units/units';
import type { WeatherTimestamps } from '../weather';
import type { Tariff } from './tariff';
import { UtilityBillEntity } from './utility-bill.entity';

@Entity('sites')
export class SiteEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('char', { length: 2 }) country: string;
  @Column('text') timezone: string;
  @Column('text', { nullable: true }) address: string | null;
  @Column('double precision', { nullable: true }) latitude: number | null;
  @Column('double precision', { nullable: true }) longitude: number | null;
  @Column('double precision', { nullable: true }) floorAreaM2: number | null;
  @Column('text', { nullable: true }) gridRegion: string | null;
  @Column('jsonb', { nullable: true }) tariff: Tariff | null;
  /** What its weather rows' timestamps mean (weather.ts periodStartRows). */
  @Column('text', { default: 'start' }) weatherTimestamps: WeatherTimestamps;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

@Entity('meters')
export class MeterEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') siteId: string;
  @Column('text') name: string;
  @Column('text') kind: MeterKind;
  @Column('text') unit: string;
  @Column('int', { nullable: true }) intervalMinutes: number | null;
  @Column('text', { default: 'interval' }) register: 'interval' | 'cumulative';
  @Column('double precision', { nullable: true }) capacityKw: number | null;
  @Column('double precision', { nullable: true }) tiltDeg: number | null;
  @Column('double precision', { nullable: true }) azimuthDeg: number | null;
  @Column('double precision', { nullable: true, name: 'gas_calorific_value_kwh_per_m3' })
  gasCalorificValueKwhPerM3: number | null;
  @Column('text', { nullable: true }) sourceColumn: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** Hot path: written and read with set-based SQL, never entity by entity. The entity exists for the schema check. */
@Entity('readings')
export class ReadingEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') meterId: string;
  @PrimaryColumn('timestamptz') ts: Date;
  @Column('double precision') value: number;
  @Column('timestamptz', { nullable: true }) periodEnd: Date | null;
  @Column('smallint', { default: 0 }) quality: number;
  @Column('uuid', { nullable: true }) importId: string | null;
}

@Entity('reading_rollups')
export class ReadingRollupEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') meterId: string;
  @PrimaryColumn('char', { length: 1 }) resolution: 'h' | 'd' | 'm';
  @PrimaryColumn('timestamptz') bucket: Date;
  @Column('double precision') value: number;
  @Column('int') count: number;
}

@Entity('imports')
export class ImportEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: 'meter' | 'wide' | 'weather' | 'push';
  @Column('uuid', { nullable: true }) meterId: string | null;
  @Column('uuid', { nullable: true }) siteId: string | null;
  @Column('text') status: 'queued' | 'running' | 'succeeded' | 'failed';
  @Column('text', { nullable: true }) filename: string | null;
  @Column('text', { nullable: true }) format: string | null;
  @Column('bigint', { nullable: true }) sizeBytes: string | null;
  @Column('text', { nullable: true }) sha256: string | null;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) options: object;
  @Column('int', { default: 0 }) rowsRead: number;
  @Column('int', { default: 0 }) rowsStored: number;
  @Column('int', { default: 0 }) rowsUpdated: number;
  @Column('int', { default: 0 }) rowsUnchanged: number;
  @Column('int', { default: 0 }) rowsMissing: number;
  @Column('int', { default: 0 }) rowsRejected: number;
  @Column('int', { default: 0 }) rowsDuplicate: number;
  @Column('jsonb', { default: () => "'[]'::jsonb" }) errors: { line: number; message: string }[];
  @Column('jsonb', { default: () => "'[]'::jsonb" }) warnings: { line?: number; message: string }[];
  @Column('text', { nullable: true }) error: string | null;
  @Column('text', { nullable: true }) errorCode: string | null;
  @Column('timestamptz', { nullable: true }) firstTs: Date | null;
  @Column('timestamptz', { nullable: true }) lastTs: Date | null;
  @Column('text', { nullable: true }) jobId: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
}

@Entity('site_weather')
export class SiteWeatherEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') siteId: string;
  @PrimaryColumn('timestamptz') ts: Date;
  @Column('double precision', { nullable: true }) temperatureC: number | null;
  @Column('double precision', { nullable: true, name: 'ghi_w_m2' }) ghiWM2: number | null;
  @Column('double precision', { nullable: true }) cloudCoverPct: number | null;
  @Column('double precision', { nullable: true, name: 'wind_speed_m_s' }) windSpeedMS: number | null;
}

/** Hourly temperatures fetched from a weather source by the site's coordinates (migration 1764301300000). */
@Entity('site_weather_fetched')
export class SiteWeatherFetchedEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') siteId: string;
  @PrimaryColumn('text') source: 'open-meteo';
  @PrimaryColumn('timestamptz') ts: Date;
  @Column('double precision') latitude: number;
  @Column('double precision') longitude: number;
  @Column('double precision', { nullable: true }) temperatureC: number | null;
  @Column('timestamptz', { default: () => 'now()' }) fetchedAt: Date;
}

export const METERING_ENTITIES = [
  SiteEntity,
  MeterEntity,
  ReadingEntity,
  ReadingRollupEntity,
  ImportEntity,
  SiteWeatherEntity,
  SiteWeatherFetchedEntity,
  UtilityBillEntity,
];
