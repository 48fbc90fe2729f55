import { DateTime } from 'luxon';
import { BadInputError } from '@halve/platform';
import type { OrgProfile } from '../carbon.repository';
import type { MonthlyUsageRow, UsageSite } from '../dto/meter-usage';
import type { ActivityEntity, InstrumentEntity } from '../entities/carbon.entities';
import { toDecimal } from '../factors/decimal';
import type { EmissionFactor } from '../factors/emission-factor';
import { FactorNotFoundError, UnitConversionError } from '../factors/errors';
import { normaliseRegion, regionFallbackChain } from '../factors/regions';
import { selectFactor } from '../factors/select-factor';
import { canConvertUnit, normaliseUnit } from '../factors/units';
import type { ContractualInstrument } from '../ghg/scope2';
import { type BillCover, billCover, describeBills } from './bill-overlap';
import type { ActivityLine } from './inventory.types';
import type { ApiInventoryLine, GatheredInventory, InventoryWarning } from './inventory-view.types';

/**
 * The inventory's input from what the service loaded (pure): meter months and activity data as
 * activity lines, instruments as contractual instruments, the period and regions resolved.
 */

const MAX_PERIOD_DAYS = 366 * 10 + 3;
const DAY_MS = 86_400_000;

/** Dates (`to` exclusive) at midnight in the organisation's zone. */
export function resolveInventoryPeriod(
  org: OrgProfile,
  from: string,
  to: string,
): { fromUtc: Date; toUtc: Date } {
  const f = DateTime.fromISO(from, { zone: org.timezone });
  const t = DateTime.fromISO(to, { zone: org.timezone });
  const fields = [];
  if (!f.isValid) fields.push({ field: 'from', message: `'${from}' is not a valid date` });
  if (!t.isValid) fields.push({ field: 'to', message: `'${to}' is not a valid date` });
  if (fields.length) throw new BadInputError('Invalid period.', fields);
  if (t <= f)
    throw new BadInputError(`The period is empty: 'to' (${to}, exclusive) must be after 'from' (${from}).`, [
      { field: 'to', message: 'must be after from' },
    ]);
  if (t.diff(f, 'days').days > MAX_PERIOD_DAYS)
    throw new BadInputError('The period is longer than 10 years.', [
      { field: 'to', message: 'period longer than 10 years' },
    ]);
  return { fromUtc: f.toJSDate(), toUtc: t.toJSDate() };
}

/** A site's grid region (else its country, else the organisation's). */
export function inventoryRegion(
  org: OrgProfile,
  site?: { gridRegion: string | null; country: string },
): string {
  return normaliseRegion(site?.gridRegion ?? site?.country ?? org.gridRegion ?? org.country);
}

/** Maps a meter kind onto the line the pure inventory understands. */
export function meterLine(
  row: MonthlyUsageRow,
  region: string,
): Omit<ActivityLine, 'quantity' | 'periodStart'> | null {
  const common = { siteId: row.siteId, meterId: row.meterId, unit: row.unit, region, dataQuality: 1 };
  switch (row.kind) {
    case 'electricity_import':
      return { ...common, activity: 'electricity', meterRole: 'import' };
    case 'electricity_export':
      return { ...common, activity: 'electricity', meterRole: 'export' };
    case 'pv_generation':
      return { ...common, activity: 'electricity', meterRole: 'generation', generationSource: 'solar' };
    case 'wind_generation':
      return { ...common, activity: 'electricity', meterRole: 'generation', generationSource: 'wind' };
    case 'natural_gas':
      // Metered and billed gas kWh are gross CV (UK and US bills), stated in the report's methods.
      return {
        ...common,
        activity: 'natural_gas',
        basis: canConvertUnit(row.unit, 'kWh') ? 'gross' : undefined,
      };
    case 'fuel_oil':
      // Heating oil: kerosene (DESNZ "burning oil") in the UK, distillate No. 2 (EPA "diesel") elsewhere.
      return {
        ...common,
        activity: regionFallbackChain(region).includes('GB') ? 'burning_oil' : 'diesel',
        basis: canConvertUnit(row.unit, 'kWh') ? 'gross' : undefined,
      };
    case 'district_heat':
      return {
        ...common,
        activity: 'heat_steam',
        variant: regionFallbackChain(region).includes('US') ? 'district' : 'district_heat',
      };
    case 'water':
      return { ...common, activity: 'water_supply' };
    default:
      return null;
  }
}

