import { Injectable } from '@nestjs/common';
import type { DemoSeeder } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { TargetsService } from './targets.service';

/**
 * The demo organisation's carbon data beside metering's meters (order 10): a few activities of the
 * campus's 2016 data year, a retired REC for part of the campus electricity, and an SBTi-paced target.
 */
@Injectable()
export class CarbonDemoSeeder implements DemoSeeder {
  readonly order = 50;
  readonly name = 'carbon: activities (gas, diesel, refrigerant, air travel, waste), a REC, an SBTi target';

  constructor(
    private readonly data: CarbonDataService,
    private readonly targets: TargetsService,
  ) {}

  async seed(tenantId: string): Promise<void> {
    const y = '2016';
    const activities = [
      {
        activity: 'natural_gas',
        quantity: '1250',
        unit: 'mmBtu',
        basis: 'gross' as const,
        periodFrom: `${y}-01-01`,
        periodTo: '2016-07-01',
        dataQuality: 1,
        description: 'Gas invoices Jan-Jun',
      },
      {
        activity: 'diesel',
        quantity: '840',
        unit: 'gallon_us',
        periodFrom: `${y}-01-01`,
        periodTo: '2017-01-01',
        dataQuality: 2,
        description: 'Fleet van fuel cards',
      },
      {
        activity: 'refrigerant',
        variant: 'r410a',
        quantity: '3.5',
        unit: 'kg',
        periodFrom: `${y}-05-01`,
        periodTo: `${y}-05-02`,
        dataQuality: 2,
        description: 'Chiller top-up (service report)',
      },
      {
        activity: 'business_travel_air',
        variant: 'long_haul',
        quantity: '18000',
        unit: 'passenger.mile',
        periodFrom: `${y}-03-01`,
        periodTo: `${y}-04-01`,
        dataQuality: 3,
        description: 'Conference flights',
      },
      {
        activity: 'waste',
        variant: 'mixed_msw.landfilled',
        quantity: '12',
        unit: 'short_ton',
        periodFrom: `${y}-01-01`,
        periodTo: '2017-01-01',
        dataQuality: 3,
        description: 'Hauler statements',
      },
    ];
    for (const a of activities)
      await this.data.createActivity(tenantId, { ...a, region: a.activity === 'refrigerant' ? 'GB' : 'US' });
    await this.data.createInstrument(tenantId, {
      type: 'REC',
      scheme: 'WREGIS',
      volumeMwh: '150',
      technology: 'solar',
      vintageFrom: `${y}-01-01`,
      vintageTo: '2017-01-01',
      region: 'CAMX',
      certificateIds: [`WREGIS-DEMO-${tenantId.slice(0, 8)}-0001-0150`],
      retired: true,
      evidence: 'Demo: WREGIS retirement report',
    });
    await this.targets.create(tenantId, {
      name: 'SBTi 1.5 °C near-term, Scopes 1+2 (market-based)',
      baseYear: 2016,
      targetYear: 2030,
    });
  }
}
