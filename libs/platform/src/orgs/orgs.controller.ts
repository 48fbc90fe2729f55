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
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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
  list() {
    return this.orgs.listMine(RequestContext.userId());
  }

  @Post()
  @Access.user()
  @ApiOperation({ summary: 'Create another organisation (e.g. a consultant serving several businesses)' })
  create(@Body() dto: CreateOrganizationDto) {
    return this.orgs.create(RequestContext.userId(), dto);
  }

  @Get(':orgId')
  @Access.org(ALL_ROLES)
  get(@uuidParam('orgId', 'Organization') orgId: string) {
    return this.orgs.get(orgId);
  }

  @Patch(':orgId')
  @Access.org(ADMIN_ROLES)
  update(@uuidParam('orgId', 'Organization') orgId: string, @Body() dto: UpdateOrganizationDto) {
    return this.orgs.update(orgId, dto);
  }

  @Get(':orgId/members')
  @Access.org(ALL_ROLES)
  members(@uuidParam('orgId', 'Organization') orgId: string) {
    return this.orgs.members(orgId);
  }

  @Patch(':orgId/members/:userId')
  @Access.org(ADMIN_ROLES)
  changeRole(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('userId', 'Member') userId: string,
    @Body() dto: ChangeRoleDto,
  ) {
    return this.orgs.changeRole(orgId, userId, dto.role);
  }

  @Delete(':orgId/members/:userId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  async removeMember(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('userId', 'Member') userId: string,
  ) {
    await this.orgs.removeMember(orgId, userId);
  }

  @Post(':orgId/invitations')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Invite someone by e-mail with a role; the token is shown once and e-mailed' })
  invite(@uuidParam('orgId', 'Organization') orgId: string, @Body() dto: CreateInvitationDto) {
    return this.orgs.invite(orgId, dto.email, dto.role);
  }

  @Get(':orgId/invitations')
  @Access.org(ADMIN_ROLES)
  invitations(@uuidParam('orgId', 'Organization') orgId: string) {
    return this.orgs.invitations(orgId);
  }

  @Delete(':orgId/invitations/:invitationId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  async revokeInvitation(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('invitationId', 'Invitation') id: string,
  ) {
    await this.orgs.revokeInvitation(orgId, id);
  }

  @Post(':orgId/api-keys')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Create an API key for machines that push meter data; the key is shown once' })
  createApiKey(@uuidParam('orgId', 'Organization') orgId: string, @Body() dto: CreateApiKeyDto) {
    return this.orgs.createApiKey(orgId, dto.name, dto.scopes);
  }

  @Get(':orgId/api-keys')
  @Access.org(ADMIN_ROLES)
  apiKeys(@uuidParam('orgId', 'Organization') orgId: string) {
    return this.orgs.apiKeys(orgId);
  }

  @Delete(':orgId/api-keys/:keyId')
  @HttpCode(204)
  @Access.org(ADMIN_ROLES)
  async revokeApiKey(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('keyId', 'API key') id: string,
  ) {
    await this.orgs.revokeApiKey(orgId, id);
  }

  @Get(':orgId/audit-events')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'The audit trail, newest first (`before` = a seq to page back from)' })
  async auditEvents(@uuidParam('orgId', 'Organization') orgId: string, @Query() q: AuditEventsQuery) {
    const n = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), 1000);
    const rows = await this.audit.list(orgId, n, q.before);
    return rows;
  }

  @Get(':orgId/audit-events/verification')
  @Access.org(ADMIN_ROLES)
  @ApiOperation({ summary: 'Verify the hash chain of the audit trail' })
  verifyAudit(@uuidParam('orgId', 'Organization') orgId: string) {
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
  accept(@Body() dto: AcceptInvitationDto) {
    return this.orgs.acceptInvitation(RequestContext.userId(), dto.token);
  }
}
