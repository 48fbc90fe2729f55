import { CarbonDecimal, toDecimal } from '../factors/decimal';
import { SBTI_1_5C_ANNUAL_RATE } from '../ghg/targets';
import type { InventoryTotals } from '../inventory/inventory.types';

/**
 * The SBTi SME route: a predefined near-term target instead of a validated one. The target wording,
 * the 42 % by 2030 and the base years are as the SME route states them in the task brief (✘: no SBTi
 * primary document in the repository or ../shared/design; DOMAIN.md §5 has only the 4.2 %/yr linear
 * rule, ◐). The eligibility criteria are the SBTi SME definition as recalled (◐/✘ per criterion).
 */
export const SBTI_SME_REDUCTION_PCT = 42;
export const SBTI_SME_TARGET_YEAR = 2030;
export const SBTI_SME_BASE_YEARS = { first: 2018, last: 2023 } as const;

export type CheckStatus = 'met' | 'not met' | 'unknown';

export interface EligibilityCheck {
  criterion: string;
  status: CheckStatus;
  value: string | null;
  source: string;
}

export interface SbtiSmeInput {
  baseYear: number;
  base: InventoryTotals & { scope3Categories: string[] };
  company: {
    name: string;
    country: string;
    sector: string | null;
    employees: number | null;
    currency: string;
  };
  scope2Method: 'location' | 'market';
  /** In EUR: turnover and total assets (the SME thresholds are in EUR). */
  turnoverEur: number | null;
  totalAssetsEur: number | null;
  naceCode: string | null;
}

const t = (kg: CarbonDecimal | number) => toDecimal(kg).div(1000).toDecimalPlaces(3).toNumber();

/** NACE Rev. 2 divisions the SME route excludes (◐ as recalled): financial services, oil & gas, mandatory FLAG. */
function sectorCheck(nace: string | null): EligibilityCheck {
  const criterion = 'Not a financial institution, oil and gas company or mandatory FLAG sector';
  const source = '◐ SBTi SME definition as recalled (sector exclusions), checked on the NACE code given';
  if (!nace) return { criterion, status: 'unknown', value: null, source };
  const m = /^([A-U])?\s*(\d{2})/i.exec(nace.trim());
  const division = m ? Number(m[2]) : NaN;
  if (!Number.isFinite(division)) return { criterion, status: 'unknown', value: nace, source };
  const excluded =
    (division >= 64 && division <= 66) ||
    division === 6 ||
    division === 19 ||
    (division >= 1 && division <= 3);
  return { criterion, status: excluded ? 'not met' : 'met', value: nace, source };
}

function below(
  criterion: string,
  v: number | null,
  limit: number,
  unit: string,
  source: string,
): EligibilityCheck {
  if (v === null) return { criterion, status: 'unknown', value: null, source };
  return { criterion, status: v < limit ? 'met' : 'not met', value: `${v} ${unit}`, source };
}

export function smeEligibility(input: SbtiSmeInput): EligibilityCheck[] {
  const s12Location = t(toDecimal(input.base.scope1KgCo2e).plus(input.base.scope2LocationKgCo2e));
  return [
    below(
      'Fewer than 250 employees',
      input.company.employees,
      250,
      'employees',
      '◐ SBTi SME definition as recalled',
    ),
    below(
      'Turnover below EUR 50 million',
      input.turnoverEur,
      50_000_000,
      'EUR',
      '◐ SBTi SME definition as recalled',
    ),
    below(
      'Total assets below EUR 25 million',
      input.totalAssetsEur,
      25_000_000,
      'EUR',
      '◐ SBTi SME definition as recalled',
    ),
    sectorCheck(input.naceCode),
    below(
      'Scope 1 + 2 (location-based) below 10,000 tCO2e in the base year',
      s12Location,
      10_000,
      'tCO2e',
      '✘ threshold from the task brief; not found in a document in the repository',
    ),
  ];
}

