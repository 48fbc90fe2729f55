import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A utility bill (issue 18, migration 1764301400000). `periodFrom`/`periodTo` are the printed local
 * dates, both included; `startsAt`/`endsAt` the same period as instants [start, end) in the site's zone.
 * `meterQuantity` is the billed quantity in the meter's unit. Written and read by BillsRepository.
 */
/** How a bill was entered: one by one, a CSV/XLSX file, or a Green Button billing feed. */
export type BillSource = 'manual' | 'file' | 'green_button';

@Entity('utility_bills')
export class UtilityBillEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') meterId: string;
  @Column('text', { nullable: true }) supplier: string | null;
  @Column('text', { nullable: true }) account: string | null;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('double precision') quantity: number;
  @Column('text') unit: string;
  @Column('double precision') meterQuantity: number;
  @Column('double precision', { nullable: true }) cost: number | null;
  @Column('char', { length: 3, nullable: true }) currency: string | null;
  @Column('text', { nullable: true }) tariffName: string | null;
  @Column('text', { nullable: true }) renewableCertificate: string | null;
  @Column('text') source: BillSource;
  @Column('boolean') countedAsReadings: boolean;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}
