import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, Validate } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALL_ROLES,
  Access,
  BadInputError,
  IsIanaZone,
  RequestContext,
  WRITE_ROLES,
  uuidParam,
} from '@halve/platform';
import {
  CreateMeterDto,
  CreateSiteDto,
  PushReadingsDto,
  UpdateMeterDto,
  UpdateSiteDto,
} from './dto/metering.dto';
import {
  MeterImportAccepted,
  MeterImportReport,
  MeterQualityReport,
  MeterReadingSeries,
  MeterView,
  SiteView,
  SiteWeatherCoverage,
  SiteWeatherDeleted,
  SiteWeatherSeries,
} from './dto/metering.responses';
import { ImportsService, UploadedFileRef } from './imports.service';
import { MeterUsageService } from './meter-usage.service';
import { ReadingsService, anyTimeRange } from './readings.service';
import { SitesService } from './sites.service';
import { UploadCleanupInterceptor } from './upload-cleanup.interceptor';

/** Multipart fields of an upload (strings). */
export class ImportFieldsDto {
  @ApiPropertyOptional({ enum: ['auto', 'csv', 'xlsx', 'green_button'] })
  @IsOptional()
  @IsIn(['auto', 'csv', 'xlsx', 'green_button'])
  format?: 'auto' | 'csv' | 'xlsx' | 'green_button';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) timestampColumn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) timeColumn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) valueColumn?: string;
  @ApiPropertyOptional() @IsOptional() @Validate(IsIanaZone) timezone?: string;
  @ApiPropertyOptional({ description: 'unit of the values in the file, e.g. Wh, kWh, MWh, m3, therm' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) sheet?: string;
  @ApiPropertyOptional({ enum: ['dmy', 'mdy'] }) @IsOptional() @IsIn(['dmy', 'mdy']) dateOrder?:
    'dmy' | 'mdy';
  @ApiPropertyOptional({ enum: ['start', 'end'] }) @IsOptional() @IsIn(['start', 'end']) timestampPosition?:
    'start' | 'end';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) seriesId?: string;
  @ApiPropertyOptional({ description: 'wide uploads: JSON object {"column": "meterId"}' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  columns?: string;
}

export class RangeQueryDto {
  @ApiPropertyOptional({ description: 'date (midnight in the site zone) or ISO date-time; inclusive' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;
  @ApiPropertyOptional({ description: 'exclusive' }) @IsOptional() @IsString() @MaxLength(40) to?: string;
}

export class ReadingsQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({ enum: ['raw', 'hour', 'day', 'month'] })
  @IsOptional()
  @Matches(/^(raw|hour|day|month)$/, { message: 'resolution must be raw, hour, day or month' })
  resolution?: string;
}

export class MeterListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteId?: string;
}

export class ImportListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() meterId?: string;
}

const fileBody = {
  schema: {
    type: 'object',
    properties: {
      file: { type: 'string', format: 'binary' },
      format: { type: 'string' },
      timestampColumn: { type: 'string' },
      valueColumn: { type: 'string' },
      timezone: { type: 'string' },
      unit: { type: 'string' },
    },
  },
};

function fileRef(file: Express.Multer.File | undefined): UploadedFileRef | undefined {
  return file ? { path: file.path, originalname: file.originalname, size: file.size } : undefined;
}

function options(fields: ImportFieldsDto) {
  const { columns, ...rest } = fields;
  if (columns === undefined) return rest;
  let parsed: unknown;
  try {
    parsed = JSON.parse(columns);
  } catch {
    throw new BadInputError('columns must be a JSON object such as {"Main kWh": "<meterId>"}.', [
      { field: 'columns', message: 'not JSON' },
    ]);
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((v) => typeof v !== 'string')
  ) {
    throw new BadInputError('columns must map column names to meter ids.', [
      { field: 'columns', message: 'not an object of strings' },
    ]);
  }
  return { ...rest, columns: parsed as Record<string, string> };
}

/** What every import promises, in the API description (README: "What happens when things fail"). */
const IMPORT_RULES = [
  'Overlapping periods: a later import replaces the values it carries for the timestamps it covers; an empty cell (or a null value) keeps the stored value and is counted as missing.',
  'The upload is acknowledged (202) once the file and its job are stored; the job runs to an end state — succeeded or failed, with its reason — even across crashes, restarts and outages (attempts back off and the import says when the next one is).',
  'A failed import leaves the stored readings exactly as they were.',
].join(' ');

