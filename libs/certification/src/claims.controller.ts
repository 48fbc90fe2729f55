import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, DECIDE_ROLES, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { ClaimsService } from './claims.service';
import { CreateClaimDto, EvidenceFieldsDto, OrgTransitionDto, UpdateClaimDto } from './dto/certification.dto';
import {
  ClaimListItemView,
  ClaimTransitionView,
  ClaimVerificationView,
  ClaimView,
  EVIDENCE_MEDIA_TYPES,
  EvidenceDocumentView,
  binaryContent,
} from './dto/certification.responses';

const evidenceBody = {
  schema: {
    type: 'object',
    required: ['file', 'kind'],
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description: 'PDF, PNG, JPEG, CSV or XLSX (checked by content); 25 MB by default',
      },
      kind: {
        type: 'string',
        enum: ['bill', 'meter_export', 'certificate', 'retirement_receipt', 'management_plan', 'other'],
      },
      description: { type: 'string' },
    },
  },
};

const disposition = (name: string) => `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`;

/** An organisation's claims: drafting, evidence, submission and withdrawal, verification and the certificate. */
@ApiTags('certification')
@Controller('orgs/:orgId/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Draft a claim (renewable_share, emission_reduction, verified_savings, carbon_neutral) for a period, to a certification body that accepts its type',
  })
  @ApiCreatedResponse({ type: ClaimView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateClaimDto,
  ): Promise<ClaimView> {
    return this.claims.create(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: ClaimListItemView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<ClaimListItemView[]> {
    return this.claims.list(RequestContext.tenantId());
  }

  @Get(':claimId')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The claim with its figures (live while editable, with what is still missing; locked once submitted), evidence, reviews and certificate',
  })
  @ApiOkResponse({ type: ClaimView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<ClaimView> {
    return this.claims.get(RequestContext.tenantId(), claimId);
  }

  @Patch(':claimId')
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Edit a draft (or a claim with changes requested)' })
  @ApiOkResponse({ type: ClaimView })
  update(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @Body() dto: UpdateClaimDto,
  ): Promise<ClaimView> {
    return this.claims.update(RequestContext.tenantId(), claimId, dto);
  }

  @Post(':claimId/evidence')
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody(evidenceBody)
  @ApiOperation({
    summary:
      'Upload a document (multipart "file" with "kind" and an optional "description"); refused once the claim is submitted',
  })
  @ApiCreatedResponse({ type: EvidenceDocumentView })
  @UseInterceptors(FileInterceptor('file'))
  addEvidence(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: EvidenceFieldsDto,
  ): Promise<EvidenceDocumentView> {
    return this.claims.addEvidence(RequestContext.tenantId(), claimId, file, fields.kind, fields.description);
  }

  @Get(':claimId/evidence')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: EvidenceDocumentView, isArray: true })
  listEvidence(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<EvidenceDocumentView[]> {
    return this.claims.listEvidence(RequestContext.tenantId(), claimId);
  }

  @Get(':claimId/evidence/:evidenceId')
  @Access.org(ALL_ROLES)
  @ApiProduces(...EVIDENCE_MEDIA_TYPES)
  @ApiOkResponse({ description: 'The document (attachment)', content: binaryContent(EVIDENCE_MEDIA_TYPES) })
  async evidenceFile(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<StreamableFile> {
    const row = await this.claims.evidenceFile(RequestContext.tenantId(), claimId, evidenceId);
    return new StreamableFile(row.content, { type: row.contentType, disposition: disposition(row.filename) });
  }

  @Delete(':claimId/evidence/:evidenceId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteEvidence(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<void> {
    await this.claims.deleteEvidence(RequestContext.tenantId(), claimId, evidenceId);
  }

  @Post(':claimId/transitions')
  @HttpCode(200)
  @Access.org(DECIDE_ROLES)
  @ApiOperation({
    summary:
      'Submit (locks and hashes the evidence snapshot; also resubmits after changes were requested) or withdraw before a decision',
  })
  @ApiOkResponse({ type: ClaimView })
  transition(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @Body() dto: OrgTransitionDto,
  ): Promise<ClaimView> {
    return this.claims.transition(RequestContext.tenantId(), claimId, dto.to, dto.reason);
  }

  @Get(':claimId/transitions')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: ClaimTransitionView, isArray: true })
  transitions(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<ClaimTransitionView[]> {
    return this.claims.transitions(RequestContext.tenantId(), claimId);
  }

  @Get(':claimId/verification')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Re-hash the stored evidence snapshot and documents, compare with the recorded and certified hashes, and verify the audit chain',
  })
  @ApiOkResponse({ type: ClaimVerificationView })
  verification(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<ClaimVerificationView> {
    return this.claims.verification(RequestContext.tenantId(), claimId);
  }

  @Get(':claimId/certificate.pdf')
  @Access.org(ALL_ROLES)
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The certificate as PDF (attachment)',
    content: binaryContent(['application/pdf']),
  })
  async certificatePdf(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<StreamableFile> {
    const { number, pdf } = await this.claims.certificatePdf(RequestContext.tenantId(), claimId);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: disposition(`${number}.pdf`) });
  }
}
