/**
 * Response schemas of the organisation routes (OrgsController, InvitationsController). Each class is what
 * OrgsService / AuditService returns; the controllers declare them as their handlers' return types, so tsc
 * checks the services' values against the document. Dates are Date here and ISO strings on the wire.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { API_KEY_SCOPES } from '../auth/access';
import { ORG_ROLES, OrgRole } from '../context/request-context';

/** One named enum in the document for every role field. */
export const ORG_ROLE_SCHEMA = { enum: ORG_ROLES, enumName: 'OrgRole' } as const;
/** A certification body member's role (platform admin invitations, /me, accepting an invitation). */
export const CERTIFIER_ROLES = ['certifier', 'lead_certifier'] as const;
export const CERTIFIER_ROLE_SCHEMA = { enum: CERTIFIER_ROLES, enumName: 'CertifierRole' } as const;

/** An organisation as stored (GET/PATCH /orgs/:orgId, sign-up). */
export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ type: String, nullable: true }) gridRegion: string | null;
  @ApiProperty({ example: 'Europe/London' }) timezone: string;
  @ApiProperty({ example: 'GBP' }) currency: string;
  @ApiProperty({ type: String, nullable: true }) sector: string | null;
  @ApiProperty({ type: Number, nullable: true }) baseYear: number | null;
  @ApiProperty({ minimum: 1, maximum: 12 }) fiscalYearStartMonth: number;
  @ApiProperty({ type: Number, nullable: true }) employees: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'a decimal number, as a string (exact)' })
  annualRevenue: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) certificationBodyId: string | null;
  @ApiProperty() isDemo: boolean;
  @ApiProperty() createdAt: Date;
}

/** An organisation with the caller's role in it (POST /orgs, GET /orgs/:orgId). */
export class MyOrganization extends OrganizationView {
  // Always set on these routes (the creator is owner; the access guard resolves the caller's membership);
  // optional in TypeScript only because RequestContext.role is.
  @ApiProperty({ ...ORG_ROLE_SCHEMA, required: true }) role?: OrgRole;
}

/** A row of GET /orgs: the caller's organisations with their role. */
export class OrgListEntry {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty() timezone: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: String, nullable: true }) gridRegion: string | null;
  @ApiProperty() isDemo: boolean;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
}

export class OrgMember {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
  @ApiProperty({ description: 'when the membership began' }) createdAt: Date;
}

/** PATCH /orgs/:orgId/members/:userId. */
export class OrgMemberRole {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
}

export class OrgInvitationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() expiresAt: Date;
}

/** POST /orgs/:orgId/invitations: the token is shown only in this answer (and e-mailed). */
export class OrgInvitationCreated extends OrgInvitationView {
  @ApiProperty() token: string;
}

export class AcceptedOrgInvitation {
  @ApiProperty({ enum: ['organization'] }) kind: 'organization';
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty(ORG_ROLE_SCHEMA) role: OrgRole;
}

export class AcceptedBodyInvitation {
  @ApiProperty({ enum: ['certification_body'] }) kind: 'certification_body';
  @ApiProperty({ format: 'uuid' }) bodyId: string;
  @ApiProperty(CERTIFIER_ROLE_SCHEMA) role: string;
}

/** POST /invitations/accept answers one of the two, told apart by `kind`. */
export type AcceptedInvitation = AcceptedOrgInvitation | AcceptedBodyInvitation;
// The mapping names each `kind` value: without it, generators take the schema names as the values.
export const ACCEPTED_INVITATION_SCHEMA = {
  oneOf: [{ $ref: getSchemaPath(AcceptedOrgInvitation) }, { $ref: getSchemaPath(AcceptedBodyInvitation) }],
  discriminator: {
    propertyName: 'kind',
    mapping: {
      organization: getSchemaPath(AcceptedOrgInvitation),
      certification_body: getSchemaPath(AcceptedBodyInvitation),
    },
  },
};
/** Puts both invitation answers in the document (they are referenced only from a oneOf). */
export const AcceptedInvitationModels = () => ApiExtraModels(AcceptedOrgInvitation, AcceptedBodyInvitation);

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the visible part of the key (hlv_<prefix>_…)' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, enumName: 'ApiKeyScope', isArray: true }) scopes: string[];
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
}

/** POST /orgs/:orgId/api-keys: the key is shown only in this answer. */
export class ApiKeyCreated extends ApiKeyView {
  @ApiProperty({ example: 'hlv_AbCdEfGhIjKl_…' }) key: string;
}

/** A row of the hash-chained audit trail. */
export class AuditEventView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  // The bigint column comes back as a string from PostgreSQL but as a number from the embedded database
  // (AuditService returns the rows as read); use it as an opaque cursor (`before`).
  @ApiProperty({
    oneOf: [
      { type: 'string', example: '1200' },
      { type: 'integer', example: 1200 },
    ],
    description:
      'sequence number within the organisation (a bigint): a string on PostgreSQL, a number on the embedded database',
  })
  seq: string | number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorApiKeyId: string | null;
  @ApiProperty({ example: 'organization.updated' }) action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ description: 'when it happened' }) at: Date;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what changed (e.g. before/after)',
  })
  summary: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditChainBreak {
  @ApiProperty() seq: string;
  @ApiProperty() reason: string;
}

/** GET /orgs/:orgId/audit-events/verification. */
export class AuditChainVerification {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'rows checked' }) count: number;
  @ApiPropertyOptional({ type: () => AuditChainBreak, description: 'the first row that does not verify' })
  brokenAt?: AuditChainBreak;
}
