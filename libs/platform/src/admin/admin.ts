import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Access } from '../auth/access';
import { randomToken, sha256 } from '../auth/crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MAILER, Mailer } from '../notifications/mailer';
import { AuditService } from '../audit/audit.service';
import { Db } from '../database/tenant-db';
import { CertificationBodyEntity, CertificationBodyInvitationEntity } from '../entities/platform.entities';
import { ConflictError, NotFoundError } from '../errors/problems';
import { uuidParam } from '../orgs/orgs.controller';
import { CERTIFIER_ROLE_SCHEMA } from '../orgs/orgs.responses';
import { CLAIM_TYPES, CertificationBodyView, CertifierInvitationSent } from './admin.responses';

const BODY_INVITATION_DAYS = 14;

export { CLAIM_TYPES };

export class CreateCertificationBodyDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: CLAIM_TYPES, enumName: 'ClaimType', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(CLAIM_TYPES, { each: true })
  claimTypes: string[];
}

export class AddBodyMemberDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty(CERTIFIER_ROLE_SCHEMA) @IsIn(['certifier', 'lead_certifier']) role:
    'certifier' | 'lead_certifier';
}

/** Platform administration: certification bodies and their members. */
@ApiTags('admin')
@Controller('admin/certification-bodies')
export class AdminController {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Access.platformAdmin()
  @ApiOperation({ summary: 'Create a certification body with the claim types it accepts' })
  @ApiCreatedResponse({ type: CertificationBodyView })
  create(@Body() dto: CreateCertificationBodyDto): Promise<CertificationBodyView> {
    return this.db.system(async (em) => {
      const body = em.create(CertificationBodyEntity, {
        id: randomUUID(),
        name: dto.name,
        claimTypes: [...new Set(dto.claimTypes)],
      });
      await em.insert(CertificationBodyEntity, body);
      await this.audit.record(em, null, {
        action: 'certification_body.created',
        entityType: 'certification_body',
        entityId: body.id,
        summary: { after: { name: body.name, claimTypes: body.claimTypes } },
      });
      return body;
    });
  }

  @Get()
  @Access.platformAdmin()
  @ApiOkResponse({ type: CertificationBodyView, isArray: true })
  list(): Promise<CertificationBodyView[]> {
    return this.db.system((em) => em.find(CertificationBodyEntity, { order: { name: 'ASC' } }));
  }

  @Post(':bodyId/members')
  @Access.platformAdmin()
  @ApiOperation({
    summary:
      'Invite a certifier by e-mail: the token is e-mailed to the address and accepted (POST /invitations/accept) only by a verified account of that address',
  })
  @ApiCreatedResponse({ type: CertifierInvitationSent })
  async addMember(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @Body() dto: AddBodyMemberDto,
  ): Promise<CertifierInvitationSent> {
    const email = dto.email.trim().toLowerCase();
    const token = randomToken();
    const expiresAt = new Date(Date.now() + BODY_INVITATION_DAYS * 86400_000);
    const body = await this.db.system(async (em) => {
      const found = await em.findOneBy(CertificationBodyEntity, { id: bodyId });
      if (!found) throw new NotFoundError('Certification body', bodyId);
      const members: unknown[] = await em.query(
        'SELECT 1 FROM certification_body_members m JOIN users u ON u.id = m.user_id WHERE m.body_id = $1 AND lower(u.email) = $2',
        [bodyId, email],
      );
      if (members.length)
        throw new ConflictError(`${email} is already a member of ${found.name}.`, 'already_member');
      // A new invitation replaces an open one (and its token) for the same address.
      await em.upsert(
        CertificationBodyInvitationEntity,
        {
          bodyId,
          email,
          role: dto.role,
          acceptedAt: null,
          acceptedBy: null,
          tokenHash: sha256(token),
          expiresAt,
        },
        ['bodyId', 'email'],
      );
      await this.audit.record(em, null, {
        action: 'certification_body.member_invited',
        entityType: 'certification_body',
        entityId: bodyId,
        summary: { email, role: dto.role },
      });
      return found;
    });
    await this.mailer.send({
      to: email,
      subject: `You are invited to certify for ${body.name} on Halve`,
      text:
        `Accept at ${this.config.publicUrl}/invitations/accept?token=${token} (valid ${BODY_INVITATION_DAYS} days), ` +
        `logged in with ${email} and with the address confirmed.`,
    });
    return { status: 'invited', email, role: dto.role, expiresAt };
  }
}

/** Public list of certification bodies (name and claim types), for an organisation choosing where to submit. */
@ApiTags('certification')
@Controller('certification-bodies')
export class CertificationBodiesController {
  constructor(private readonly db: Db) {}

  @Get()
  @Access.user()
  @ApiOkResponse({ type: CertificationBodyView, isArray: true })
  list(): Promise<CertificationBodyView[]> {
    return this.db.system((em) => em.find(CertificationBodyEntity, { order: { name: 'ASC' } }));
  }
}
