import type { EmissionFactor } from '../factors/emission-factor';
import { CarbonDecimal, toDecimal } from '../factors/decimal';
import { canConvertUnit, convertQuantity } from '../factors/units';
import type { InventoryView } from '../inventory/inventory-view.types';

/**
 * VSME B3 energy table (EFRAG VSME, Dec 2024, Basic module B3; the rows and the renewable /
 * non-renewable columns as in the VSME guidance table, ◐ recalled, not checked against the
 * EFRAG template file): fuels, electricity as in utility billings, self-generated electricity,
 * and (not a VSME row, shown so the total is complete) purchased heat or steam.
 */
export type VsmeEnergyRowKey = 'fuels' | 'electricity' | 'self_generated' | 'heat' | 'total';

export interface VsmeEnergyRow {
  row: VsmeEnergyRowKey;
  label: string;
  renewableMwh: number;
  nonRenewableMwh: number;
  totalMwh: number;
}

export interface VsmeEnergy {
  rows: VsmeEnergyRow[];
  /** Inventory lines whose quantity could not be expressed in MWh (listed, never counted as 0 silently). */
  unconverted: { source: string; quantity: number; unit: string; reason: string }[];
  notes: string[];
}

const ZERO = new CarbonDecimal(0);
const FUEL_CATEGORIES = new Set(['stationary_combustion', 'mobile_combustion']);
/** Biogenic fuels of the factor vocabulary: renewable energy in the VSME sense (◐ RED II Art. 2(1) list). */
const RENEWABLE_FUEL = /^(biofuel|biogas|biomass)(\.|$)/;
/** A contractual instrument with a zero emission rate (REC, GO, REGO, PPA...) marks its kWh renewable (◐). */
const ZERO_RATE_TIERS = new Set(['certificate', 'contract', 'supplier']);

const mwh = (kwh: CarbonDecimal) => kwh.div(1000).toDecimalPlaces(3).toNumber();

/**
 * kWh of a fuel line given in litres, gallons, m3, tonnes...: the library has the same fuel of the same source,
 * year and region per unit of energy too (DESNZ per kWh, EPA per mmBtu; gross CV preferred), so
 * energy per unit = (kg CO2e per unit) / (kg CO2e per unit of energy). The implied calorific value is the
 * source's own (◐ exact to the factors' rounding).
 */
function fuelKwh(
  line: InventoryView['lines'][number],
  energyFactors: Map<string, EmissionFactor>,
): { kwh: CarbonDecimal } | { reason: string } {
  if (canConvertUnit(line.unit, 'kWh')) return { kwh: convertQuantity(line.quantity, line.unit, 'kWh') };
  const f = line.factor;
  if (!f) return { reason: 'no emission factor, so no calorific value' };
  const perEnergy = energyFactors.get(prefixOf(f.id));
  if (!perEnergy || toDecimal(perEnergy.kgCo2ePerUnit).isZero())
    return { reason: `no per-energy factor beside ${f.id} to derive a calorific value` };
  if (!canConvertUnit(line.unit, f.unit)) return { reason: `unit ${line.unit} is not ${f.unit}` };
  const q = convertQuantity(line.quantity, line.unit, f.unit);
  const kwhPerEnergyUnit = convertQuantity(1, perEnergy.unit, 'kWh');
  return { kwh: q.times(f.value).div(perEnergy.kgCo2ePerUnit).times(kwhPerEnergyUnit) };
}

/** `<source>:<activity>[.<variant>]:<region>:<year>` of a factor id. */
const prefixOf = (id: string) => id.split(':').slice(0, 4).join(':');

/** Per prefix, the factor per unit of energy (gross CV before net, before none). */
function energyFactorsByPrefix(factors: EmissionFactor[]): Map<string, EmissionFactor> {
  const rank = (f: EmissionFactor) => (f.basis === 'gross' ? 0 : f.basis === 'net' ? 2 : 1);
  const out = new Map<string, EmissionFactor>();
  for (const f of factors) {
    if (f.tenantId || !canConvertUnit(f.unit, 'kWh')) continue;
    const key = prefixOf(f.id);
    const have = out.get(key);
    if (!have || rank(f) < rank(have)) out.set(key, f);
  }
  return out;
}

interface Split {
  ren: CarbonDecimal;
  non: CarbonDecimal;
}
const split = (): Split => ({ ren: ZERO, non: ZERO });