/** The lines the inventory counts, those flagged before it, the service's warnings and each line's month. */
export interface InventoryLines {
  lines: ActivityLine[];
  flagged: ApiInventoryLine[];
  warnings: InventoryWarning[];
  lineMonth: Map<string, string>;
}

/** Why a line's unit cannot be priced (electricity per kWh, else its factor's unit), or null. */
function unitProblem(line: ActivityLine, unit: string, factors: EmissionFactor[], g: GatheredInventory) {
  if (line.activity === 'electricity') {
    return canConvertUnit(unit, 'kWh') ? null : `electricity in '${line.unit}' cannot be priced per kWh`;
  }
  if (line.activity === 'refrigerant' && line.gwp !== undefined) return null;
  try {
    selectFactor(factors, {
      activity: line.activity,
      variant: line.variant,
      region: line.region as string,
      year: Number(line.periodStart.slice(0, 4)),
      unit,
      basis: line.basis,
      tenantFactors: g.tenantFactors,
    });
  } catch (e) {
    if (e instanceof UnitConversionError) return e.message;
    if (!(e instanceof FactorNotFoundError)) throw e;
  }
  return null;
}

/** A unit the factor cannot take is flagged on its line, never silently zero, never fatal to the whole inventory. */
function admit(acc: InventoryLines, line: ActivityLine, factors: EmissionFactor[], g: GatheredInventory) {
  const unit = normaliseUnit(line.unit);
  const problem = unitProblem(line, unit, factors, g);
  if (!problem) {
    acc.lines.push(line);
    return;
  }
  acc.warnings.push({
    code: 'UNIT_NOT_CONVERTIBLE',
    lineId: line.id,
    siteId: line.siteId,
    message: `line ${line.id}: ${problem}; line flagged, not counted`,
  });
  acc.flagged.push({
    lineId: line.id,
    scope: line.scope ?? null,
    category: 'unknown',
    siteId: line.siteId,
    meterId: line.meterId,
    source: `${line.activity}${line.variant ? `.${line.variant}` : ''}`,
    quantity: toDecimal(line.quantity).toNumber(),
    unit,
    factor: null,
    kgCo2e: null,
    flag: 'UNIT_NOT_CONVERTIBLE',
    dataQuality: line.dataQuality,
    month: line.periodStart.slice(0, 7),
  });
}

/** A meter month (rollup) as a line: one per meter per local month, starting at the period at the earliest. */
function meterMonthLine(g: GatheredInventory, siteById: Map<string, UsageSite>, row: MonthlyUsageRow) {
  const site = siteById.get(row.siteId);
  const region = inventoryRegion(g.org, site ?? { gridRegion: row.gridRegion, country: row.country });
  const base = meterLine(row, region);
  if (!base) return null;
  const id = `meter:${row.meterId}:${row.month}`;
  const start = `${row.month}-01` < g.period.from ? g.period.from : `${row.month}-01`;
  const line: ActivityLine = { ...base, id, quantity: row.quantity, periodStart: start };
  return line;
}

/** Activity data as a line, prorated by days (and warned about) when its period reaches outside the inventory's. */
function activityDataLine(
  g: GatheredInventory,
  siteById: Map<string, UsageSite>,
  a: ActivityEntity,
): { line: ActivityLine; prorated?: InventoryWarning } | null {
  const { period } = g;
  const pFrom = Date.parse(period.from);
  const pTo = Date.parse(period.to);
  const aFrom = Date.parse(a.periodFrom);
  const aTo = Date.parse(a.periodTo);
  const overlap = Math.min(aTo, pTo) - Math.max(aFrom, pFrom);
  if (overlap <= 0) return null;
  let quantity = toDecimal(a.quantity);
  let prorated: InventoryWarning | undefined;
  if (overlap < aTo - aFrom) {
    quantity = quantity.times(overlap / DAY_MS).div((aTo - aFrom) / DAY_MS);
    prorated = {
      code: 'ACTIVITY_PRORATED',
      lineId: `activity:${a.id}`,
      message: `activity ${a.id} (${a.periodFrom}..${a.periodTo}) reaches outside the period: ${overlap / DAY_MS} of ${(aTo - aFrom) / DAY_MS} days counted (${quantity.toSignificantDigits(12).toFixed()} of ${a.quantity} ${a.unit})`,
    };
  }
  const site = a.siteId ? siteById.get(a.siteId) : undefined;
  const start = a.periodFrom < period.from ? period.from : a.periodFrom;
  const line: ActivityLine = {
    id: `activity:${a.id}`,
    activity: a.activity,
    variant: a.variant || undefined,
    quantity,
    unit: a.unit,
    basis: a.basis ?? undefined,
    siteId: a.siteId ?? undefined,
    region: normaliseRegion(a.region ?? inventoryRegion(g.org, site)),
    periodStart: start,
    gwp: a.gwp ?? undefined,
    scope: (a.scope ?? undefined) as ActivityLine['scope'],
    dataQuality: a.dataQuality,
    description: a.description ?? undefined,
  };
  return { line, prorated };
}

