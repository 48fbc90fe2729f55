import Decimal from 'decimal.js';
import type { Db } from '@halve/platform';
import type { CarbonRepository, OrgProfile } from './carbon.repository';
import type { HourlyUsageRow, MeterUsageSource, MonthlyUsageRow, UsageSite } from './dto/meter-usage';
import type { EmissionFactorLibraryService } from './emission-factor-library.service';
import type { ActivityEntity, InstrumentEntity } from './entities/carbon.entities';
import { loadEmissionFactors } from './factors/factor-library';
import { InventoryService } from './inventory.service';

const D = (v: string | number) => new Decimal(v);
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

const ORG: OrgProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Fake Ltd',
  country: 'GB',
  gridRegion: null,
  timezone: 'Europe/London',
  currency: 'GBP',
  baseYear: null,
  fiscalYearStartMonth: 1,
  employees: 20,
  annualRevenue: null,
};
const LEEDS = '00000000-0000-4000-8000-00000000000a';
const SF = '00000000-0000-4000-8000-00000000000b';

class FakeUsage implements MeterUsageSource {
  constructor(
    readonly monthly: MonthlyUsageRow[],
    readonly hourly: HourlyUsageRow[] = [],
    readonly siteList: UsageSite[] = [
      {
        id: LEEDS,
        name: 'Leeds',
        country: 'GB',
        gridRegion: 'GB',
        timezone: 'Europe/London',
        floorAreaM2: 1000,
      },
      {
        id: SF,
        name: 'San Francisco',
        country: 'US',
        gridRegion: 'CAMX',
        timezone: 'America/Los_Angeles',
        floorAreaM2: null,
      },
    ],
  ) {}
  calls: { from: Date; to: Date }[] = [];
  async monthlyUsage(_tenantId: string, range: { from: Date; to: Date }) {
    this.calls.push(range);
    return this.monthly;
  }
  async hourlyUsage(_tenantId: string, meterIds: string[], range: { from: Date; to: Date }) {
    return this.hourly.filter(
      (h) => meterIds.includes(h.meterId) && h.hourStart >= range.from && h.hourStart < range.to,
    );
  }
  async sites() {
    return this.siteList;
  }
}

function service(
  usage: FakeUsage,
  data: { activities?: Partial<ActivityEntity>[]; instruments?: InstrumentEntity[] } = {},
) {
  const db = { tenant: (fn: (em: unknown) => unknown) => fn({}) } as unknown as Db;
  const repo = {
    org: async () => ORG,
    activities: async () => data.activities ?? [],
    instruments: async () => data.instruments ?? [],
    tenantFactors: async () => [],
  } as unknown as CarbonRepository;
  const factors = loadEmissionFactors();
  const library = {
    library: async () => ({ version: 'test', factors }),
  } as unknown as EmissionFactorLibraryService;
  return new InventoryService(db, repo, library, usage);
}

const row = (
  siteId: string,
  meterId: string,
  kind: MonthlyUsageRow['kind'],
  month: string,
  quantity: string,
  unit = 'kWh',
): MonthlyUsageRow => ({
  siteId,
  meterId,
  kind,
  unit,
  gridRegion: siteId === SF ? 'CAMX' : 'GB',
  country: siteId === SF ? 'US' : 'GB',
  month,
  quantity,
});

