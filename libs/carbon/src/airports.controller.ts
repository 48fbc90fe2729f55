import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@halve/platform';
import { airports } from './data-input/airports';
import { AirportView } from './dto/activity-entry.responses';

/** The airports a flight can be entered by (libs/carbon/data/airports, OurAirports, public domain). */
@ApiTags('carbon')
@Controller('airports')
export class AirportsController {
  @Get()
  @Access.user()
  @ApiOperation({
    summary:
      'The airports a flight can be entered by: IATA code, name, city, country, position (OurAirports, public domain)',
  })
  @ApiOkResponse({ type: AirportView, isArray: true })
  list(): Promise<AirportView[]> {
    return Promise.resolve([...airports().values()]);
  }
}
