import type { EmissionFactor } from '../factors/emission-factor';
import { CarbonDataError, CarbonError } from '../factors/errors';
import { type CarbonDecimal, roundKg, toDecimal } from '../factors/decimal';
import { selectFactor, selectGridFactor } from '../factors/select-factor';
import { convertQuantity } from '../factors/units';
import { SCOPE3_CATEGORY_NAMES } from '../inventory/inventory-work';
import { adjustSpend, type PriceTables } from '../spend/price-adjust';
import type { SpendFactor, SpendFactorTables } from '../spend/spend-factors';
import { defaultFactorSet } from '../spend/spend-lines';
import type { StarterSector, StarterTables } from './starter-sectors';

/** What the estimate needs of the profile (exact decimals as strings). */
export interface StarterInputs {
  sector: string;
  employees: number;
  annualRevenue: string;
  currency: string;
  floorAreaM2: string;
  country: string;
  /** The year the revenue is in (its money is brought from this year to the factor's base year). */
  year: number;
}

export interface StarterInput {
  name: string;
  value: string;
  unit: string;
  source: string;
  verification: string;
}

export type StarterLineKey = 'scope2_electricity' | 'scope1_heating' | 'scope3_purchases';

/** One estimate line: always `estimate: true`, with the inputs it multiplies and their sources. */
export interface StarterEstimateLine {
  key: StarterLineKey;
  label: string;
  scope: 1 | 2 | 3;
  category: string;
  scope3Category?: number;
  estimate: true;
  /** null when no factor fits (named in notes): never a silent zero. */
  kgCo2e: number | null;
  basis: string;
  inputs: StarterInput[];
  notes: string[];
}

export interface StarterEstimateContext {
  tables: StarterTables;
  factors: EmissionFactor[];
  tenantFactors?: EmissionFactor[];
  prices: PriceTables;
  spend: SpendFactorTables;
  /** The inventory year: grid and gas factors describing it are preferred. */
  year: number;
}

const BDG2_SOURCE =
  'Building Data Genome Project 2 (Miller et al., Sci Data 7, 368 (2020)), median of 2017 metered electricity per m² (libs/carbon/data/starter/electricity-eui-bdg2.csv)';

/** What the starter estimate leaves out, and why. */
export const STARTER_OMISSIONS = [
  {
    what: 'Employee commuting and business travel (Scope 3 categories 6 and 7)',
    reason:
      'the shipped DESNZ factors are per passenger-km, room-night or vehicle-km; no source in the factor library gives distances per employee, so a per-employee figure could not be substantiated. Enter travel or run the commuting survey instead.',
  },
  {
    what: 'Company vehicles, refrigerants, process energy, waste',
    reason: 'no industry-average intensity per employee, revenue or floor area is shipped for them',
  },
];

function factorInput(name: string, f: EmissionFactor): StarterInput {
  return {
    name,
    value: f.kgCo2ePerUnit,
    unit: `kg CO2e/${f.unit}${f.basis ? ` (${f.basis} CV)` : ''}`,
    source: `${f.source} ${f.edition}, ${f.region} ${f.year} (${f.id})`,
    verification: f.verification,
  };
}

function areaInput(p: StarterInputs): StarterInput {
  return {
    name: 'floor area',
    value: p.floorAreaM2,
    unit: 'm²',
    source: 'starter profile',
    verification: 'entered',
  };
}

/** A selection that fails (no factor for the country) becomes a note on a null line, not an error of the whole estimate. */
function trySelect<T>(fn: () => T, notes: string[]): T | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CarbonError) {
      notes.push(e.message);
      return null;
    }
    throw e;
  }
}

