import { roundKg, toDecimal, type CarbonDecimal } from '../factors/decimal';
import { factorRef, type FactorRef } from '../factors/emission-factor';
import { FactorNotFoundError, InvalidActivityError } from '../factors/errors';
import { selectFactor, type FactorQuery } from '../factors/select-factor';
import { convertQuantity, normaliseUnit } from '../factors/units';
import type { ActivityLine } from './inventory.types';
import {
  categoryOf,
  price,
  SCOPE3_CATEGORY_NAMES,
  yearOf,
  ZERO,
  type InventoryWork,
  type WorkLine,
} from './inventory-work';

/**
 * The line-by-line step of computeInventory: each activity line priced into Scope 1, Scope 2
 * location-based (electricity imports, with their Scope 3 T&D losses) or Scope 3 lines, and the
 * electricity tallied for the market-based step and the on-site generation report.
 */

/** What every line needs once checked: its quantity, region, year and normalised unit. */
interface CheckedLine {
  where: string;
  q: CarbonDecimal;
  region: string;
  year: number;
  unit: string;
  base: Pick<WorkLine, 'lineId' | 'siteId' | 'meterId' | 'quantity' | 'unit' | 'dataQuality'>;
}

function checkLine(work: InventoryWork, line: ActivityLine, index: number): CheckedLine {
  const where = `line ${line.id ?? index}`;
  let q: CarbonDecimal;
  try {
    q = toDecimal(line.quantity);
  } catch {
    throw new InvalidActivityError(`${where}: quantity '${String(line.quantity)}' is not a number`, {
      lineId: line.id,
      index,
    });
  }
  if (q.isNegative())
    throw new InvalidActivityError(`${where}: negative quantity ${q.toFixed()} ${line.unit}`, {
      lineId: line.id,
      index,
    });
  const site = line.siteId ? work.sites.get(line.siteId) : undefined;
  const region = line.region ?? site?.gridRegion;
  if (!region)
    throw new InvalidActivityError(`${where}: no region (set line.region or the site's gridRegion)`, {
      lineId: line.id,
      index,
    });
  const year = yearOf(line.periodStart, where);
  const unit = normaliseUnit(line.unit);
  const base = {
    lineId: line.id,
    siteId: line.siteId,
    meterId: line.meterId,
    quantity: q.toNumber(),
    unit,
    dataQuality: line.dataQuality,
  };
  return { where, q, region, year, unit, base };
}

/** The factor for a query, its selection warnings added on the line. */
function select(work: InventoryWork, q: FactorQuery, lineId?: string) {
  const sel = selectFactor(work.input.factors, { ...q, tenantFactors: work.input.tenantFactors });
  for (const w of sel.warnings) work.warnings.push({ ...w, lineId });
  return sel.factor;
}

/** A line without a factor: flagged (kg null) and warned about, never a silent zero. */
function flagNoFactor(work: InventoryWork, line: ActivityLine, where: string, e: unknown, flagged: WorkLine) {
  if (!(e instanceof FactorNotFoundError)) throw e;
  work.warnings.push({
    code: 'NO_FACTOR',
    lineId: line.id,
    siteId: line.siteId,
    message: `${where}: ${e.message}; line flagged, not counted`,
  });
  work.lines.push(flagged);
}

/** Prices one activity line (input order), adding its lines, warnings and electricity tallies to `work`. */
export function addActivityLine(work: InventoryWork, line: ActivityLine, index: number): void {
  const c = checkLine(work, line, index);
  if (line.activity === 'electricity') return addElectricity(work, line, c);
  const source = `${line.activity}${line.variant ? `.${line.variant}` : ''}`;
  if (line.activity === 'refrigerant' && line.gwp !== undefined)
    return addRefrigerantGwp(work, line, c, source);
  addFactorLine(work, line, c, source);
}

function addElectricity(work: InventoryWork, line: ActivityLine, c: CheckedLine): void {
  const role = line.meterRole ?? 'import';
  const kwh = convertQuantity(c.q, c.unit, 'kWh');
  if (role === 'generation' || role === 'export') return addGenerationOrExport(work, line, c, role, kwh);
  if (role !== 'import') throw new InvalidActivityError(`${c.where}: unknown meterRole '${String(role)}'`);
  work.purchasedKwh = work.purchasedKwh.plus(kwh);
  const { region, year } = c;
  const ckey = `${line.siteId ?? `region:${region}`}|${region}|${year}`;
  const consumer = work.consumers.get(ckey) ?? { key: ckey, siteId: line.siteId, region, kwh: ZERO, year };
  consumer.kwh = toDecimal(consumer.kwh).plus(kwh);
  work.consumers.set(ckey, consumer);
  addLocationLine(work, line, c);
  if (work.includeTd) addTdLossLine(work, line, c);
}

/** On-site generation and exports: tallied per site, never priced; the site becomes a market-based consumer. */
function addGenerationOrExport(
  work: InventoryWork,
  line: ActivityLine,
  c: CheckedLine,
  role: 'generation' | 'export',
  kwh: CarbonDecimal,
): void {
  const { region, year } = c;
  const key = line.siteId ?? `region:${region}`;
  const g = work.generation.get(key) ?? {
    gen: ZERO,
    exp: ZERO,
    hasGen: false,
    sold: false,
    sources: new Set<string>(),
  };
  if (role === 'generation') {
    g.gen = g.gen.plus(kwh);
    g.hasGen = true;
    g.sold = g.sold || !!line.certificatesSold;
    g.sources.add(line.generationSource ?? 'solar');
  } else {
    g.exp = g.exp.plus(kwh);
    work.exportedKwh = work.exportedKwh.plus(kwh);
  }
  work.generation.set(key, g);
  if (!work.consumers.has(`${key}|${region}|${year}`)) {
    work.consumers.set(`${key}|${region}|${year}`, {
      key: `${key}|${region}|${year}`,
      siteId: line.siteId,
      region,
      kwh: ZERO,
      year,
    });
  }
}

