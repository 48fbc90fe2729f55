import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SpendLineResult } from './spend-lines';

/** An uploaded accounting export with its priced lines (migration 1764301500000). */
@Entity('spend_ledgers')
export class SpendLedgerEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') fileName: string;
  @Column('text') format: 'xero' | 'quickbooks' | 'sage' | 'generic';
  @Column('text') currency: string;
  @Column('text') factorSet: 'epa' | 'exiobase';
  @Column('text') factorRegion: string;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('jsonb') lines: SpendLineResult[];
  @Column('uuid', { array: true, default: () => "'{}'" }) activityIds: string[];
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** An organisation's own mapping rule (a correction). */
@Entity('spend_rules')
export class SpendRuleEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text', { nullable: true }) account: string | null;
  @Column('text', { nullable: true }) accountCode: string | null;
  @Column('text', { nullable: true }) supplier: string | null;
  @Column('text', { nullable: true }) keyword: string | null;
  @Column('text') category: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export const SPEND_ENTITIES = [SpendLedgerEntity, SpendRuleEntity];
