import Decimal from 'decimal.js';
import type { AuditService, Db } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import type { CarbonRepository, OrgProfile } from './carbon.repository';
import type { CreateActivityDto } from './dto/carbon.dto';
import type { MeterUsageSource } from './dto/meter-usage';
import type { EmissionFactorLibraryService } from './emission-factor-library.service';
import type { ActivityEntity } from './entities/carbon.entities';
import { loadEmissionFactors } from './factors/factor-library';
import { InventoryService } from './inventory.service';

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
const kg = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

/** The service over an in-memory activity table and audit trail, with the shipped factor library. */
function setup() {
  const rows = new Map<string, ActivityEntity>();
  const audit: { action: string; summary: unknown }[] = [];
  const em = {
    update: async (_e: unknown, where: { id: string }, fields: Partial<ActivityEntity>) => {
      rows.set(where.id, { ...(rows.get(where.id) as ActivityEntity), ...fields });
    },
  };
  const db = { tenant: (fn: (em: unknown) => unknown) => fn(em) } as unknown as Db;
  const repo = {
    org: async () => ORG,
    tenantFactors: async () => [],
    instruments: async () => [],
    insertActivity: async (_em: unknown, row: ActivityEntity) => {
      rows.set(row.id, { ...row, createdAt: new Date('2024-03-01T00:00:00Z') });
    },
    activity: async (_em: unknown, _t: string, id: string) => rows.get(id) ?? null,
    activities: async () => [...rows.values()],
  } as unknown as CarbonRepository;
  const factors = loadEmissionFactors();
  const library = {
    library: async () => ({ version: 'test', factors }),
  } as unknown as EmissionFactorLibraryService;
  const usage: MeterUsageSource = {
    monthlyUsage: async () => [],
    hourlyUsage: async () => [],
    sites: async () => [],
  };
  const auditService = {
    record: async (_em: unknown, _t: string, e: { action: string; summary: unknown }) => void audit.push(e),
  } as unknown as AuditService;
  const data = new CarbonDataService(db, repo, auditService, library, usage);
  const inventory = new InventoryService(db, repo, library, usage);
  return { data, inventory, rows, audit };
}

const base = { periodFrom: '2024-03-01', periodTo: '2024-04-01', dataQuality: 1 };
const DIESEL: CreateActivityDto = { ...base, activity: 'diesel', quantity: '1250.5', unit: 'litre' };
const FLIGHT: CreateActivityDto = {
  ...base,
  activity: 'business_travel_air',
  variant: 'long_haul.economy_class.with_rf',
  quantity: '11082',
  unit: 'passenger.km',
};
const GAS_KWH: CreateActivityDto = { ...base, activity: 'natural_gas', quantity: '18000', unit: 'kWh' };
const R410A: CreateActivityDto = {
  ...base,
  activity: 'refrigerant',
  quantity: '2.5',
  unit: 'kg',
  gwp: '2088',
};

describe('CarbonDataService: a preview is what create records', () => {
  it.each([
    ['diesel by the litre', DIESEL],
    ['a long-haul economy flight', FLIGHT],
    ['natural gas by the kWh', GAS_KWH],
    ['a refrigerant with its GWP', R410A],
  ])('%s: same scope, factor and kg CO2e, and preview stores nothing', async (_name, dto) => {
    const { data, rows } = setup();
    const preview = await data.previewActivity(ORG.id, dto);
    expect(rows.size).toBe(0);
    const created = await data.createActivity(ORG.id, dto);
    expect(rows.size).toBe(1);
    expect(created.factor).toEqual(preview.factor);
    expect(created.kgCo2e).toBe(preview.kgCo2e);
    expect(created.scope).toBe(preview.scope);
    expect(created.scope3Category).toBe(preview.scope3Category);
    expect(created.warnings).toEqual(preview.warnings);
    expect(preview.kgCo2e).not.toBeNull();
  });

  it('prices diesel at the DESNZ 2024 litre factor (1250.5 l × 2.51279 kg/l)', async () => {
    const { data } = setup();
    const p = await data.previewActivity(ORG.id, DIESEL);
    expect(p.factor).toMatchObject({ value: '2.51279', unit: 'litre', edition: '2024 v1.1', region: 'GB' });
    expect(p.kgCo2e).toBe(kg(new Decimal('1250.5').times('2.51279')));
    expect(p.scope).toBe(1);
  });

  it('the kg CO2e of a preview is what the inventory counts for the stored activity', async () => {
    const { data, inventory } = setup();
    const created = await data.createActivity(ORG.id, FLIGHT);
    const inv = await inventory.inventory(ORG.id, '2024-01-01', '2025-01-01');
    const line = inv.lines.find((l) => l.lineId === `activity:${created.id}` && l.scope === 3);
    expect(line?.kgCo2e).toBe(created.kgCo2e);
    expect(created.kgCo2e).toBe(kg(new Decimal('11082').times('0.20011')));
  });

  it('an edit re-selects the factor, changes the kg and keeps the before and after in the audit trail', async () => {
    const { data, rows, audit } = setup();
    const created = await data.createActivity(ORG.id, DIESEL);
    const edited = await data.updateActivity(ORG.id, created.id, { activity: 'petrol', quantity: '100' });
    expect(edited.factor?.id).toMatch(/^desnz-2024:petrol:GB:2024:litre/);
    expect(edited.kgCo2e).toBe(kg(new Decimal(100).times(edited.factor?.value as string)));
    expect(edited.createdAt).toEqual(created.createdAt);
    expect(rows.get(created.id)?.activity).toBe('petrol');
    expect(audit.map((a) => a.action)).toEqual(['activity.created', 'activity.updated']);
    expect(audit[1].summary).toMatchObject({
      before: { activity: 'diesel', quantity: '1250.5' },
      after: { activity: 'petrol', quantity: '100' },
    });
    const [priced] = await data.pricedActivities(ORG.id);
    expect(priced.kgCo2e).toBe(edited.kgCo2e);
    expect(priced.factor).toEqual(edited.factor);
  });

  it('null clears an optional field on edit', async () => {
    const { data } = setup();
    const created = await data.createActivity(ORG.id, { ...DIESEL, description: 'van fleet' });
    const edited = await data.updateActivity(ORG.id, created.id, {
      description: null as unknown as string,
    });
    expect(edited.description).toBeNull();
    expect(edited.kgCo2e).toBe(created.kgCo2e);
  });
});