describe('InventoryService with a fake metering source', () => {
  it('prices monthly meter rollups by kind and sums them exactly (GB grid, GB gas gross CV, CAMX grid, water)', async () => {
    const leedsKwh = ['12000.5', '11000.25', '9500'];
    const monthly = [
      ...leedsKwh.map((q, i) => row(LEEDS, 'm-imp', 'electricity_import', `2024-0${i + 1}`, q)),
      row(LEEDS, 'm-gas', 'natural_gas', '2024-01', '30000'),
      row(LEEDS, 'm-water', 'water', '2024-02', '120', 'm3'),
      row(SF, 'm-sf', 'electricity_import', '2024-01', '8000'),
    ];
    const usage = new FakeUsage(monthly);
    const inv = await service(usage).inventory(ORG.id, '2024-01-01', '2025-01-01');
    // the period is midnight in Europe/London
    expect(usage.calls[0]).toEqual({
      from: new Date('2024-01-01T00:00:00Z'),
      to: new Date('2025-01-01T00:00:00Z'),
    });
    const leedsSum = leedsKwh.reduce((s, q) => s.plus(q), D(0)); // 32500.75 kWh
    // location-based: DESNZ 2024 GB 0.20705; eGRID2022 CAMX (497.443 + 28×0.030 + 265×0.004) lb/MWh × 0.45359237 / 1000
    const camx = D('497.443')
      .plus(D(28).times('0.030'))
      .plus(D(265).times('0.004'))
      .times('0.45359237')
      .div(1000);
    expect(inv.scope2LocationKgCo2e).toBe(kg(leedsSum.times('0.20705').plus(D(8000).times(camx))));
    // Scope 1: gas 30,000 kWh gross × 0.18290
    expect(inv.scope1KgCo2e).toBe(kg(D(30000).times('0.18290')));
    // Scope 3: GB T&D 0.01830 per kWh consumed + water supply 120 m3 × DESNZ 2024
    const water = inv.lines.find((l) => l.source === 'water_supply');
    expect(water?.factor?.id).toBe('desnz-2024:water_supply:GB:2024:m3');
    expect(inv.scope3ByCategoryKgCo2e.cat1_purchased_goods_and_services).toBe(
      kg(D(120).times(water?.factor?.value as string)),
    );
    expect(
      inv.lines.filter((l) => l.meterId === 'm-imp' && l.method === 'location').map((l) => l.month),
    ).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(inv.byMonth.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(inv.intensities?.perEmployee?.location).toBe(kg(D(inv.totalLocationKgCo2e).div(20)));
    expect(inv.denominators.floorAreaM2).toBe(1000);
  });

  it('flags a meter whose unit no factor can take instead of failing the whole inventory', async () => {
    const usage = new FakeUsage([
      row(LEEDS, 'm-imp', 'electricity_import', '2024-01', '1000'),
      row(LEEDS, 'm-odd', 'natural_gas', '2024-01', '5', 'km'),
    ]);
    const inv = await service(usage).inventory(ORG.id, '2024-01-01', '2025-01-01');
    expect(inv.scope2LocationKgCo2e).toBe(207.05);
    expect(inv.lines.find((l) => l.meterId === 'm-odd')).toMatchObject({
      flag: 'UNIT_NOT_CONVERTIBLE',
      kgCo2e: null,
    });
    expect(inv.warnings.map((w) => w.code)).toContain('UNIT_NOT_CONVERTIBLE');
  });

  it('maps fuel-oil meters to burning oil in GB and prorates activity data by days', async () => {
    const usage = new FakeUsage([row(LEEDS, 'm-oil', 'fuel_oil', '2024-02', '1000', 'litre')]);
    const activities: Partial<ActivityEntity>[] = [
      // 2023-12-01..2024-01-31: 61 days, 30 of them in 2024 → 30/61 of 610 kWh = 300 kWh of gas
      {
        id: 'a1',
        activity: 'natural_gas',
        variant: '',
        quantity: '610',
        unit: 'kWh',
        basis: 'gross',
        periodFrom: '2023-12-01',
        periodTo: '2024-01-31',
        dataQuality: 2,
        siteId: null,
        region: null,
        gwp: null,
        scope: 1,
      },
    ];
    const inv = await service(usage, { activities }).inventory(ORG.id, '2024-01-01', '2025-01-01');
    const oil = inv.lines.find((l) => l.meterId === 'm-oil');
    expect(oil?.factor?.id).toBe('desnz-2024:burning_oil:GB:2024:litre');
    const gas = inv.lines.find((l) => l.lineId === 'activity:a1');
    expect(gas?.quantity).toBe(300);
    expect(inv.scope1KgCo2e).toBe(
      kg(
        D(1000)
          .times(oil?.factor?.value as string)
          .plus(D(300).times('0.18290')),
      ),
    );
    expect(inv.warnings.map((w) => w.code)).toContain('ACTIVITY_PRORATED');
  });

  it('hourly Scope 2 with PV: hours matched one by one, the 2022 CISO profile used as a named proxy for 2024', async () => {
    const h = (meterId: string, iso: string, quantity: number): HourlyUsageRow => ({
      meterId,
      hourStart: new Date(iso),
      quantity,
    });
    const hours = ['2024-06-01T18:00:00Z', '2024-06-01T19:00:00Z'];
    const usage = new FakeUsage(
      [
        row(SF, 'imp', 'electricity_import', '2024-06', '60'),
        row(SF, 'pv', 'pv_generation', '2024-06', '40'),
      ],
      [h('imp', hours[0], 40), h('imp', hours[1], 20), h('pv', hours[0], 10), h('pv', hours[1], 30)],
    );
    const r = await service(usage).hourlyScope2(ORG.id, { from: '2024-06-01', to: '2024-06-02' });
    // CISO 2022-06-01 18h and 19h UTC: 131.0023 and 138.864 g/kWh, carbon-free share 0.791097 and 0.774455
    expect(r.hourlyLocationKgCo2e).toBe(kg(D(40).times('0.1310023').plus(D(20).times('0.138864'))));
    // load 50 each hour; CFE = (10 + 40·0.791097) + (30 + 20·0.774455) over 100
    expect(r.cfeShare).toBe(
      D(10)
        .plus(D(40).times('0.791097'))
        .plus(30)
        .plus(D(20).times('0.774455'))
        .div(100)
        .toDecimalPlaces(6)
        .toNumber(),
    );
    expect(r.warnings.map((w) => w.code)).toContain('HOURLY_PROFILE_YEAR_PROXY');
    expect(r.sites[0]).toMatchObject({ selfConsumedKwh: 40, importKwh: 60, fallbackHours: 0 });
  });

  it('answers 400 for an empty period', async () => {
    await expect(
      service(new FakeUsage([])).inventory(ORG.id, '2024-02-01', '2024-01-01'),
    ).rejects.toMatchObject({ status: 400 });
  });
});
