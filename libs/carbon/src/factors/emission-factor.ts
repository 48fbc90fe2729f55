import type { CalorificBasis } from './units';

/** GHG Protocol scope of the emissions a factor produces. */
export type Scope = 1 | 2 | 3;

/** What a factor is meant for (see libs/carbon/data/SOURCE.md). */
export type FactorPurpose =
  /** corporate GHG inventories (GHG Protocol reporting) — the default for selection */
  | 'corporate_inventory'
  /** compliance carbon markets, e.g. China's 0.5703 t/MWh for ETS reporting */
  | 'carbon_market'
  /** marginal / non-baseload rates for avoided-emission estimates, never for inventories */
  | 'avoided_emissions'
  /** reference values (e.g. fossil-only grid intensity) */
  | 'reference';

export type GwpSetName = 'AR4' | 'AR5' | 'AR6';

/**
 * One emission factor, as one row of libs/carbon/data/emission-factors.csv (and one row of the
 * future `emission_factor` table). Numeric values are exact decimal strings.
 */
export interface EmissionFactor {
  /** Stable id: `<sourceKey>:<activity>[.<variant>]:<region>:<year>:<unit>[-<basis>][:<purpose>]`. */
  id: string;
  source: string;
  edition: string;
  publishedYear: number;
  /** The year the factor describes (data year). */
  year: number;
  /** GB, eGRID subregion (CAMX...), US, CN, CN-East..., ISO country codes, GLOBAL. */
  region: string;
  /** Controlled vocabulary (libs/carbon/data/SOURCE.md §Activities). */
  activity: string;
  /** Sub-type within the activity ('' = the default for the activity), e.g. `average_car.diesel`. */
  variant: string;
  scope: Scope;
  scope3Category: number | null;
  /** Activity unit the factor applies per (kWh, litre, m3, tonne, km, passenger.km, GBP...). */
  unit: string;
  /** Calorific-value basis for fuel energy units. */
  basis: CalorificBasis | '';
  kgCo2ePerUnit: string;
  kgCo2PerUnit: string | null;
  /** Gas masses where the source gives masses (EPA, IPCC). */
  kgCh4PerUnit: string | null;
  kgN2oPerUnit: string | null;
  /** CO2e contribution of CH4/N2O where the source gives it (DESNZ, and derived for EPA/IPCC). */
  kgCo2eCh4PerUnit: string | null;
  kgCo2eN2oPerUnit: string | null;
  gwpSet: GwpSetName | '';
  purpose: FactorPurpose;
  /** ✔ / ◐ / ✘ and how the value was checked. */
  verification: string;
  licence: string;
  url: string;
  sourceRef: string;
  label: string;
  /** Set for a tenant's own factor (e.g. supplier-specific); never on shared library rows. */
  tenantId?: string;
  /** Evidence for a tenant factor (document id, supplier disclosure). */
  evidence?: string;
}

/** The factor as shown on an inventory line. */
export interface FactorRef {
  id: string;
  value: string;
  unit: string;
  source: string;
  edition: string;
  year: number;
  region: string;
}

export function factorRef(
  f: Pick<EmissionFactor, 'id' | 'kgCo2ePerUnit' | 'unit' | 'source' | 'edition' | 'year' | 'region'>,
): FactorRef {
  return {
    id: f.id,
    value: f.kgCo2ePerUnit,
    unit: f.unit,
    source: f.source,
    edition: f.edition,
    year: f.year,
    region: f.region,
  };
}

/** Structured warning; `code` is stable, `message` is for people. */
export interface CarbonWarning {
  code:
    | 'FACTOR_YEAR_PROXY'
    | 'FACTOR_REGION_PROXY'
    | 'FACTOR_BASIS_ASSUMED'
    | 'NO_FACTOR'
    | 'RESIDUAL_MIX_UNAVAILABLE'
    | 'RESIDUAL_MIX_PROXY'
    | 'GWP_SET_MIXED'
    | 'INSTRUMENT_REJECTED'
    | 'INSTRUMENT_VOLUME_UNUSED'
    | 'TD_FACTOR_UNAVAILABLE'
    | 'HOURLY_INTENSITY_FALLBACK'
    | 'ONSITE_GENERATION_INCOMPLETE'
    | 'CERTIFICATES_SOLD_LOCATION_ASSUMPTION'
    | 'GWP_FROM_LINE';
  message: string;
  lineId?: string;
  factorId?: string;
  instrumentId?: string;
  siteId?: string;
}
