import { Injectable } from '@nestjs/common';
import type { DemoSeeder } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { TargetsService } from './targets.service';

/** The campus's two years of readings: 2016 is the target's base year, 2017 the demo's reporting year. */
export const DEMO_BASE_YEAR = 2016;
export const DEMO_REPORTING_YEAR = 2017;

/**
 * Pure: the activities of one year of the demo organisation (the same invoices' quantities each year,
 * so a change between the years comes from the real meter data and the certificates, not from here).
 * Every line is priced by the shipped factor library (EPA GHG Emission Factors Hub 2024, DESNZ 2024).
 */
export function demoActivities(year: number) {
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  return [
    {
      activity: 'natural_gas',
      quantity: '1250',
      unit: 'mmBtu',
      basis: 'gross' as const,
      periodFrom: from,
      periodTo: `${year}-07-01`,
      dataQuality: 1,
      description: 'Gas invoices Jan-Jun',
    },
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
    {
      activity: 'business_travel_air',
      variant: 'long_haul',
      quantity: '18000',
      unit: 'passenger.mile',
      periodFrom: `${year}-03-01`,
      periodTo: `${year}-04-01`,
      dataQuality: 3,
      description: 'Conference flights',
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
  readonly name = `carbon: activities (gas, diesel, refrigerant, air travel, waste) and a REC in ${DEMO_BASE_YEAR} and ${DEMO_REPORTING_YEAR}, an SBTi target`;

  constructor(
    private readonly data: CarbonDataService,
    private readonly targets: TargetsService,
  ) {}

  async seed(tenantId: string): Promise<void> {
    for (const year of [DEMO_BASE_YEAR, DEMO_REPORTING_YEAR]) {
      for (const a of demoActivities(year))
        await this.data.createActivity(tenantId, {
          ...a,
          region: a.activity === 'refrigerant' ? 'GB' : 'US',
        });
      await this.data.createInstrument(tenantId, demoRec(tenantId, year));
    }
    await this.targets.create(tenantId, {
      name: 'SBTi 1.5 °C near-term, Scopes 1+2 (market-based)',
      baseYear: DEMO_BASE_YEAR,
      targetYear: 2030,
    });
  }
}