/**
 * An electricity or gas activity that bills cover (bill-overlap.ts: the bill wins): wholly covered, it
 * is flagged COVERED_BY_BILL and not counted (false); partly covered, it keeps its uncovered days' share.
 */
function applyBillCover(
  acc: InventoryLines,
  line: ActivityLine,
  a: ActivityEntity,
  cover: BillCover,
): boolean {
  const bills = describeBills(cover.bills);
  const what = `activity ${a.id} (${a.activity} ${a.periodFrom}..${a.periodTo}, ${a.quantity} ${a.unit})`;
  if (cover.coveredDays >= cover.countedDays) {
    acc.warnings.push({
      code: 'ACTIVITY_COVERED_BY_BILL',
      lineId: line.id,
      siteId: line.siteId,
      message: `${what} is covered by ${bills}: the bill is metered supply and counts, the activity is excluded`,
    });
    acc.flagged.push({
      lineId: line.id,
      scope: line.scope ?? null,
      category: 'covered_by_bill',
      siteId: line.siteId,
      source: `${line.activity}${line.variant ? `.${line.variant}` : ''} (covered by ${bills})`,
      quantity: toDecimal(line.quantity).toNumber(),
      unit: normaliseUnit(line.unit),
      factor: null,
      kgCo2e: null,
      flag: 'COVERED_BY_BILL',
      dataQuality: line.dataQuality,
      month: line.periodStart.slice(0, 7),
    });
    return false;
  }
  const before = toDecimal(line.quantity);
  line.quantity = before.times(cover.countedDays - cover.coveredDays).div(cover.countedDays);
  acc.warnings.push({
    code: 'ACTIVITY_PARTLY_COVERED_BY_BILL',
    lineId: line.id,
    siteId: line.siteId,
    message: `${what}: ${cover.coveredDays} of its ${cover.countedDays} days are covered by ${bills}, which count; the activity counts its other ${cover.countedDays - cover.coveredDays} days (${toDecimal(line.quantity).toSignificantDigits(12).toFixed()} of ${before.toSignificantDigits(12).toFixed()} ${a.unit})`,
  });
  return true;
}

/** Meter months, then activity data (less what bills cover), each checked for a unit its factor can take. */
export function inventoryLines(factors: EmissionFactor[], g: GatheredInventory): InventoryLines {
  const acc: InventoryLines = { lines: [], flagged: [], warnings: [], lineMonth: new Map() };
  const siteById = new Map(g.sites.map((s) => [s.id, s]));
  for (const row of g.monthly) {
    const line = meterMonthLine(g, siteById, row);
    if (!line) continue;
    acc.lineMonth.set(line.id as string, row.month);
    admit(acc, line, factors, g);
  }
  for (const a of g.activities) {
    const r = activityDataLine(g, siteById, a);
    if (!r) continue;
    if (r.prorated) acc.warnings.push(r.prorated);
    const cover = billCover(a, g.period, g.bills ?? []);
    if (cover && !applyBillCover(acc, r.line, a, cover)) continue;
    acc.lineMonth.set(r.line.id as string, r.line.periodStart.slice(0, 7));
    admit(acc, r.line, factors, g);
  }
  return acc;
}

/** Instruments as the pure inventory takes them (MWh → kWh, exactly). */
export function contractualInstruments(instruments: InstrumentEntity[]): ContractualInstrument[] {
  return instruments.map((i) => ({
    id: i.id,
    type: i.type,
    volumeKwh: toDecimal(i.volumeMwh).times(1000),
    kgCo2ePerKwh: i.kgCo2ePerKwh,
    vintageFrom: i.vintageFrom,
    vintageTo: i.vintageTo,
    region: i.region,
    certificateIds: i.certificateIds,
    retired: i.retired,
    siteIds: i.siteId ? [i.siteId] : undefined,
    evidence: i.evidence ?? undefined,
  }));
}
