import Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import type { InventoryView } from '@halve/carbon';
import type { VerifiedMeasureReport } from '@halve/recommendations';
import type { ClaimType, EvidenceKind } from '../entities/certification.entities';
import type { ManagementPlanInput, Scope3ScreeningInput } from '../iso14068';
import type { OffsetInput } from '../iso14068-offsets';

/**
 * What every claim rule shares: the inputs and results of the rules, the decimal arithmetic and the
 * rounding of the figures, and the period helpers. The rules are pure functions of these.
 */

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof D>;
export const kwh = (v: Dec) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
export const kg = kwh;
export const pct = (v: Dec) => v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber();
export const sum = (values: (number | string)[]) => values.reduce<Dec>((s, v) => s.plus(new D(v)), new D(0));

export type Scope = 1 | 2 | 3;

export interface SavingsInput {
  measure: string;
  savedKwh: string;
  savedKgCo2e?: string;
  reportingFrom?: string;
  reportingTo?: string;
  method?: string;
  reference?: string;
}

export interface ClaimInputs {
  scopes?: Scope[];
  basis?: 'absolute' | 'intensity';
  intensityDenominator?: 'floor_area_m2' | 'employees' | 'revenue';
  scope2Method?: 'location' | 'market';
  baseYear?: number;
  savings?: SavingsInput[];
  /** carbon_neutral (ISO 14068-1): structured retired credits. */
  offsets?: OffsetInput[];
  /** carbon_neutral: the carbon-neutrality management plan (targets, dated measures). */
  managementPlan?: ManagementPlanInput;
  /** carbon_neutral: screening estimates of the Scope 3 categories the inventory does not quantify. */
  scope3Screening?: Scope3ScreeningInput[];
}

/** Instrument details from the carbon module (serials, emission rate) keyed by id. */
export interface InstrumentDetail {
  id: string;
  type: string;
  scheme: string;
  volumeMwh: string;
  kgCo2ePerKwh: string;
  /** Generation technology (null: not stated). */
  technology?: string | null;
  vintageFrom: string;
  vintageTo: string;
  region: string;
  certificateIds: string[];
  retired: boolean;
}

export interface RuleInput {
  type: ClaimType;
  period: { from: string; to: string };
  inputs: ClaimInputs;
  inventory: InventoryView;
  /** The same span in the base year, when the claim type compares against it and a base year is known. */
  baseInventory?: InventoryView | null;
  basePeriod?: { from: string; to: string; year: number } | null;
  instruments: InstrumentDetail[];
  evidenceKinds: EvidenceKind[];
  /**
   * verified_savings: the recommendations module's verified measures whose M&V report (meeting
   * ASHRAE Guideline 14) overlaps the period.
   */
  mvReports?: VerifiedMeasureReport[];
}

export interface MissingItem {
  field: string;
  message: string;
  /** The rule refused (carbon_neutral: the ISO 14068-1 rule ids of ./iso14068.ts). */
  rule?: string;
}

export interface ChecklistItem {
  key: string;
  label: string;
  auto: 'pass' | 'fail' | 'n/a';
  detail: string;
}

export interface RuleResult {
  figures: Record<string, unknown>;
  /** Documents and data the claim needs before submission; empty when it may be submitted. */
  missing: MissingItem[];
  /** Default claim statement. */
  statement: string;
}

/**
 * One evaluation in progress: the input, the organisation's name and the period as the statement
 * words it, and the missing items gathered so far (in the order the rules find them).
 */
export class RuleContext {
  readonly missing: MissingItem[] = [];
  readonly inv: InventoryView;
  readonly org: string;
  readonly span: string;

  constructor(readonly r: RuleInput) {
    this.inv = r.inventory;
    this.org = r.inventory.organization.name;
    this.span = `${r.period.from} to ${DateTime.fromISO(r.period.to, { zone: 'utc' }).minus({ days: 1 }).toISODate()}`;
  }

  has(kind: EvidenceKind): boolean {
    return this.r.evidenceKinds.includes(kind);
  }

  /** Records a missing document of `kind` (tagged with `rule` when given) unless one was uploaded. */
  need(kind: EvidenceKind, why: string, rule?: string): void {
    if (this.has(kind)) return;
    this.missing.push({
      field: `evidence.${kind}`,
      message: `a document of kind "${kind}" is required: ${why}`,
      ...(rule ? { rule } : {}),
    });
  }
}

/** Default scopes of a claim type. */
export function defaultScopes(type: ClaimType): Scope[] {
  return type === 'carbon_neutral' ? [1, 2, 3] : [1, 2];
}

/** The base-year span of a claim period: the same months, `claim year − base year` years earlier. */
export function basePeriodOf(
  period: { from: string; to: string },
  baseYear: number,
): { from: string; to: string; year: number } {
  const from = DateTime.fromISO(period.from, { zone: 'utc' });
  const shift = from.year - baseYear;
  const to = DateTime.fromISO(period.to, { zone: 'utc' });
  return {
    from: from.minus({ years: shift }).toISODate() as string,
    to: to.minus({ years: shift }).toISODate() as string,
    year: baseYear,
  };
}

/** The latest retirement date of offsets: twelve months after the period end (the exclusive `to`). */
export function retirementDeadline(periodTo: string): string {
  return DateTime.fromISO(periodTo, { zone: 'utc' }).plus({ months: 12 }).toISODate() as string;
}

/** Validity by default: one year after the period's last day. */
export function defaultValidUntil(periodTo: string): string {
  return DateTime.fromISO(periodTo, { zone: 'utc' })
    .plus({ years: 1 })
    .minus({ days: 1 })
    .toISODate() as string;
}
