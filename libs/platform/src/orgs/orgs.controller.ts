import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ADMIN_ROLES, ALL_ROLES, Access } from '../auth/access';
import { UpdateOrganizationDto } from '../auth/auth.dto';
import { AuditService } from '../audit/audit.service';
import { RequestContext } from '../context/request-context';
import { NotFoundError } from '../errors/problems';
import {
  AcceptInvitationDto,
  ChangeRoleDto,
  CreateApiKeyDto,
  CreateInvitationDto,
  CreateOrganizationDto,
} from './orgs.dto';
import {
  ACCEPTED_INVITATION_SCHEMA,
  AcceptedInvitation,
  AcceptedInvitationModels,
  ApiKeyCreated,
  ApiKeyView,
  AuditChainVerification,
  AuditEventView,
  MyOrganization,
  OrgInvitationCreated,
  OrgInvitationView,
  OrgListEntry,
  OrgMember,
  OrgMemberRole,
  OrganizationView,
} from './orgs.responses';
import { OrgsService } from './orgs.service';

/** Audit paging: `before` is a bigint seq, so at most 18 digits (a larger number is a 400, not a database error). */
class AuditEventsQuery {
  @ApiPropertyOptional({ example: '1200' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be a sequence number (at most 18 digits)' })
  before?: string;
  @ApiPropertyOptional({ example: '100' })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: string;
}

/** A path id that is not a UUID is simply an object that does not exist. */
export const uuidParam = (name: string, what: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new NotFoundError(what) }));

@ApiTags('organizations')
@Controller('orgs')
export class OrgsController {
  constructor(
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Access.user()
  @ApiOperation({ summary: "The caller's organisations, each with the caller's role" })
  @ApiOkResponse({ type: OrgListEntry, isArray: true })
  list(): Promise<OrgListEntry[]> {
    return this.orgs.listMine(RequestContext.userId());
  }

  @Post()
  @Access.user()
  @ApiOperation({ summary: 'Create another organisation (e.g. a consultant serving several businesses)' })
  @ApiCreatedResponse({ type: MyOrganization })
  create(@Body() dto: CreateOrganizationDto): Promise<MyOrganization> {
    return this.orgs.create(RequestContext.userId(), dto);
  }

  @Get(':orgId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: MyOrganization })
  get(@uuidParam('orgId', 'Organization') orgId: string): Promise<MyOrganization> {
    return this.orgs.get(orgId);
  }

  @Patch(':orgId')
  @Access.org(ADMIN_ROLES)
  @ApiOkResponse({
    type: OrganizationView,
    description: 'the organisation as stored (without the caller’s role)',
  })
  update(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: UpdateOrganizationDto,
  ): Promise<OrganizationView> {
    return this.orgs.update(orgId, dto);
  }

  @Get(':orgId/members')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: OrgMember, isArray: true })
  members(@uuidParam('orgId', 'Organization') orgId: string): Promise<OrgMember[]> {
    return this.orgs.members(orgId);
  }

  @Patch(':orgId/members/:userId')
  @Access.org(ADMIN_ROLES)
  @ApiOkResponse({ type: OrgMemberRole })
  changeRole(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('userId', 'Member') userId: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<OrgMemberRole> {
    return this.orgs.changeRole(orgId, userId, dto.role);
  }

  @Delete(':orgId/members/:userId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  @ApiNoContentResponse({ description: 'The member is removed' })
  async removeMember(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('userId', 'Member') userId: string,
  ): Promise<void> {
    await this.orgs.removeMember(orgId, userId);
  }

  @Post(':orgId/invitations')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Invite someone by e-mail with a role; the token is shown once and e-mailed' })
  @ApiCreatedResponse({ type: OrgInvitationCreated })
  invite(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: CreateInvitationDto,
  ): Promise<OrgInvitationCreated> {
    return this.orgs.invite(orgId, dto.email, dto.role);
  }

  @Get(':orgId/invitations')
  @Access.org(ADMIN_ROLES)
  @ApiOkResponse({ type: OrgInvitationView, isArray: true })
  invitations(@uuidParam('orgId', 'Organization') orgId: string): Promise<OrgInvitationView[]> {
    return this.orgs.invitations(orgId);
  }

  @Delete(':orgId/invitations/:invitationId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  @ApiNoContentResponse({ description: 'The invitation is revoked' })
  async revokeInvitation(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('invitationId', 'Invitation') id: string,
  ): Promise<void> {
    await this.orgs.revokeInvitation(orgId, id);
  }

  @Post(':orgId/api-keys')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Create an API key for machines that push meter data; the key is shown once' })
  @ApiCreatedResponse({ type: ApiKeyCreated })
  createApiKey(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<ApiKeyCreated> {
    return this.orgs.createApiKey(orgId, dto.name, dto.scopes);
  }

  @Get(':orgId/api-keys')
  @Access.org(ADMIN_ROLES)
  @ApiOkResponse({ type: ApiKeyView, isArray: true })
  apiKeys(@uuidParam('orgId', 'Organization') orgId: string): Promise<ApiKeyView[]> {
    return this.orgs.apiKeys(orgId);
  }

  @Delete(':orgId/api-keys/:keyId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  @ApiNoContentResponse({ description: 'The key is revoked' })
  async revokeApiKey(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('keyId', 'API key') id: string,
  ): Promise<void> {
    await this.orgs.revokeApiKey(orgId, id);
  }

  @Get(':orgId/audit-events')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'The audit trail, newest first (`before` = a seq to page back from)' })
  @ApiOkResponse({ type: AuditEventView, isArray: true })
  async auditEvents(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Query() q: AuditEventsQuery,
  ): Promise<AuditEventView[]> {
    const n = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), 1000);
    const rows = await this.audit.list(orgId, n, q.before);
    return rows;
  }

  @Get(':orgId/audit-events/verification')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Verify the hash chain of the audit trail' })
  @ApiOkResponse({ type: AuditChainVerification })
  verifyAudit(@uuidParam('orgId', 'Organization') orgId: string): Promise<AuditChainVerification> {
    return this.audit.verify(orgId);
  }
}

@ApiTags('organizations')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly orgs: OrgsService) {}

  @Post('accept')
  @HttpCode(200)
  @Access.user()
  @ApiOperation({ summary: 'Accept an invitation as the logged-in user (the e-mail must match)' })
  @AcceptedInvitationModels()
  @ApiOkResponse({
    schema: ACCEPTED_INVITATION_SCHEMA,
    description: 'an organisation invitation (kind organization) or a certification body invitation',
  })
  accept(@Body() dto: AcceptInvitationDto): Promise<AcceptedInvitation> {
    return this.orgs.acceptInvitation(RequestContext.userId(), dto.token);
  }
}
