import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A commuting survey an organisation shares by link (migration 1764301900000). */
@Entity('commuting_surveys')
export class CommutingSurveyEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('int') year: number;
  @Column('text') title: string;
  @Column('int') employees: number;
  @Column('text') secretSha256: string;
  @Column('boolean', { default: false }) closed: boolean;
  @Column('uuid', { array: true, default: () => "'{}'" }) activityIds: string[];
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** An employee's anonymous answer. */
@Entity('commuting_responses')
export class CommutingResponseEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') surveyId: string;
  @Column('text') mode: string;
  @Column('numeric') distanceKm: string;
  @Column('numeric') daysPerWeek: string;
  @Column('numeric') weeksPerYear: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export const COMMUTING_ENTITIES = [CommutingSurveyEntity, CommutingResponseEntity];
