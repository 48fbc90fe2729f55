/** Response schemas of the certification-body administration routes (admin.ts). */
import { ApiProperty } from '@nestjs/swagger';
import { CERTIFIER_ROLE_SCHEMA } from '../orgs/orgs.responses';

/** The claim types a certification body may accept (here rather than in admin.ts, which imports this file). */
export const CLAIM_TYPES = [
  'renewable_share',
  'emission_reduction',
  'verified_savings',
  'carbon_neutral',
] as const;

/** A certification body with the claim types it accepts (admin list and create, the public list). */
export class CertificationBodyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLAIM_TYPES, enumName: 'ClaimType', isArray: true }) claimTypes: string[];
  @ApiProperty() createdAt: Date;
}

/** POST /admin/certification-bodies/:bodyId/members: the invitation was e-mailed. */
export class CertifierInvitationSent {
  @ApiProperty({ enum: ['invited'] }) status: string;
  @ApiProperty() email: string;
  @ApiProperty(CERTIFIER_ROLE_SCHEMA) role: 'certifier' | 'lead_certifier';
  @ApiProperty() expiresAt: Date;
}