/** Scope 2: floor area × BDG2 median electricity intensity of the sector's building use × the country's grid factor. */
export function electricityLine(p: StarterInputs, c: StarterEstimateContext): StarterEstimateLine {
  const sector = c.tables.sectors.get(p.sector);
  if (!sector) throw new CarbonDataError(`unknown starter sector ${p.sector}`);
  const eui = c.tables.eui.get(sector.buildingUse);
  if (!eui) throw new CarbonDataError(`no BDG2 intensity for ${sector.buildingUse}`);
  const notes: string[] = [];
  const kwh = toDecimal(p.floorAreaM2).times(toDecimal(eui.medianKwhPerM2Year));
  const sel = trySelect(
    () => selectGridFactor(c.factors, { region: p.country, year: c.year, tenantFactors: c.tenantFactors }),
    notes,
  );
  if (sel) notes.push(...sel.warnings.map((w) => w.message));
  const inputs: StarterInput[] = [
    areaInput(p),
    {
      name: `electricity intensity (${sector.buildingUse})`,
      value: eui.medianKwhPerM2Year,
      unit: 'kWh/m²/yr',
      source: `${BDG2_SOURCE}; ${eui.buildings} building(s), range ${eui.minKwhPerM2Year}–${eui.maxKwhPerM2Year}`,
      verification:
        eui.buildings < 3
          ? `◐ derived here from ${eui.buildings} metered building(s) only`
          : `✔ derived here from ${eui.buildings} metered buildings`,
    },
  ];
  if (sel) inputs.push(factorInput('grid electricity factor (location-based)', sel.factor));
  return {
    key: 'scope2_electricity',
    label: 'Purchased electricity',
    scope: 2,
    category: 'purchased_electricity',
    estimate: true,
    kgCo2e: sel ? roundKg(kwh.times(toDecimal(sel.factor.kgCo2ePerUnit))) : null,
    basis: `${p.floorAreaM2} m² × ${eui.medianKwhPerM2Year} kWh/m²/yr = ${kwh.toFixed()} kWh × grid factor`,
    inputs,
    notes,
  };
}

/** Scope 1: floor area × heating intensity of the building type (gross CV) × the country's natural-gas factor. */
export function heatingLine(p: StarterInputs, c: StarterEstimateContext): StarterEstimateLine {
  const sector = c.tables.sectors.get(p.sector);
  if (!sector) throw new CarbonDataError(`unknown starter sector ${p.sector}`);
  const notes: string[] = ['heating taken as natural gas burnt on site (kWh gross CV)'];
  const kwh = toDecimal(p.floorAreaM2).times(toDecimal(sector.heatingKwhPerM2));
  const sel = trySelect(
    () =>
      selectFactor(c.factors, {
        activity: 'natural_gas',
        region: p.country,
        year: c.year,
        unit: 'kWh',
        basis: 'gross',
        tenantFactors: c.tenantFactors,
      }),
    notes,
  );
  if (sel) notes.push(...sel.warnings.map((w) => w.message));
  let kg: CarbonDecimal | null = null;
  if (sel) {
    const q = convertQuantity(kwh, 'kWh', sel.factor.unit, { from: 'gross', to: sel.factor.basis });
    kg = q.times(toDecimal(sel.factor.kgCo2ePerUnit));
  }
  const inputs: StarterInput[] = [
    areaInput(p),
    {
      name: 'heating intensity',
      value: sector.heatingKwhPerM2,
      unit: 'kWh/m²/yr (gross CV)',
      source: `${sector.heatingBasis}; BDG2 has no gas meters here, so heating is not derived from it`,
      verification: sector.heatingVerification,
    },
  ];
  if (sel) inputs.push(factorInput('natural gas factor', sel.factor));
  return {
    key: 'scope1_heating',
    label: 'Heating (natural gas)',
    scope: 1,
    category: 'stationary_combustion',
    estimate: true,
    kgCo2e: kg === null ? null : roundKg(kg),
    basis: `${p.floorAreaM2} m² × ${sector.heatingKwhPerM2} kWh/m²/yr = ${kwh.toFixed()} kWh × natural gas factor`,
    inputs,
    notes,
  };
}

