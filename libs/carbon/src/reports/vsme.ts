import { toDecimal } from '../factors/decimal';
import type { EmissionFactor } from '../factors/emission-factor';
import type { InventoryView } from '../inventory/inventory-view.types';
import { vsmeEnergy, type VsmeEnergy } from './vsme-energy';

export type { VsmeEnergy, VsmeEnergyRow } from './vsme-energy';

/**
 * The EFRAG Voluntary SME standard (VSME, December 2024), Basic module: B1 "Basis for preparation"
 * and B3 "Energy and greenhouse gas emissions", as datapoints. The datapoint ids and labels follow the
 * VSME text as recalled (◐: not checked against EFRAG's XBRL/Excel template file, which the repository
 * does not hold). Everything Halve does not hold is taken from the organisation's settings or the
 * request, and otherwise answered `null` and shown as "not provided": never guessed.
 */
export type DatapointOrigin =
  'inventory' | 'organisation' | 'starter profile' | 'request' | 'halve' | 'not provided';

export interface VsmeDatapoint {
  id: string;
  label: string;
  /** Text form ("not provided" is `null`). */
  value: string | null;
  /** The number where the datapoint is a figure. */
  number: number | null;
  unit: string | null;
  origin: DatapointOrigin;
}

export interface VsmeSite {
  name: string;
  address: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
}

export interface VsmeCertification {
  number: string;
  claimType: string;
  bodyName: string;
  issuedAt: string;
  validUntil: string;
}

/** The B1 figures Halve does not hold, as given on the request (all optional). */
export interface VsmeParams {
  legalForm?: string;
  naceCode?: string;
  /** Balance-sheet total, in the organisation's currency. */
  balanceSheet?: number;
  /** Turnover, in the organisation's currency (default: the organisation's annual revenue). */
  turnover?: number;
  /** Employees, headcount (default: the organisation's setting). */
  employees?: number;
  basis?: 'individual' | 'consolidated';
}

export interface VsmeInput {
  year: number;
  inventory: InventoryView;
  factors: EmissionFactor[];
  org: { country: string; currency: string; employees: number | null; annualRevenue: string | null };
  sites: VsmeSite[];
  certifications: VsmeCertification[];
  params: VsmeParams;
  /** The starter-footprint profile, where the organisation filled one in (NACE code only for a NACE profile; revenue only in the organisation's currency). */
  starter?: StarterFacts | null;
}

export interface StarterFacts {
  naceCode: string | null;
  employees: number | null;
  annualRevenue: number | null;
}

export interface VsmeReport {
  module: 'Basic';
  year: number;
  period: { from: string; to: string };
  organisation: string;
  currency: string;
  b1: VsmeDatapoint[];
  sites: VsmeSite[];
  certifications: VsmeCertification[];
  energy: VsmeEnergy;
  b3: VsmeDatapoint[];
  notes: string[];
}

const dp = (
  id: string,
  label: string,
  value: string | number | null | undefined,
  unit: string | null,
  origin: DatapointOrigin,
): VsmeDatapoint => {
  const none = value === null || value === undefined || value === '';
  return {
    id,
    label,
    value: none ? null : String(value),
    number: typeof value === 'number' ? value : null,
    unit,
    origin: none ? 'not provided' : origin,
  };
};

/** The first value given: the request, then the organisation's settings, then its starter profile; none → not provided. */
function first<T>(...candidates: [T | null | undefined, DatapointOrigin][]): [T | null, DatapointOrigin] {
  for (const [v, origin] of candidates) if (v !== undefined && v !== null) return [v, origin];
  return [null, 'not provided'];
}

function b1(input: VsmeInput, turnover: [number | null, DatapointOrigin]): VsmeDatapoint[] {
  const { inventory: inv, org, params, sites, certifications } = input;
  const cur = org.currency;
  const starter = input.starter;
  const employees = first<number>(
    [params.employees, 'request'],
    [org.employees, 'organisation'],
    [starter?.employees, 'starter profile'],
  );
  const nace = first<string>([params.naceCode, 'request'], [starter?.naceCode, 'starter profile']);
  const basis = params.basis ?? 'individual';
  return [
    dp('B1.module', 'Reporting option chosen (module)', 'Basic module', null, 'halve'),
    dp('B1.name', "Undertaking's name", inv.organization.name, null, 'organisation'),
    dp(
      'B1.period',
      'Reporting period',
      `${inv.period.from} to ${inv.period.to} (end exclusive)`,
      null,
      'halve',
    ),
    dp(
      'B1.basis',
      'Basis for preparation (individual or consolidated)',
      basis,
      null,
      params.basis ? 'request' : 'halve',
    ),
    dp('B1.legalForm', 'Legal form', params.legalForm, null, 'request'),
    dp('B1.nace', 'NACE sector classification code', nace[0], null, nace[1]),
    dp('B1.balanceSheet', 'Size of the balance sheet', params.balanceSheet, cur, 'request'),
    dp('B1.turnover', 'Turnover', turnover[0], cur, turnover[1]),
    dp('B1.employees', 'Number of employees (headcount)', employees[0], 'employees', employees[1]),
    dp('B1.country', 'Country of primary operations', org.country, null, 'organisation'),
    dp('B1.sites', 'Sites (number; listed with addresses)', sites.length, 'sites', 'organisation'),
    dp(
      'B1.certifications',
      'Sustainability-related certifications or labels (Halve certificates issued)',
      certifications.length ? certifications.map((c) => c.number).join(', ') : 'none',
      null,
      'halve',
    ),
  ];
}

