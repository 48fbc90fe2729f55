import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, uuidParam } from '@halve/platform';
import { CertifierService } from './certifier.service';
import { BodyClaimsQueryDto, CertifierTransitionDto, RevokeCertificateDto } from './dto/certification.dto';
import {
  BodyClaimSummaryView,
  BodyClaimView,
  CertificateView,
  ClaimIntegrityView,
  EVIDENCE_MEDIA_TYPES,
  binaryContent,
} from './dto/certification.responses';

/** A certification body's work: the claims submitted to it, reviews, decisions and certificates. */
@ApiTags('certification')
@Controller('certification-bodies/:bodyId')
export class CertifierController {
  constructor(private readonly certifier: CertifierService) {}

  @Get('claims')
  @Access.certifier()
  @ApiOperation({
    summary: 'Claims submitted to this body, across organisations (nothing else of those organisations)',
  })
  @ApiOkResponse({ type: BodyClaimSummaryView, isArray: true })
  list(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @Query() q: BodyClaimsQueryDto,
  ): Promise<BodyClaimSummaryView[]> {
    return this.certifier.list(bodyId, q.status);
  }

  @Get('claims/:claimId')
  @Access.certifier()
  @ApiOperation({
    summary: 'A claim with its evidence snapshot, documents, checklist, transitions, reviews and certificate',
  })
  @ApiOkResponse({ type: BodyClaimView })
  get(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<BodyClaimView> {
    return this.certifier.get(bodyId, claimId);
  }

  @Get('claims/:claimId/evidence/:evidenceId')
  @Access.certifier()
  @ApiProduces(...EVIDENCE_MEDIA_TYPES)
  @ApiOkResponse({ description: 'The document (attachment)', content: binaryContent(EVIDENCE_MEDIA_TYPES) })
  async evidenceFile(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<StreamableFile> {
    const row = await this.certifier.evidenceFile(bodyId, claimId, evidenceId);
    return new StreamableFile(row.content, {
      type: row.contentType,
      disposition: `attachment; filename="${row.filename.replace(/["\\\r\n]/g, '_')}"`,
    });
  }

  @Get('claims/:claimId/verification')
  @Access.certifier()
  @ApiOperation({
    summary:
      'Re-hash the stored evidence snapshot and documents and compare with the recorded and certified hashes',
  })
  @ApiOkResponse({ type: ClaimIntegrityView })
  verification(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<ClaimIntegrityView> {
    return this.certifier.verification(bodyId, claimId);
  }

  @Post('claims/:claimId/transitions')
  @HttpCode(200)
  @Access.certifier()
  @ApiOperation({
    summary:
      'Take into review, request changes (findings), approve (assurance level; issues the certificate) or reject (statement)',
  })
  @ApiOkResponse({ type: BodyClaimView })
  transition(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @Body() dto: CertifierTransitionDto,
  ): Promise<BodyClaimView> {
    return this.certifier.transition(bodyId, claimId, dto);
  }

  @Get('certificates')
  @Access.certifier()
  @ApiOkResponse({ type: CertificateView, isArray: true })
  certificates(@uuidParam('bodyId', 'Certification body') bodyId: string): Promise<CertificateView[]> {
    return this.certifier.certificates(bodyId);
  }

  @Post('certificates/:number/revoke')
  @HttpCode(200)
  @Access.certifier()
  @ApiOperation({
    summary: 'Revoke a certificate of this body with a reason; public verification shows it revoked at once',
  })
  @ApiOkResponse({ type: CertificateView })
  revoke(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @Param('number') number: string,
    @Body() dto: RevokeCertificateDto,
  ): Promise<CertificateView> {
    return this.certifier.revoke(bodyId, number, dto.reason);
  }
}
