import type { ActivityDetail } from '../data-input/entry-detail';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { COMMUTING_ENTITIES } from '../commuting/commuting.entities';
import { ActivityEvidenceEntity } from '../evidence/activity-evidence.entity';
import { SPEND_ENTITIES } from '../spend/spend.entities';
import { StarterProfileEntity } from '../starter/starter.entities';

/** Which version (sha-256 of the shipped CSV) of the shared factor library is loaded. */
@Entity('emission_factor_library')
export class EmissionFactorLibraryEntity {
  @PrimaryColumn('text') version: string;
  @Column('text') file: string;
  @Column('int') rows: number;
  @Column('timestamptz', { default: () => 'now()' }) loadedAt: Date;
}

/** Columns shared by the library and tenants' own factors (numbers are exact decimal strings). */
abstract class FactorValues {
  @Column('text') source: string;
  @Column('text') edition: string;
  @Column('int') publishedYear: number;
  @Column('int') year: number;
  @Column('text') region: string;
  @Column('text') activity: string;
  @Column('text', { default: '' }) variant: string;
  @Column('smallint') scope: number;
  @Column('smallint', { nullable: true }) scope3Category: number | null;
  @Column('text') unit: string;
  @Column('text', { default: '' }) basis: string;
  @Column('numeric') kgCo2ePerUnit: string;
  @Column('numeric', { nullable: true }) kgCo2PerUnit: string | null;
  @Column('numeric', { nullable: true }) kgCh4PerUnit: string | null;
  @Column('numeric', { nullable: true }) kgN2oPerUnit: string | null;
  @Column('numeric', { nullable: true }) kgCo2eCh4PerUnit: string | null;
  @Column('numeric', { nullable: true }) kgCo2eN2oPerUnit: string | null;
  @Column('text', { default: '' }) gwpSet: string;
  @Column('text', { default: 'corporate_inventory' }) purpose: string;
}

/** Shared reference data (no tenant): the emission-factor library, read-only for tenants. */
@Entity('emission_factors')
export class EmissionFactorEntity extends FactorValues {
  @PrimaryColumn('text') id: string;
  @Column('text', { default: '' }) verification: string;
  @Column('text', { default: '' }) licence: string;
  @Column('text', { default: '' }) url: string;
  @Column('text', { default: '' }) sourceRef: string;
  @Column('text', { default: '' }) label: string;
  @Column('text') libraryVersion: string;
}

/** A tenant's own factor (e.g. supplier-specific electricity), with its evidence. Never changes the library. */
@Entity('tenant_emission_factors')
export class TenantEmissionFactorEntity extends FactorValues {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text', { default: '' }) label: string;
  @Column('text') evidence: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** Activity data beyond meters: fuel purchases, refrigerant top-ups, vehicles, travel, spend, waste. */
@Entity('activities')
export class ActivityEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') activity: string;
  @Column('text', { default: '' }) variant: string;
  @Column('smallint', { nullable: true }) scope: number | null;
  @Column('smallint', { nullable: true }) scope3Category: number | null;
  @Column('numeric') quantity: string;
  @Column('text') unit: string;
  @Column('text', { nullable: true }) basis: 'gross' | 'net' | null;
  @Column('numeric', { nullable: true }) gwp: string | null;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('smallint') dataQuality: number;
  @Column('uuid', { nullable: true }) siteId: string | null;
  @Column('text', { nullable: true }) region: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  /** What it was entered as (a flight's route, a fuel's money and price), data-input/entry-detail.ts. */
  @Column('jsonb', { nullable: true }) detail: ActivityDetail | null;
}

/** Technologies an instrument may state; RENEWABLE_TECHNOLOGIES are the ones a renewable-share claim counts. */
export const INSTRUMENT_TECHNOLOGIES = [
  'solar',
  'wind',
  'hydro',
  'geothermal',
  'biomass',
  'biogas',
  'ocean',
  'nuclear',
  'natural_gas',
  'coal',
  'oil',
  'waste_incineration',
  'mixed',
  'other',
] as const;
export type InstrumentTechnology = (typeof INSTRUMENT_TECHNOLOGIES)[number];
export const RENEWABLE_TECHNOLOGIES: readonly InstrumentTechnology[] = [
  'solar',
  'wind',
  'hydro',
  'geothermal',
  'biomass',
  'biogas',
  'ocean',
];

/** A contractual instrument for market-based Scope 2 (REC, GO, REGO, I-REC, PPA, green tariff, supplier rate). */
@Entity('instruments')
export class InstrumentEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') type: 'REC' | 'GO' | 'REGO' | 'I-REC' | 'PPA' | 'green_tariff' | 'supplier_specific';
  @Column('text') scheme: string;
  @Column('numeric') volumeMwh: string;
  @Column('numeric', { default: 0 }) kgCo2ePerKwh: string;
  /** Generation technology behind the attributes (null: not stated, never counted as renewable). */
  @Column('text', { nullable: true }) technology: InstrumentTechnology | null;
  @Column('date') vintageFrom: string;
  @Column('date') vintageTo: string;
  @Column('text') region: string;
  @Column('text', { array: true, default: () => "'{}'" }) certificateIds: string[];
  @Column('boolean') retired: boolean;
  @Column('uuid', { nullable: true }) siteId: string | null;
  @Column('text', { nullable: true }) evidence: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** Global registry of claimed certificate serials (unique across organisations). */
@Entity('instrument_registry')
export class InstrumentRegistryEntity {
  @PrimaryColumn('text') scheme: string;
  @PrimaryColumn('text') serial: string;
  @Column('uuid') tenantId: string;
  @Column('uuid') instrumentId: string;
}

@Entity('targets')
export class TargetEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') kind: 'absolute' | 'intensity';
  @Column('smallint', { array: true }) scopes: number[];
  @Column('text', { default: 'market' }) scope2Method: 'location' | 'market';
  @Column('int') baseYear: number;
  @Column('numeric', { nullable: true }) baseValue: string | null;
  @Column('int') targetYear: number;
  @Column('numeric') annualRate: string;
  @Column('numeric') reductionPct: string;
  @Column('text', { nullable: true }) intensityDenominator: 'floor_area_m2' | 'employees' | 'revenue' | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** A stored inventory with the factor versions it used; a recalculation keeps the old one and its difference. */
@Entity('inventory_snapshots')
export class InventorySnapshotEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text') factorLibraryVersion: string;
  @Column('jsonb') factorsUsed: object;
  @Column('text') dataHash: string;
  @Column('numeric') scope1KgCo2e: string;
  @Column('numeric') scope2LocationKgCo2e: string;
  @Column('numeric') scope2MarketKgCo2e: string;
  @Column('numeric') scope3KgCo2e: string;
  @Column('jsonb') result: object;
  @Column('uuid', { nullable: true }) previousId: string | null;
  @Column('jsonb', { nullable: true }) diff: object | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export const CARBON_ENTITIES = [
  ActivityEvidenceEntity,
  ...COMMUTING_ENTITIES,
  EmissionFactorLibraryEntity,
  EmissionFactorEntity,
  TenantEmissionFactorEntity,
  ActivityEntity,
  InstrumentEntity,
  InstrumentRegistryEntity,
  TargetEntity,
  InventorySnapshotEntity,
  ...SPEND_ENTITIES,
  StarterProfileEntity,
];