/**
 * The spend factor of the sector's purchases, chosen as a ledger of the profile's currency would be priced
 * (defaultFactorSet): the EPA v1.3 factor of its NAICS code for USD, the EXIOBASE factor of its product for
 * GBP (region GB) and EUR (region DE as the EU proxy).
 */
function purchaseFactor(sector: StarterSector, currency: string, spend: SpendFactorTables): SpendFactor {
  const set = defaultFactorSet(currency);
  const f =
    set.set === 'epa'
      ? spend.naics.get(sector.naics)
      : spend.exiobase.get(`${sector.exiobase}:${set.region}`);
  if (!f)
    throw new CarbonDataError(
      `starter sector ${sector.sector}: no ${set.set} factor for ${set.set === 'epa' ? sector.naics : sector.exiobase}`,
    );
  return f;
}

/**
 * Scope 3 category 1: revenue × the sector's purchase share (an assumption) × the spend factor of the sector
 * (purchaseFactor), the spend brought to the factor's currency and base year by the ledger's own adjustment
 * (exchange rate of the revenue's year, the factor currency's price index base year / revenue year).
 */
export function purchasesLine(p: StarterInputs, c: StarterEstimateContext): StarterEstimateLine {
  const sector = c.tables.sectors.get(p.sector);
  if (!sector) throw new CarbonDataError(`unknown starter sector ${p.sector}`);
  const f = purchaseFactor(sector, p.currency, c.spend);
  const purchases = toDecimal(p.annualRevenue).times(toDecimal(sector.purchaseShare));
  const adj = adjustSpend(c.prices, purchases, p.currency, p.year, f);
  const factorUnit = `${f.currency} ${f.baseYear}`;
  return {
    key: 'scope3_purchases',
    label: 'Purchased goods and services',
    scope: 3,
    category: SCOPE3_CATEGORY_NAMES[1],
    scope3Category: 1,
    estimate: true,
    kgCo2e: roundKg(adj.adjusted.times(toDecimal(f.kgCo2ePerUnit))),
    basis: `${p.annualRevenue} ${p.currency} × ${sector.purchaseShare} = ${purchases.toFixed()} ${p.currency} → ${adj.adjusted.toDecimalPlaces(2).toFixed()} ${factorUnit} (${adj.basis}) × ${f.kgCo2ePerUnit} kg CO2e/${f.currency}`,
    inputs: [
      {
        name: 'annual revenue',
        value: p.annualRevenue,
        unit: p.currency,
        source: 'starter profile',
        verification: 'entered',
      },
      {
        name: `share of revenue spent on purchases (${sector.label})`,
        value: sector.purchaseShare,
        unit: 'fraction',
        source: 'Halve assumption per sector (libs/carbon/data/starter/sectors.csv)',
        verification: sector.purchaseShareVerification,
      },
      {
        name: 'price adjustment',
        value: adj.fx.times(adj.indexRatio).toSignificantDigits(10).toFixed(),
        unit: `${factorUnit} per ${p.currency} ${p.year}`,
        source: adj.basis,
        verification: '◐ shipped indices and rates (libs/carbon/data/spend/indices/SOURCE.md)',
      },
      {
        name: `spend factor ${f.id} (${f.title})`,
        value: f.kgCo2ePerUnit,
        unit: `kg CO2e/${factorUnit}`,
        source: `${f.source} (${f.licence})`,
        verification:
          f.set === 'epa-useeio-v1.3'
            ? '✔ EPA v1.3 file as published'
            : '◐ OEFDB rows as published (libs/carbon/data/spend/exiobase-oefdb/SOURCE.md)',
      },
    ],
    notes: ["the sector's own supply-chain factor stands in for the mix of what it buys", ...adj.notes],
  };
}

/** The three estimate lines of a profile. */
export function starterEstimate(p: StarterInputs, c: StarterEstimateContext): StarterEstimateLine[] {
  return [electricityLine(p, c), heatingLine(p, c), purchasesLine(p, c)];
}
