import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An organisation's starter profile (migration 1764301700000). StarterProfileService reads and writes it in
 * SQL; the entity keeps the schema check (entities and migrations agree) and TypeORM's metadata complete.
 */
@Entity('starter_profiles')
export class StarterProfileEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @Column('text') sectorScheme: 'nace' | 'uk_sic' | 'naics';
  @Column('text') sectorCode: string;
  @Column('text') sector: string;
  @Column('integer') employees: number;
  @Column('numeric') annualRevenue: string;
  @Column('text') currency: string;
  @Column('numeric') floorAreaM2: string;
  @Column('text') country: string;
  @Column('integer') year: number;
  @Column('uuid', { nullable: true }) updatedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}
