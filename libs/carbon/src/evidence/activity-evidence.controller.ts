import {
  Controller,
  Delete,
  Get,
  HttpCode,
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
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { ActivityEvidenceService } from './activity-evidence.service';
import { ActivityEvidenceView } from './activity-evidence.responses';
import type { ActivityEvidenceEntity } from './activity-evidence.entity';
import { RECEIPT_MEDIA_TYPES } from './evidence-file';

const fileBody = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description: 'PDF, PNG or JPEG (checked by content); HALVE_EVIDENCE_LIMIT, 25 MB by default',
      },
    },
  },
};
const binary = {
  description: 'The document (attachment)',
  content: Object.fromEntries(
    RECEIPT_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
  ),
};

function download(row: ActivityEvidenceEntity): StreamableFile {
  return new StreamableFile(row.content, {
    type: row.contentType,
    disposition: `attachment; filename="${row.filename.replace(/["\\\r\n]/g, '_')}"`,
  });
}

/** The invoices and receipts behind an activity (footprint data), kept by the organisation. */
@ApiTags('carbon')
@Controller('orgs/:orgId/activities/:activityId/evidence')
export class ActivityEvidenceController {
  constructor(private readonly evidence: ActivityEvidenceService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileBody)
  @ApiOperation({
    summary:
      'Attach an invoice or receipt (multipart "file"): type judged by its bytes, SHA-256 kept; audited',
  })
  @ApiCreatedResponse({ type: ActivityEvidenceView })
  @UseInterceptors(FileInterceptor('file'))
  add(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') activityId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<ActivityEvidenceView> {
    return this.evidence.add(RequestContext.tenantId(), activityId, file);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: ActivityEvidenceView, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') activityId: string,
  ): Promise<ActivityEvidenceView[]> {
    return this.evidence.list(RequestContext.tenantId(), activityId);
  }

  @Get(':evidenceId')
  @Access.org(ALL_ROLES)
  @ApiProduces(...RECEIPT_MEDIA_TYPES)
  @ApiOkResponse(binary)
  async file(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') activityId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<StreamableFile> {
    return download(await this.evidence.content(RequestContext.tenantId(), activityId, evidenceId));
  }

  @Delete(':evidenceId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'Removed (audited)' })
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') activityId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<void> {
    await this.evidence.remove(RequestContext.tenantId(), activityId, evidenceId);
  }
}

/** A certifier's view of the footprint-data evidence behind a claim submitted to the body. */
@ApiTags('certification')
@Controller('certification-bodies/:bodyId/claims/:claimId/activity-evidence')
export class ClaimActivityEvidenceController {
  constructor(private readonly evidence: ActivityEvidenceService) {}

  @Get()
  @Access.certifier()
  @ApiOperation({
    summary:
      'The invoices and receipts of the activities whose period overlaps the claim’s (metadata, SHA-256)',
  })
  @ApiOkResponse({ type: ActivityEvidenceView, isArray: true })
  list(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
  ): Promise<ActivityEvidenceView[]> {
    return this.evidence.forClaim(bodyId, claimId);
  }

  @Get(':evidenceId')
  @Access.certifier()
  @ApiProduces(...RECEIPT_MEDIA_TYPES)
  @ApiOkResponse(binary)
  async file(
    @uuidParam('bodyId', 'Certification body') bodyId: string,
    @uuidParam('claimId', 'Claim') claimId: string,
    @uuidParam('evidenceId', 'Evidence') evidenceId: string,
  ): Promise<StreamableFile> {
    return download(await this.evidence.claimContent(bodyId, claimId, evidenceId));
  }
}