/** tCO2e per million of turnover, to 6 decimals; null without a positive turnover. */
export function intensityPerMillion(kgCo2e: number, turnover: number | null): number | null {
  if (turnover === null || !(turnover > 0)) return null;
  return toDecimal(kgCo2e).div(1000).div(toDecimal(turnover).div(1_000_000)).toDecimalPlaces(6).toNumber();
}

function b3(input: VsmeInput, energy: VsmeEnergy, turnover: number | null): VsmeDatapoint[] {
  const inv = input.inventory;
  const t = (kg: number) => toDecimal(kg).div(1000).toDecimalPlaces(3).toNumber();
  const cur = input.org.currency;
  const s12l = toDecimal(inv.scope1KgCo2e).plus(inv.scope2LocationKgCo2e).toNumber();
  const s12m = toDecimal(inv.scope1KgCo2e).plus(inv.scope2MarketKgCo2e).toNumber();
  const cats = Object.keys(inv.scope3ByCategoryKgCo2e);
  const energyTotal = energy.rows.find((r) => r.row === 'total');
  return [
    dp('B3.energy', 'Total energy consumption', energyTotal?.totalMwh ?? null, 'MWh', 'inventory'),
    dp('B3.scope1', 'Gross Scope 1 GHG emissions', t(inv.scope1KgCo2e), 'tCO2e', 'inventory'),
    dp(
      'B3.scope2Location',
      'Gross Scope 2 GHG emissions (location-based)',
      t(inv.scope2LocationKgCo2e),
      'tCO2e',
      'inventory',
    ),
    dp(
      'B3.scope2Market',
      'Gross Scope 2 GHG emissions (market-based)',
      t(inv.scope2MarketKgCo2e),
      'tCO2e',
      'inventory',
    ),
    dp(
      'B3.scope3',
      'Gross Scope 3 GHG emissions (optional in the Basic module; categories measured)',
      cats.length ? t(inv.scope3KgCo2e) : null,
      'tCO2e',
      'inventory',
    ),
    dp(
      'B3.totalLocation',
      'Total GHG emissions, Scope 1 + 2 (location-based)',
      t(s12l),
      'tCO2e',
      'inventory',
    ),
    dp('B3.totalMarket', 'Total GHG emissions, Scope 1 + 2 (market-based)', t(s12m), 'tCO2e', 'inventory'),
    dp(
      'B3.intensityLocation',
      'GHG intensity per turnover, Scope 1 + 2 (location-based)',
      intensityPerMillion(s12l, turnover),
      `tCO2e / ${cur} million`,
      'inventory',
    ),
    dp(
      'B3.intensityMarket',
      'GHG intensity per turnover, Scope 1 + 2 (market-based)',
      intensityPerMillion(s12m, turnover),
      `tCO2e / ${cur} million`,
      'inventory',
    ),
  ];
}

/** The VSME Basic B1 and B3 datapoints of a reporting year. */
export function vsmeReport(input: VsmeInput): VsmeReport {
  const inv = input.inventory;
  const rev = input.org.annualRevenue === null ? null : toDecimal(input.org.annualRevenue).toNumber();
  const turnover = first<number>(
    [input.params.turnover, 'request'],
    [rev, 'organisation'],
    [input.starter?.annualRevenue, 'starter profile'],
  );
  const energy = vsmeEnergy(inv, input.factors);
  const scope3 = Object.entries(inv.scope3ByCategoryKgCo2e).map(([k]) => k);
  return {
    module: 'Basic',
    year: input.year,
    period: { from: inv.period.from, to: inv.period.to },
    organisation: inv.organization.name,
    currency: input.org.currency,
    b1: b1(input, turnover),
    sites: input.sites,
    certifications: input.certifications,
    energy,
    b3: b3(input, energy, turnover[0]),
    notes: [
      'Prepared following the EFRAG VSME (December 2024), Basic module B1 and B3; datapoint labels as recalled, not checked against the EFRAG template file (◐).',
      'GHG emissions from the Halve inventory of the period (GHG Protocol Corporate Standard; Scope 2 location- and market-based).',
      `Scope 3 categories measured: ${scope3.length ? scope3.join(', ') : 'none'}.`,
      `GHG intensity: Scope 1 + 2 emissions (t CO2e) per million ${input.org.currency} of turnover; "not provided" without a turnover.`,
      ...energy.notes,
    ],
  };
}