/** Scope 2 location-based: the import at the grid average of its region and year. */
function addLocationLine(work: InventoryWork, line: ActivityLine, c: CheckedLine): void {
  const { region, year, unit, base } = c;
  const common = {
    scope: 2 as const,
    category: 'purchased_electricity',
    method: 'location' as const,
    source: 'electricity (import)',
  };
  try {
    const f = select(work, { activity: 'electricity_grid', region, year, unit }, line.id);
    const p = price(c.q, unit, line, f);
    work.lines.push({ ...base, ...common, factor: factorRef(f), kg: p.kg, gases: p.gases });
  } catch (e) {
    flagNoFactor(work, line, c.where, e, { ...base, ...common, factor: null, kg: null, flag: 'NO_FACTOR' });
  }
}

/** Scope 3 category 3: the import's transmission and distribution losses; a region without a factor is listed once. */
function addTdLossLine(work: InventoryWork, line: ActivityLine, c: CheckedLine): void {
  const { region, year, unit } = c;
  const { factors, tenantFactors } = work.input;
  try {
    const f = selectFactor(factors, { activity: 'electricity_td_losses', region, year, unit, tenantFactors });
    const p = price(c.q, unit, line, f.factor);
    for (const w of f.warnings) work.warnings.push({ ...w, lineId: line.id });
    work.lines.push({
      ...c.base,
      scope: 3,
      scope3Category: 3,
      category: SCOPE3_CATEGORY_NAMES[3],
      source: 'electricity T&D losses',
      factor: factorRef(f.factor),
      kg: p.kg,
      gases: p.gases,
    });
  } catch (e) {
    if (!(e instanceof FactorNotFoundError)) throw e;
    work.tdMissing.add(region);
  }
}

/** Scope 1 fugitive: kg of gas × the GWP given on the line (disclosed as not from the library). */
function addRefrigerantGwp(work: InventoryWork, line: ActivityLine, c: CheckedLine, source: string): void {
  const { where, region, year } = c;
  const gwp = toDecimal(line.gwp as NonNullable<ActivityLine['gwp']>);
  if (gwp.isNegative()) throw new InvalidActivityError(`${where}: negative GWP`);
  const kgGas = convertQuantity(c.q, c.unit, 'kg');
  const ref: FactorRef = {
    id: `line-gwp:${line.variant ?? 'refrigerant'}`,
    value: gwp.toFixed(),
    unit: 'kg',
    source: 'GWP given with the activity',
    edition: '',
    year,
    region,
  };
  work.warnings.push({
    code: 'GWP_FROM_LINE',
    lineId: line.id,
    message: `${where}: GWP ${gwp.toFixed()} taken from the activity line, not the factor library`,
  });
  work.lines.push({
    ...c.base,
    scope: 1,
    category: line.category ?? 'fugitive',
    source,
    factor: ref,
    kg: kgGas.times(gwp),
  });
}

/** Any other activity: the library's factor for it, in the scope the factor states. */
function addFactorLine(work: InventoryWork, line: ActivityLine, c: CheckedLine, source: string): void {
  const { region, year, unit, base } = c;
  try {
    const f = select(
      work,
      { activity: line.activity, variant: line.variant, region, year, unit, basis: line.basis },
      line.id,
    );
    const p = price(c.q, unit, line, f);
    if (f.gwpSet) {
      const g = work.gwpSets.get(f.gwpSet) ?? { lines: 0, kg: ZERO, sources: new Set<string>() };
      g.lines += 1;
      g.kg = g.kg.plus(p.kg);
      g.sources.add(f.source);
      work.gwpSets.set(f.gwpSet, g);
    }
    work.lines.push({
      ...base,
      scope: f.scope,
      scope3Category: f.scope3Category ?? undefined,
      category: line.category ?? categoryOf(f.scope, f.activity, f.scope3Category),
      source,
      factor: factorRef(f),
      kg: p.kg,
      gases: p.gases,
    });
  } catch (e) {
    flagNoFactor(work, line, c.where, e, {
      ...base,
      scope: line.scope ?? null,
      category: line.category ?? 'unknown',
      source,
      factor: null,
      kg: null,
      flag: 'NO_FACTOR',
    });
  }
}

/** After all lines: a mix of GWP sets and the regions without T&D losses, disclosed once each. */
export function addLineDisclosures(work: InventoryWork): void {
  // GWP sets: EPA's waste factors (Hub Table 9, from WARM) are published as CO2e on AR4 only and cannot
  // be restated on AR5 without their gas split; an inventory mixing them with AR5 factors says so.
  if (work.gwpSets.size > 1) {
    const parts = [...work.gwpSets]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([set, g]) => `${set}: ${g.lines} line(s), ${roundKg(g.kg)} kg CO2e (${[...g.sources].join('; ')})`,
      );
    work.warnings.push({
      code: 'GWP_SET_MIXED',
      message: `factors on different GWP sets are summed — ${parts.join(' · ')}. EPA's waste factors are published as CO2e on AR4 (CH4 25, N2O 298) only and are not restated; on AR5 their CH4 part would be 12 % higher (28 / 25).`,
    });
  }

  for (const region of work.tdMissing) {
    work.warnings.push({
      code: 'TD_FACTOR_UNAVAILABLE',
      message: `no electricity T&D loss factor for ${region}: Scope 3 category 3 T&D losses not computed for it (supply a tenant factor)`,
    });
  }
}
