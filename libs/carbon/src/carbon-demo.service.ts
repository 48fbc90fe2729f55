import { Injectable } from '@nestjs/common';
import type { DemoSeeder } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { demoLedgerCsv } from './carbon-demo-ledger';
import type { CreateActivityDto } from './dto/carbon.dto';
import { SpendLedgerService } from './spend/spend-ledger.service';
import { TargetsService } from './targets.service';

/** The campus's two years of readings: 2016 is the target's base year, 2017 the demo's reporting year. */
export const DEMO_BASE_YEAR = 2016;
export const DEMO_REPORTING_YEAR = 2017;

/** Berkeley-Sacramento by Amtrak's Capitol Corridor: about 78 route miles. */
export const BERKELEY_SACRAMENTO_RAIL_MILES = 78;

/** An activity of the demo: a CreateActivityDto whose flights carry no quantity or unit. */
type DemoActivity = Omit<CreateActivityDto, 'quantity' | 'unit'> & { quantity?: string; unit?: string };

/**
 * Pure: the activities of one year of the demo organisation (the same invoices' quantities each year,
 * so a change between the years comes from the real meter data and the certificates, not from here).
 * The campus's gas is not here: it comes as quarterly bills (metering's bill-demo.ts), its meter data.
 * Every line is priced by the shipped factor library (EPA GHG Emission Factors Hub 2024, DESNZ 2024).
 */
export function demoActivities(year: number): DemoActivity[] {
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  return [
    {
      activity: 'diesel',
      quantity: '840',
      unit: 'gallon_us',
      periodFrom: from,
      periodTo: to,
      dataQuality: 2,
      description: 'Fleet van fuel cards',
    },
    {
      activity: 'refrigerant',
      variant: 'r410a',
      quantity: '3.5',
      unit: 'kg',
      periodFrom: `${year}-05-01`,
      periodTo: `${year}-05-02`,
      dataQuality: 2,
      description: 'Chiller top-up (service report)',
    },
    // two flights by airports, priced as DESNZ prices flights (great circle + 8 %, class, radiative forcing)
    {
      activity: 'business_travel_air',
      flight: { from: 'SFO', to: 'JFK', cabinClass: 'economy' as const, returnTrip: true, passengers: 2 },
      region: 'GB',
      periodFrom: `${year}-02-14`,
      periodTo: `${year}-02-18`,
      dataQuality: 2,
      description: 'Flight SFO-JFK return, 2 staff (client workshop)',
    },
    {
      activity: 'business_travel_air',
      flight: { from: 'SFO', to: 'SEA', cabinClass: 'economy' as const, returnTrip: true, passengers: 1 },
      region: 'GB',
      periodFrom: `${year}-03-09`,
      periodTo: `${year}-03-11`,
      dataQuality: 2,
      description: 'Flight SFO-SEA return (supplier visit)',
    },
    {
      activity: 'business_travel_rail',
      variant: 'intercity_rail_other_routes',
      quantity: String(12 * 2 * BERKELEY_SACRAMENTO_RAIL_MILES),
      unit: 'passenger.mile',
      periodFrom: from,
      periodTo: to,
      dataQuality: 2,
      description: `Amtrak Capitol Corridor Berkeley-Sacramento, 12 returns (12 × 2 × ${BERKELEY_SACRAMENTO_RAIL_MILES} mi)`,
    },
    {
      activity: 'waste',
      variant: 'mixed_msw.landfilled',
      quantity: '12',
      unit: 'short_ton',
      periodFrom: from,
      periodTo: to,
      dataQuality: 3,
      description: 'Hauler statements',
    },
  ];
}

/** Pure: the retired WREGIS REC of one year for part of the campus electricity (150 MWh, serials per year). */
export function demoRec(tenantId: string, year: number) {
  const first = (year - DEMO_BASE_YEAR) * 150 + 1;
  const serial = (n: number) => String(n).padStart(4, '0');
  return {
    type: 'REC' as const,
    scheme: 'WREGIS',
    volumeMwh: '150',
    technology: 'solar' as const,
    vintageFrom: `${year}-01-01`,
    vintageTo: `${year + 1}-01-01`,
    region: 'CAMX',
    certificateIds: [`WREGIS-DEMO-${tenantId.slice(0, 8)}-${serial(first)}-${serial(first + 149)}`],
    retired: true,
    evidence: 'Demo: WREGIS retirement report',
  };
}

/**
 * The demo organisation's carbon data beside metering's meters (order 10): the activities of the
 * campus's two data years (2016, the base year, and 2017, the reporting year, when metering's PV array
 * also generates), a retired REC each year for part of the campus electricity, and an SBTi-paced target.
 */
@Injectable()
export class CarbonDemoSeeder implements DemoSeeder {
  readonly order = 50;
  readonly name = `carbon: activities (diesel, refrigerant, flights, rail, waste) and a REC in ${DEMO_BASE_YEAR} and ${DEMO_REPORTING_YEAR}, the ${DEMO_REPORTING_YEAR} purchase ledger, an SBTi target`;

  constructor(
    private readonly data: CarbonDataService,
    private readonly targets: TargetsService,
    private readonly spend: SpendLedgerService,
  ) {}

  async seed(tenantId: string): Promise<void> {
    for (const year of [DEMO_BASE_YEAR, DEMO_REPORTING_YEAR]) {
      for (const a of demoActivities(year))
        // a flight has no quantity or unit: the API works them out from the airports, as for a user's entry
        await this.data.createActivity(tenantId, {
          ...a,
          region: a.region ?? (a.activity === 'refrigerant' ? 'GB' : 'US'),
        } as CreateActivityDto);
      await this.data.createInstrument(tenantId, demoRec(tenantId, year));
    }
    // after the activities: the ledger's fuel and travel lines they cover are excluded, not counted twice
    const buffer = Buffer.from(demoLedgerCsv(DEMO_REPORTING_YEAR));
    await this.spend.upload(
      tenantId,
      {
        buffer,
        originalname: `ledger-${DEMO_REPORTING_YEAR}.csv`,
        size: buffer.length,
      } as Express.Multer.File,
      { currency: 'USD', format: 'generic' },
    );
    await this.targets.create(tenantId, {
      name: 'SBTi 1.5 °C near-term, Scopes 1+2 (market-based)',
      baseYear: DEMO_BASE_YEAR,
      targetYear: 2030,
    });
  }
}
