import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('forecast_models')
export class ForecastModelEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') meterId: string;
  @PrimaryColumn('int') version: number;
  @Column('text') status: 'candidate' | 'active' | 'retired';
  @Column('text') method: 'model' | 'baseline';
  @Column('text', { nullable: true }) baselineName: string | null;
  @Column('text') backend: string;
  @Column('timestamptz', { nullable: true }) trainedFrom: Date | null;
  @Column('timestamptz', { nullable: true }) trainedTo: Date | null;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) hyperParameters: object;
  @Column('jsonb', { nullable: true }) metrics: object | null;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) baselines: object;
  @Column('jsonb', { nullable: true }) backtest: object | null;
  @Column('text') reason: string;
  @Column('jsonb', { nullable: true }) artifact: object | null;
  @Column('double precision', { nullable: true }) trainSeconds: number | null;
  @Column('text', { nullable: true }) jobId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) activatedAt: Date | null;
}

@Entity('forecasts')
export class ForecastEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') meterId: string;
  @PrimaryColumn('timestamptz') issuedAt: Date;
  @PrimaryColumn('timestamptz') ts: Date;
  @Column('text') method: string;
  @Column('int', { nullable: true }) modelVersion: number | null;
  @Column('double precision') p10: number;
  @Column('double precision') p50: number;
  @Column('double precision') p90: number;
}

export const FORECASTING_ENTITIES = [ForecastModelEntity, ForecastEntity];
