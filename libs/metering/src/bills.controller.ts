import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Post,
  Query,
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
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { BillsService } from './bills.service';
import { BillFileResult, CreateBillDto, UtilityBillView } from './dto/bills.dto';
import { UploadCleanupInterceptor } from './upload-cleanup.interceptor';
import { requireUpload } from './upload-files';

/** Multipart fields of a bills file. */
export class BillFileFieldsDto {
  @ApiPropertyOptional({ description: 'the meter of a Green Button feed (a CSV/XLSX names it per row)' })
  @IsOptional()
  @IsUUID()
  meterId?: string;
}

export class BillListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() meterId?: string;
}

const BILL_RULES = [
  'The period is local dates of the meter’s site, both included (15 Jan – 14 Feb is 31 days).',
  'A period that crosses months is split by days: each calendar day gets an equal share of the quantity.',
  'On a meter without interval data the bill becomes the meter’s readings (one per month share) and so its inventory; a period that overlaps the meter’s readings or another bill is refused.',
  'On a meter with interval data the interval data counts; the bill is reconciled against it and flagged when they differ by more than 2 %.',
].join(' ');

@ApiTags('metering')
@Controller('orgs/:orgId/bills')
export class BillsController {
  constructor(private readonly bills: BillsService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Enter a utility bill of an electricity or gas meter', description: BILL_RULES })
  @ApiCreatedResponse({ type: UtilityBillView })
  create(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: CreateBillDto,
  ): Promise<UtilityBillView> {
    return this.bills.create(orgId, dto, RequestContext.current().userId ?? null);
  }

  @Post('file')
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, meterId: { type: 'string', format: 'uuid' } },
    },
  })
  @ApiOperation({
    summary:
      'Enter bills from a CSV or XLSX file (or a Green Button billing feed with meterId), one row per bill; all or nothing (a bad line refuses the file, naming each line)',
    description: `Columns by header: meterId (or, for a business without a meter, commodity electricity/gas with optional siteId or supplyAddress: the site and a bill-period meter are found or made as for a single bill), periodFrom, periodTo, quantity, unit; optional supplier, account, cost, currency, tariffName, renewableCertificate. ${BILL_RULES}`,
  })
  @ApiCreatedResponse({ type: BillFileResult })
  @UseInterceptors(FileInterceptor('file'), UploadCleanupInterceptor)
  importFile(
    @uuidParam('orgId', 'Organization') orgId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: BillFileFieldsDto,
  ): Promise<BillFileResult> {
    return this.bills.importFile(
      orgId,
      requireUpload(file).path,
      RequestContext.current().userId ?? null,
      fields.meterId,
    );
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: UtilityBillView, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Query() q: BillListQueryDto,
  ): Promise<UtilityBillView[]> {
    return this.bills.list(orgId, q.meterId);
  }

  @Get(':billId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: UtilityBillView })
  get(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('billId', 'Bill') billId: string,
  ): Promise<UtilityBillView> {
    return this.bills.get(orgId, billId);
  }

  @Delete(':billId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'The bill and the readings it wrote are deleted' })
  async delete(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('billId', 'Bill') billId: string,
  ): Promise<void> {
    await this.bills.delete(orgId, billId);
  }
}
