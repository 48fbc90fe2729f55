import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateTenantFactorDto, FactorSearchQuery } from './dto/carbon.dto';
import {
  EmissionFactorSearchView,
  FactorSelectionView,
  TenantEmissionFactorView,
} from './dto/carbon.responses';
import { EmissionFactorLibraryService } from './emission-factor-library.service';
import { CarbonError } from './factors/errors';
import { selectFactor } from './factors/select-factor';
import { normaliseUnit } from './factors/units';

@ApiTags('carbon')
@Controller('emission-factors')
export class EmissionFactorsController {
  constructor(private readonly library: EmissionFactorLibraryService) {}

  @Get()
  @Access.user()
  @ApiOperation({
    summary: 'The shared emission-factor library (read-only): filter by activity, region and year',
    description:
      'With activity, region and year, `selected` is the factor the inventory would use (nearest year / parent region as a named proxy).',
  })
  @ApiOkResponse({ type: EmissionFactorSearchView })
  async search(@Query() q: FactorSearchQuery): Promise<EmissionFactorSearchView> {
    const lib = await this.library.library();
    const year = q.year ? Number(q.year) : undefined;
    const all = await this.library.search({ activity: q.activity, region: q.region, year });
    const filtered = all.filter(
      (f) =>
        (!q.unit || f.unit === normaliseUnit(q.unit)) && (q.variant === undefined || f.variant === q.variant),
    );
    const limit = Math.min(Number(q.limit ?? 100) || 100, 1000);
    const offset = Number(q.offset ?? 0) || 0;
    let selected: FactorSelectionView | undefined = undefined;
    if (q.activity && q.region && q.year) {
      try {
        const sel = selectFactor(lib.factors, {
          activity: q.activity,
          region: q.region,
          year: Number(q.year),
          unit: q.unit,
          variant: q.variant,
        });
        selected = { factor: sel.factor, warnings: sel.warnings, isProxy: sel.isProxy };
      } catch (e) {
        if (!(e instanceof CarbonError)) throw e;
        selected = { factor: null, warnings: [{ code: e.carbonCode, message: e.message }], isProxy: false };
      }
    }
    return {
      libraryVersion: lib.version,
      total: filtered.length,
      limit,
      offset,
      factors: filtered.slice(offset, offset + limit),
      ...(selected ? { selected } : {}),
    };
  }
}

@ApiTags('carbon')
@Controller('orgs/:orgId/emission-factors')
export class TenantEmissionFactorsController {
  constructor(private readonly data: CarbonDataService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      "Add the organisation's own factor (e.g. supplier-specific) with its source and evidence; the shared library is never changed",
  })
  @ApiCreatedResponse({ type: TenantEmissionFactorView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateTenantFactorDto,
  ): Promise<TenantEmissionFactorView> {
    return this.data.createTenantFactor(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: TenantEmissionFactorView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<TenantEmissionFactorView[]> {
    return this.data.tenantFactors(RequestContext.tenantId());
  }
}
