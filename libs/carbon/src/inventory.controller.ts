import { Body, Controller, Get, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { HourlyQuery, OptionalPeriodQuery, PeriodQuery, RecalculationDto } from './dto/carbon.dto';
import {
  GhgInventoryView,
  HourlyScope2View,
  InventoryRecalculationView,
  InventorySnapshotView,
} from './dto/inventory.responses';
import { InventoryService } from './inventory.service';
import { inventoryCsv, inventoryPdf, inventoryXlsx } from './reports/inventory-report';

/** A download: the document declares its media type and a binary body. */
const fileResponse = (type: string, description: string) =>
  ApiOkResponse({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fileName = (from: string, to: string, ext: string) => `ghg-inventory-${from}-${to}.${ext}`;

@ApiTags('carbon')
@Controller('orgs/:orgId/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The GHG inventory for [from, to) (dates at midnight in the organisation’s zone): Scope 1, Scope 2 location- and market-based, Scope 3, every line with its factor',
  })
  @ApiOkResponse({ type: GhgInventoryView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: PeriodQuery,
  ): Promise<GhgInventoryView> {
    return this.inventory.inventory(RequestContext.tenantId(), q.from, q.to);
  }

  @Get('report.csv')
  @Access.org(ALL_ROLES)
  @ApiProduces('text/csv')
  @fileResponse('text/csv', 'The inventory lines as CSV (attachment)')
  async csv(@uuidParam('orgId', 'Organization') _orgId: string, @Query() q: PeriodQuery) {
    const inv = await this.inventory.inventory(RequestContext.tenantId(), q.from, q.to);
    return new StreamableFile(Buffer.from(inventoryCsv(inv), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName(q.from, q.to, 'csv')}"`,
    });
  }

  @Get('report.xlsx')
  @Access.org(ALL_ROLES)
  @ApiProduces(XLSX)
  @fileResponse(XLSX, 'The inventory as an Excel workbook (attachment)')
  async xlsx(@uuidParam('orgId', 'Organization') _orgId: string, @Query() q: PeriodQuery) {
    const input = await this.inventory.reportInput(RequestContext.tenantId(), q.from, q.to);
    return new StreamableFile(await inventoryXlsx(input), {
      type: XLSX,
      disposition: `attachment; filename="${fileName(q.from, q.to, 'xlsx')}"`,
    });
  }

  @Get('report.pdf')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The inventory as a GHG Protocol corporate inventory report (boundary, methods, factors, both Scope 2 figures, base year, exclusions)',
  })
  @ApiProduces('application/pdf')
  @fileResponse('application/pdf', 'The report as PDF (attachment)')
  async pdf(@uuidParam('orgId', 'Organization') _orgId: string, @Query() q: PeriodQuery) {
    const input = await this.inventory.reportInput(RequestContext.tenantId(), q.from, q.to);
    return new StreamableFile(await inventoryPdf(input), {
      type: 'application/pdf',
      disposition: `attachment; filename="${fileName(q.from, q.to, 'pdf')}"`,
    });
  }

  @Get('hourly-scope2')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Hourly location-based Scope 2 and the 24/7 carbon-free-energy share from interval data and hourly grid intensity',
  })
  @ApiOkResponse({ type: HourlyScope2View })
  hourly(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: HourlyQuery,
  ): Promise<HourlyScope2View> {
    return this.inventory.hourlyScope2(RequestContext.tenantId(), {
      from: q.from,
      to: q.to,
      siteId: q.siteId,
      includeHours: q.includeHours === 'true',
    });
  }

  @Post('recalculations')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Recalculate and store the inventory with the factor versions it used; the previous result is kept and the difference shown',
  })
  @ApiCreatedResponse({ type: InventoryRecalculationView })
  recalculate(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: RecalculationDto,
  ): Promise<InventoryRecalculationView> {
    return this.inventory.recalculate(RequestContext.tenantId(), dto);
  }

  @Get('recalculations')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({
    type: InventorySnapshotView,
    isArray: true,
    description: 'Stored inventories, newest first',
  })
  recalculations(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: OptionalPeriodQuery,
  ): Promise<InventorySnapshotView[]> {
    return this.inventory.snapshots(
      RequestContext.tenantId(),
      q.from && q.to ? { from: q.from, to: q.to } : undefined,
    );
  }
}
