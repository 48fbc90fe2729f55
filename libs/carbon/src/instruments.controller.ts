import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateInstrumentDto } from './dto/carbon.dto';
import { InstrumentView, RecordedInstrumentView } from './dto/carbon.responses';

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
  @ApiCreatedResponse({ type: RecordedInstrumentView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateInstrumentDto,
  ): Promise<RecordedInstrumentView> {
    return this.data.createInstrument(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: InstrumentView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<InstrumentView[]> {
    return this.data.instruments(RequestContext.tenantId());
  }

  @Get(':instrumentId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: InstrumentView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('instrumentId', 'Instrument') id: string,
  ): Promise<InstrumentView> {
    return this.data.instrument(RequestContext.tenantId(), id);
  }

  @Delete(':instrumentId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Delete an instrument and release its serials' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('instrumentId', 'Instrument') id: string,
  ): Promise<void> {
    await this.data.deleteInstrument(RequestContext.tenantId(), id);
  }
}
