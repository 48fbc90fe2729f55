import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Access } from '../auth/access';
import { AuditService } from '../audit/audit.service';
import { Db } from '../database/tenant-db';
import { CertificationBodyEntity, CertificationBodyInvitationEntity, CertificationBodyMemberEntity, UserEntity } from '../entities/platform.entities';
import { ConflictError, NotFoundError } from '../errors/problems';
import { uuidParam } from '../orgs/orgs.controller';

export const CLAIM_TYPES = ['renewable_share', 'emission_reduction', 'verified_savings', 'carbon_neutral'] as const;

export class CreateCertificationBodyDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: CLAIM_TYPES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(CLAIM_TYPES, { each: true }) claimTypes: string[];
}

export class AddBodyMemberDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ enum: ['certifier', 'lead_certifier'] }) @IsIn(['certifier', 'lead_certifier']) role: 'certifier' | 'lead_certifier';
}

/** Platform administration: certification bodies and their members. */
@ApiTags('admin')
@Controller('admin/certification-bodies')
export class AdminController {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @Access.platformAdmin()
  @ApiOperation({ summary: 'Create a certification body with the claim types it accepts' })
  create(@Body() dto: CreateCertificationBodyDto) {
    return this.db.system(async (em) => {
      const body = em.create(CertificationBodyEntity, { id: randomUUID(), name: dto.name, claimTypes: [...new Set(dto.claimTypes)] });
      await em.insert(CertificationBodyEntity, body);
      await this.audit.record(em, null, { action: 'certification_body.created', entityType: 'certification_body', entityId: body.id, summary: { after: { name: body.name, claimTypes: body.claimTypes } } });
      return body;
    });
  }

  @Get()
  @Access.platformAdmin()
  list() {
    return this.db.system((em) => em.find(CertificationBodyEntity, { order: { name: 'ASC' } }));
  }

  @Post(':bodyId/members')
  @Access.platformAdmin()
  @ApiOperation({ summary: 'Add a certifier: an existing user joins at once; a new e-mail gets an invitation that signing up accepts' })
  addMember(@uuidParam('bodyId', 'Certification body') bodyId: string, @Body() dto: AddBodyMemberDto) {
    const email = dto.email.trim().toLowerCase();
    return this.db.system(async (em) => {
      const body = await em.findOneBy(CertificationBodyEntity, { id: bodyId });
      if (!body) throw new NotFoundError('Certification body', bodyId);
      const user = await em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = :email', { email }).getOne();
      if (!user) {
        await em.upsert(CertificationBodyInvitationEntity, { bodyId, email, role: dto.role, acceptedAt: null }, ['bodyId', 'email']);
        await this.audit.record(em, null, { action: 'certification_body.member_invited', entityType: 'certification_body', entityId: bodyId, summary: { email, role: dto.role } });
        return { status: 'invited', email, role: dto.role };
      }
      const existing = await em.findOneBy(CertificationBodyMemberEntity, { bodyId, userId: user.id });
      if (existing) throw new ConflictError(`${email} is already a member of ${body.name}.`, 'already_member');
      await em.insert(CertificationBodyMemberEntity, { bodyId, userId: user.id, role: dto.role });
      await this.audit.record(em, null, { action: 'certification_body.member_added', entityType: 'certification_body', entityId: bodyId, summary: { userId: user.id, role: dto.role } });
      return { status: 'member', userId: user.id, email, role: dto.role };
    });
  }
}

/** Public list of certification bodies (name and claim types), for an organisation choosing where to submit. */
@ApiTags('certification')
@Controller('certification-bodies')
export class CertificationBodiesController {
  constructor(private readonly db: Db) {}

  @Get()
  @Access.user()
  list() {
    return this.db.system((em) => em.find(CertificationBodyEntity, { order: { name: 'ASC' } }));
  }
}