function fuelsAndHeat(inv: InventoryView, factors: EmissionFactor[]) {
  const energyFactors = energyFactorsByPrefix(factors);
  const fuels = split();
  const heat = split();
  const unconverted: VsmeEnergy['unconverted'] = [];
  let derived = 0;
  for (const l of inv.lines) {
    const isFuel = l.scope === 1 && FUEL_CATEGORIES.has(l.category);
    const isHeat = l.scope === 2 && l.category === 'purchased_heat_steam';
    if (!isFuel && !isHeat) continue;
    // a flag other than 'no factor' marks a line counted elsewhere (e.g. covered by a utility bill)
    if (l.flag && l.flag !== 'NO_FACTOR' && l.flag !== 'UNIT_NOT_CONVERTIBLE') continue;
    const r = fuelKwh(l, energyFactors);
    if ('reason' in r) {
      unconverted.push({ source: l.source, quantity: l.quantity, unit: l.unit, reason: r.reason });
      continue;
    }
    if (!canConvertUnit(l.unit, 'kWh')) derived += 1;
    const into = isHeat ? heat : fuels;
    if (isFuel && RENEWABLE_FUEL.test(l.source)) into.ren = into.ren.plus(r.kwh);
    else into.non = into.non.plus(r.kwh);
  }
  return { fuels, heat, unconverted, derived };
}

/** Purchased electricity: kWh under zero-rate contractual instruments are renewable, the rest not. */
function electricity(inv: InventoryView): Split {
  let ren = ZERO;
  for (const l of inv.lines) {
    if (l.scope !== 2 || l.method !== 'market' || !l.marketTier || !ZERO_RATE_TIERS.has(l.marketTier))
      continue;
    if (l.kgCo2e === 0 && canConvertUnit(l.unit, 'kWh'))
      ren = ren.plus(convertQuantity(l.quantity, l.unit, 'kWh'));
  }
  const total = toDecimal(inv.purchasedElectricityKwh);
  if (ren.gt(total)) ren = total;
  return { ren, non: total.minus(ren) };
}

/** Self-consumed on-site output: renewable unless combustion or its certificates were sold. */
function selfGenerated(inv: InventoryView): Split {
  const s = split();
  for (const g of inv.onSiteGeneration) {
    const kwh = toDecimal(g.selfConsumedKwh);
    const renewable = !g.certificatesSold && !g.generationSources.includes('combustion');
    if (renewable) s.ren = s.ren.plus(kwh);
    else s.non = s.non.plus(kwh);
  }
  return s;
}

/** The B3 energy table from an inventory (and the factor library, for the calorific values of fuels by volume or mass). */
export function vsmeEnergy(inv: InventoryView, factors: EmissionFactor[]): VsmeEnergy {
  const { fuels, heat, unconverted, derived } = fuelsAndHeat(inv, factors);
  const elec = electricity(inv);
  const self = selfGenerated(inv);
  const row = (key: VsmeEnergyRowKey, label: string, s: Split): VsmeEnergyRow => ({
    row: key,
    label,
    renewableMwh: mwh(s.ren),
    nonRenewableMwh: mwh(s.non),
    totalMwh: mwh(s.ren.plus(s.non)),
  });
  const parts = [fuels, elec, self, heat];
  const total = {
    ren: parts.reduce((a, s) => a.plus(s.ren), ZERO),
    non: parts.reduce((a, s) => a.plus(s.non), ZERO),
  };
  const notes = [
    'Electricity: kWh covered by zero-emission contractual instruments (certificates, PPAs, green tariffs) applied in the market-based method are renewable; the rest of the purchased electricity is non-renewable (◐).',
    'Self-generated electricity: self-consumed on-site output (generation minus export); renewable unless from combustion or its certificates were sold.',
    'Fuels: biofuels, biogas and biomass are renewable; fossil fuels non-renewable. Fuels bought by volume or mass are converted with the calorific value implied by the same source’s factor per unit of energy (per kWh or mmBtu, gross CV) (◐).',
  ];
  if (derived) notes.push(`${derived} fuel line(s) converted to MWh with an implied calorific value.`);
  if (unconverted.length)
    notes.push(
      `${unconverted.length} fuel or heat line(s) could not be expressed in MWh and are not counted (listed).`,
    );
  return {
    rows: [
      row('fuels', 'Fuels', fuels),
      row('electricity', 'Electricity (as shown in utility billings)', elec),
      row('self_generated', 'Self-generated electricity (consumed on site)', self),
      row('heat', 'Purchased heat or steam', heat),
      row('total', 'Total energy consumption', total),
    ],
    unconverted,
    notes,
  };
}
