import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An invoice or receipt behind an activity (migration 1764302000000). */
@Entity('activity_evidence')
export class ActivityEvidenceEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') activityId: string;
  @Column('text') filename: string;
  @Column('text') contentType: string;
  @Column('bigint') sizeBytes: string;
  @Column('bytea', { select: false }) content: Buffer;
  @Column('text') sha256: string;
  @Column('uuid', { nullable: true }) uploadedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}