@ApiTags('metering')
@Controller('orgs/:orgId')
export class MeteringController {
  constructor(
    private readonly sites: SitesService,
    private readonly imports: ImportsService,
    private readonly readings: ReadingsService,
    private readonly usage: MeterUsageService,
  ) {}

  // ---- sites ----
  @Post('sites')
  @Access.org(WRITE_ROLES)
  @ApiCreatedResponse({ type: SiteView })
  createSite(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: CreateSiteDto,
  ): Promise<SiteView> {
    return this.sites.createSite(orgId, dto);
  }

  @Get('sites')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: SiteView, isArray: true })
  listSites(@uuidParam('orgId', 'Organization') orgId: string): Promise<SiteView[]> {
    return this.sites.listSites(orgId);
  }

  @Get('sites/:siteId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: SiteView })
  getSite(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<SiteView> {
    return this.sites.getSite(orgId, siteId);
  }

  @Put('sites/:siteId')
  @Access.org(WRITE_ROLES)
  @ApiOkResponse({ type: SiteView })
  updateSite(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Body() dto: UpdateSiteDto,
  ): Promise<SiteView> {
    return this.sites.updateSite(orgId, siteId, dto);
  }

  @Delete('sites/:siteId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'The site is deleted' })
  async deleteSite(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<void> {
    await this.sites.deleteSite(orgId, siteId);
  }

  @Post('sites/:siteId/weather')
  @HttpCode(202)
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileBody)
  @ApiOperation({
    summary:
      'Import hourly weather (temperature, GHI, cloud cover, wind speed) from a CSV; same report as meter imports. Rows are stored as in the file; the site’s weatherTimestamps says what their timestamps mean (start, end or instant)',
  })
  @ApiAcceptedResponse({ type: MeterImportAccepted })
  @UseInterceptors(FileInterceptor('file'), UploadCleanupInterceptor)
  importWeather(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @UploadedFile() file: Express.Multer.File,
    @Body() fields: ImportFieldsDto,
  ): Promise<MeterImportAccepted> {
    return this.imports.create(
      orgId,
      { kind: 'weather', siteId },
      fileRef(file),
      options(fields),
      RequestContext.current().userId,
    );
  }

  @Get('sites/:siteId/weather')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The site’s weather rows as imported (timestamps as in the files); forecasts, M&V and site analysis read them as the site’s weatherTimestamps says',
  })
  @ApiOkResponse({ type: SiteWeatherSeries })
  async weather(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Query() q: RangeQueryDto,
  ): Promise<SiteWeatherSeries> {
    const site = await this.sites.getSite(orgId, siteId);
    const range = anyTimeRange(q, site.timezone);
    return { siteId, points: await this.usage.weather(orgId, siteId, range, { asImported: true }) };
  }

  @Delete('sites/:siteId/weather')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Deletes the site’s weather rows from `from` (inclusive) to `to` (exclusive), timestamps as imported and local dates in the site’s zone; without them, every row. Import again to replace them: an import only fills in values, it never clears one',
  })
  @ApiOkResponse({ type: SiteWeatherDeleted })
  async deleteWeather(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Query() q: RangeQueryDto,
  ): Promise<SiteWeatherDeleted> {
    return { siteId, ...(await this.sites.deleteWeather(orgId, siteId, q)) };
  }

  @Get('sites/:siteId/weather/coverage')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'What the site’s imported weather holds: how many rows, the first and last timestamps as imported, and the rows with each value (temperature, GHI, cloud cover, wind speed)',
  })
  @ApiOkResponse({ type: SiteWeatherCoverage })
  async weatherCoverage(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<SiteWeatherCoverage> {
    await this.sites.getSite(orgId, siteId);
    return { siteId, ...(await this.usage.weatherCoverage(orgId, siteId)) };
  }

  // ---- meters ----
  @Post('meters')
  @Access.org(WRITE_ROLES)
  @ApiCreatedResponse({ type: MeterView })
  createMeter(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Body() dto: CreateMeterDto,
  ): Promise<MeterView> {
    return this.sites.createMeter(orgId, dto);
  }

  @Get('meters')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: MeterView, isArray: true })
  listMeters(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Query() q: MeterListQueryDto,
  ): Promise<MeterView[]> {
    return this.sites.listMeters(orgId, q.siteId);
  }

  @Get('meters/:meterId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: MeterView })
  getMeter(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
  ): Promise<MeterView> {
    return this.sites.getMeter(orgId, meterId);
  }

  @Put('meters/:meterId')
  @Access.org(WRITE_ROLES)
  @ApiOkResponse({ type: MeterView })
  updateMeter(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Body() dto: UpdateMeterDto,
  ): Promise<MeterView> {
    return this.sites.updateMeter(orgId, meterId, dto);
  }

  @Delete('meters/:meterId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'The meter and its readings are deleted' })
  async deleteMeter(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
  ): Promise<void> {
    await this.sites.deleteMeter(orgId, meterId);
  }

  // ---- imports ----
  @Post('meters/:meterId/imports')
  @HttpCode(202)
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileBody)
  @ApiOperation({
    summary: 'Upload a meter file (CSV, XLSX, Green Button XML) → 202 {importId, jobId}',
    description: IMPORT_RULES,
  })
  @ApiAcceptedResponse({ type: MeterImportAccepted })
  @UseInterceptors(FileInterceptor('file'), UploadCleanupInterceptor)
  importMeterFile(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @UploadedFile() file: Express.Multer.File,
    @Body() fields: ImportFieldsDto,
  ): Promise<MeterImportAccepted> {
    return this.imports.create(
      orgId,
      { kind: 'meter', meterId },
      fileRef(file),
      options(fields),
      RequestContext.current().userId,
    );
  }

  @Post('imports')
  @HttpCode(202)
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      'Upload a wide file with one column per meter (field "columns" maps columns to meters, or meters\' sourceColumn)',
    description: IMPORT_RULES,
  })
  @ApiAcceptedResponse({ type: MeterImportAccepted })
  @UseInterceptors(FileInterceptor('file'), UploadCleanupInterceptor)
  importWide(
    @uuidParam('orgId', 'Organization') orgId: string,
    @UploadedFile() file: Express.Multer.File,
    @Body() fields: ImportFieldsDto,
  ): Promise<MeterImportAccepted> {
    return this.imports.create(
      orgId,
      { kind: 'wide' },
      fileRef(file),
      options(fields),
      RequestContext.current().userId,
    );
  }

  @Get('imports')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: MeterImportReport, isArray: true, description: 'the newest 100' })
  listImports(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Query() q: ImportListQueryDto,
  ): Promise<MeterImportReport[]> {
    return this.imports.list(orgId, q.meterId);
  }

  @Get('imports/:importId')
  @Access.org(ALL_ROLES, 'readings:write')
  @ApiOkResponse({ type: MeterImportReport })
  getImport(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('importId', 'Import') importId: string,
  ): Promise<MeterImportReport> {
    return this.imports.get(orgId, importId);
  }

  // ---- readings ----
  @Post('meters/:meterId/readings')
  @Access.org(WRITE_ROLES, 'readings:write')
  @ApiOperation({
    summary: 'Push readings as JSON (bearer token or API key with readings:write); answers the import report',
    description: IMPORT_RULES,
  })
  @ApiCreatedResponse({
    type: MeterImportReport,
    description: 'the import report of the push (stored at once)',
  })
  push(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Body() dto: PushReadingsDto,
  ): Promise<MeterImportReport> {
    const ctx = RequestContext.current();
    return this.readings.push(orgId, meterId, dto, { userId: ctx.userId, apiKeyId: ctx.apiKeyId });
  }

  @Get('meters/:meterId/readings')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary:
      'Readings in [from, to) at raw, hour, day or month resolution (local calendar) → {unit, points: [{ts, value}]}',
  })
  @ApiOkResponse({ type: MeterReadingSeries })
  getReadings(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Query() q: ReadingsQueryDto,
  ): Promise<MeterReadingSeries> {
    return this.readings.readings(orgId, meterId, q);
  }

  @Get('meters/:meterId/quality')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({ summary: 'Coverage, gaps, flat-lines, spikes and negative values in [from, to)' })
  @ApiOkResponse({ type: MeterQualityReport })
  quality(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Query() q: RangeQueryDto,
  ): Promise<MeterQualityReport> {
    return this.readings.quality(orgId, meterId, q);
  }
}
