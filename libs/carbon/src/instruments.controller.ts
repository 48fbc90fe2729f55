import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateInstrumentDto } from './dto/carbon.dto';

@ApiTags('carbon')
@Controller('orgs/:orgId/instruments')
export class InstrumentsController {
  constructor(private readonly data: CarbonDataService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Record a contractual instrument (REC, GO, REGO, I-REC, PPA, green tariff, supplier rate); serials claimed once across organisations (409 otherwise)',
  })
  create(@uuidParam('orgId', 'Organization') _orgId: string, @Body() dto: CreateInstrumentDto) {
    return this.data.createInstrument(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  list(@uuidParam('orgId', 'Organization') _orgId: string) {
    return this.data.instruments(RequestContext.tenantId());
  }

  @Get(':instrumentId')
  @Access.org(ALL_ROLES)
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('instrumentId', 'Instrument') id: string,
  ) {
    return this.data.instrument(RequestContext.tenantId(), id);
  }

  @Delete(':instrumentId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Delete an instrument and release its serials' })
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('instrumentId', 'Instrument') id: string,
  ) {
    await this.data.deleteInstrument(RequestContext.tenantId(), id);
  }
}