/** 'eligible' only when every check is met; any check not met → 'not eligible'; otherwise 'unknown'. */
export function eligibilityVerdict(checks: EligibilityCheck[]): 'eligible' | 'not eligible' | 'unknown' {
  if (checks.some((c) => c.status === 'not met')) return 'not eligible';
  return checks.every((c) => c.status === 'met') ? 'eligible' : 'unknown';
}

/** The SME route submission: base-year emissions, the 42 % target value, eligibility, and the body that creates the target. */
export function sbtiSmeSubmission(input: SbtiSmeInput) {
  const { baseYear, base, scope2Method } = input;
  const s2 = scope2Method === 'location' ? base.scope2LocationKgCo2e : base.scope2MarketKgCo2e;
  const s12 = toDecimal(base.scope1KgCo2e).plus(s2);
  const keep = new CarbonDecimal(100 - SBTI_SME_REDUCTION_PCT).div(100);
  const years = SBTI_SME_TARGET_YEAR - baseYear;
  const checks = smeEligibility(input);
  const linearPct = toDecimal(SBTI_1_5C_ANNUAL_RATE).times(100).times(years).toDecimalPlaces(3).toNumber();
  const name = input.company.name;
  return {
    route: 'SBTi SME route: predefined near-term target',
    company: input.company,
    baseYear,
    targetYear: SBTI_SME_TARGET_YEAR,
    scope2Method,
    base: {
      scope1Tco2e: t(base.scope1KgCo2e),
      scope2LocationTco2e: t(base.scope2LocationKgCo2e),
      scope2MarketTco2e: t(base.scope2MarketKgCo2e),
      scope12Tco2e: t(s12),
      scope3Tco2e: base.scope3Categories.length ? t(base.scope3KgCo2e) : null,
      scope3Categories: base.scope3Categories,
    },
    reductionPct: SBTI_SME_REDUCTION_PCT,
    targetValueTco2e: t(s12.times(keep)),
    annualLinearRatePct: new CarbonDecimal(SBTI_SME_REDUCTION_PCT).div(years).toDecimalPlaces(3).toNumber(),
    linearEquivalentPct: linearPct,
    targetWording: `${name} commits to reduce absolute scope 1 and 2 GHG emissions ${SBTI_SME_REDUCTION_PCT}% by ${SBTI_SME_TARGET_YEAR} from a ${baseYear} base year, and to measure and reduce its scope 3 emissions.`,
    scope3Commitment:
      'Measure and reduce Scope 3 emissions (no predefined Scope 3 target value on the SME route).',
    eligibility: { verdict: eligibilityVerdict(checks), checks },
    createTarget: {
      name: `SBTi SME near-term: Scopes 1+2 −${SBTI_SME_REDUCTION_PCT} % by ${SBTI_SME_TARGET_YEAR} from ${baseYear}`,
      kind: 'absolute' as const,
      scopes: [1, 2],
      scope2Method,
      baseYear,
      targetYear: SBTI_SME_TARGET_YEAR,
      reductionPct: String(SBTI_SME_REDUCTION_PCT),
    },
    notes: [
      `Target: ${SBTI_SME_REDUCTION_PCT} % below the ${baseYear} Scope 1 + 2 (${scope2Method}-based) emissions by ${SBTI_SME_TARGET_YEAR} (✘ SME-route figures as given in the task brief; check the current SBTi SME route before submitting).`,
      `For comparison, 4.2 %/yr linear from ${baseYear} is ${linearPct} % by ${SBTI_SME_TARGET_YEAR} (DOMAIN.md §5, ◐); a base year before 2020 gives a ${SBTI_SME_REDUCTION_PCT} % target below that pace, and the targets module's 1.5 °C check says so.`,
      'Eligibility is checked only as far as Halve holds the figures; "unknown" criteria need the figures (query parameters) or a manual check.',
    ],
  };
}

export type SbtiSmeSubmission = ReturnType<typeof sbtiSmeSubmission>;
