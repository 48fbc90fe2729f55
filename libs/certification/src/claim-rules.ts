import Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import type { InventoryView } from '@halve/carbon';
import type { VerifiedMeasureReport } from '@halve/recommendations';
import type { ClaimType, EvidenceKind } from './entities/certification.entities';
import {
  RULES,
  checkManagementPlan,
  checkScope3Boundary,
  type ManagementPlanInput,
  type Scope3ScreeningInput,
} from './iso14068';
import { checkOffsets, type OffsetInput } from './iso14068-offsets';

export type { ManagementPlanInput, Scope3ScreeningInput } from './iso14068';
export type { OffsetInput } from './iso14068-offsets';

/**
 * The rules of each claim type, as pure functions of the carbon module's inventory (and the base
 * year's), the organisation's inputs and the kinds of documents uploaded: the figures, what is
 * missing before the claim may be submitted, and the certifier's checklist.
 */

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;
const kwh = (v: Dec) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
const kg = kwh;
const pct = (v: Dec) => v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber();
const sum = (values: (number | string)[]) => values.reduce<Dec>((s, v) => s.plus(new D(v)), new D(0));

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

const RENEWABLE_SOURCES = new Set(['solar', 'wind', 'hydro', 'other_renewable']);
/** Instrument technologies a renewable-share claim counts (a zero-rated nuclear GO is not renewable). */
export const RENEWABLE_INSTRUMENT_TECHNOLOGIES = new Set([
  'solar',
  'wind',
  'hydro',
  'geothermal',
  'biomass',
  'biogas',
  'ocean',
]);

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

function renewableInstruments(inv: InventoryView, details: InstrumentDetail[]) {
  const byId = new Map(details.map((d) => [d.id, d]));
  const counted: {
    id: string;
    type: string;
    technology: string;
    scheme: string | null;
    allocatedKwh: number;
    certificateIds: string[];
  }[] = [];
  const excluded: { id: string; type: string; reason: string }[] = [];
  for (const i of inv.instruments) {
    const d = byId.get(i.id);
    if (!i.accepted)
      excluded.push({
        id: i.id,
        type: i.type,
        reason: i.issues.map((x) => x.code).join(', ') || 'not accepted by the inventory',
      });
    else if (i.type === 'supplier_specific' || (d && !new D(d.kgCo2ePerKwh).isZero()))
      excluded.push({ id: i.id, type: i.type, reason: 'not a zero-emission renewable instrument' });
    else if (!d?.technology)
      excluded.push({
        id: i.id,
        type: i.type,
        reason: 'technology not stated: only instruments from renewable technologies count',
      });
    else if (!RENEWABLE_INSTRUMENT_TECHNOLOGIES.has(d.technology))
      excluded.push({
        id: i.id,
        type: i.type,
        reason: `${d.technology} is not a renewable technology (zero-rated is not renewable)`,
      });
    else if (i.allocatedKwh > 0)
      counted.push({
        id: i.id,
        type: i.type,
        technology: d.technology,
        scheme: d?.scheme ?? null,
        allocatedKwh: i.allocatedKwh,
        certificateIds: d?.certificateIds ?? [],
      });
  }
  return { counted, excluded };
}

function emissionsOf(inv: InventoryView, scopes: Scope[], method: 'location' | 'market') {
  const s2 = method === 'market' ? inv.scope2MarketKgCo2e : inv.scope2LocationKgCo2e;
  const parts = { scope1KgCo2e: inv.scope1KgCo2e, scope2KgCo2e: s2, scope3KgCo2e: inv.scope3KgCo2e };
  const total = sum([
    scopes.includes(1) ? parts.scope1KgCo2e : 0,
    scopes.includes(2) ? parts.scope2KgCo2e : 0,
    scopes.includes(3) ? parts.scope3KgCo2e : 0,
  ]);
  return { ...parts, totalKgCo2e: kg(total), total };
}

const DENOMINATOR_UNITS = {
  floor_area_m2: 'm²',
  employees: 'employee',
  revenue: 'currency unit of revenue',
} as const;

function denominatorOf(
  inv: InventoryView,
  which: NonNullable<ClaimInputs['intensityDenominator']>,
): number | null {
  if (which === 'floor_area_m2') return inv.denominators.floorAreaM2;
  if (which === 'employees') return inv.denominators.employees;
  return inv.denominators.revenue;
}

export interface RuleResult {
  figures: Record<string, unknown>;
  /** Documents and data the claim needs before submission; empty when it may be submitted. */
  missing: MissingItem[];
  /** Default claim statement. */
  statement: string;
}

/** Figures, missing evidence and the default statement of a claim. */
export function evaluateClaim(r: RuleInput): RuleResult {
  const missing: MissingItem[] = [];
  const has = (kind: EvidenceKind) => r.evidenceKinds.includes(kind);
  const need = (kind: EvidenceKind, why: string) => {
    if (!has(kind))
      missing.push({
        field: `evidence.${kind}`,
        message: `a document of kind "${kind}" is required: ${why}`,
      });
  };
  const inv = r.inventory;
  const org = inv.organization.name;
  const span = `${r.period.from} to ${DateTime.fromISO(r.period.to, { zone: 'utc' }).minus({ days: 1 }).toISODate()}`;

  switch (r.type) {
    case 'renewable_share': {
      const gen = inv.onSiteGeneration.filter(
        (g) => !g.certificatesSold && g.generationSources.every((s) => RENEWABLE_SOURCES.has(s)),
      );
      const selfConsumed = sum(gen.map((g) => g.selfConsumedKwh));
      const allSelfConsumed = sum(inv.onSiteGeneration.map((g) => g.selfConsumedKwh));
      const purchased = new D(inv.purchasedElectricityKwh);
      const total = purchased.plus(allSelfConsumed);
      const { counted, excluded } = renewableInstruments(inv, r.instruments);
      const instrumentsKwh = sum(counted.map((c) => c.allocatedKwh));
      const renewable = selfConsumed.plus(instrumentsKwh);
      const share = total.isZero() ? new D(0) : renewable.div(total).times(100);
      if (total.isZero())
        missing.push({
          field: 'inventory.electricity',
          message: `no electricity consumption is recorded for ${span}`,
        });
      else if (renewable.isZero())
        missing.push({
          field: 'figures.renewableKwh',
          message:
            'no renewable electricity (self-consumed on-site generation or valid instruments) in the period',
        });
      if (instrumentsKwh.gt(0))
        need(
          'certificate',
          `${kwh(instrumentsKwh)} kWh of contractual instruments are counted (${counted.map((c) => c.type).join(', ')})`,
        );
      return {
        figures: {
          totalElectricityKwh: kwh(total),
          purchasedElectricityKwh: kwh(purchased),
          exportedElectricityKwh: inv.exportedElectricityKwh,
          onSiteGenerationKwh: kwh(sum(inv.onSiteGeneration.map((g) => g.generationKwh))),
          onSiteSelfConsumedKwh: kwh(selfConsumed),
          instrumentsKwh: kwh(instrumentsKwh),
          renewableKwh: kwh(renewable),
          renewableSharePct: pct(share),
          instruments: counted,
          excludedInstruments: excluded,
          scope2LocationKgCo2e: inv.scope2LocationKgCo2e,
          scope2MarketKgCo2e: inv.scope2MarketKgCo2e,
        },
        missing,
        statement: `${org}: ${pct(share)} % of the electricity consumed from ${span} was renewable (on-site generation self-consumed and retired contractual instruments).`,
      };
    }

    case 'emission_reduction':
    case 'carbon_neutral': {
      const scopes = [...new Set(r.inputs.scopes ?? defaultScopes(r.type))].sort() as Scope[];
      const method = r.inputs.scope2Method ?? 'market';
      const current = emissionsOf(inv, scopes, method);
      const base = r.baseInventory ? emissionsOf(r.baseInventory, scopes, method) : null;
      const reduction = base ? base.total.minus(current.total) : null;
      const reductionPct =
        base && !base.total.isZero() && reduction ? reduction.div(base.total).times(100) : null;
      if (!r.basePeriod)
        missing.push({
          field: 'baseYear',
          message: 'a base year is required (set the organisation’s base year or give baseYear)',
        });
      else if (!base || base.total.isZero())
        missing.push({
          field: 'baseInventory',
          message: `the base year ${r.basePeriod.year} (${r.basePeriod.from}..${r.basePeriod.to}) has no emissions recorded for scopes ${scopes.join('+')}`,
        });
      const figures: Record<string, unknown> = {
        scopes,
        scope2Method: method,
        baseYear: r.basePeriod?.year ?? null,
        basePeriod: r.basePeriod ? { from: r.basePeriod.from, to: r.basePeriod.to } : null,
        current: {
          scope1KgCo2e: current.scope1KgCo2e,
          scope2KgCo2e: current.scope2KgCo2e,
          scope3KgCo2e: current.scope3KgCo2e,
          totalKgCo2e: current.totalKgCo2e,
        },
        base: base
          ? {
              scope1KgCo2e: base.scope1KgCo2e,
              scope2KgCo2e: base.scope2KgCo2e,
              scope3KgCo2e: base.scope3KgCo2e,
              totalKgCo2e: base.totalKgCo2e,
            }
          : null,
        scope2LocationKgCo2e: inv.scope2LocationKgCo2e,
        scope2MarketKgCo2e: inv.scope2MarketKgCo2e,
        reductionKgCo2e: reduction ? kg(reduction) : null,
        reductionPct: reductionPct ? pct(reductionPct) : null,
      };

      if (r.type === 'emission_reduction') {
        const basis = r.inputs.basis ?? 'absolute';
        figures.basis = basis;
        let shown = reductionPct;
        if (basis === 'intensity') {
          const which = r.inputs.intensityDenominator;
          const denNow = which ? denominatorOf(inv, which) : null;
          const denBase = which && r.baseInventory ? denominatorOf(r.baseInventory, which) : null;
          if (!which)
            missing.push({
              field: 'intensityDenominator',
              message: 'an intensity claim needs intensityDenominator (floor_area_m2, employees or revenue)',
            });
          else if (!denNow || !denBase)
            missing.push({
              field: 'intensityDenominator',
              message: `no ${which} is recorded for the organisation`,
            });
          if (which && denNow && denBase && base) {
            const ib = base.total.div(denBase);
            const ic = current.total.div(denNow);
            shown = ib.isZero() ? null : ib.minus(ic).div(ib).times(100);
            figures.intensity = {
              denominator: which,
              unit: `kg CO2e per ${DENOMINATOR_UNITS[which]}`,
              baseDenominator: denBase,
              currentDenominator: denNow,
              baseKgCo2ePerUnit: ib.toDecimalPlaces(6).toNumber(),
              currentKgCo2ePerUnit: ic.toDecimalPlaces(6).toNumber(),
              reductionPct: shown ? pct(shown) : null,
            };
          }
        }
        if (base && !base.total.isZero() && (!shown || shown.lte(0))) {
          missing.push({
            field: 'figures.reductionPct',
            message: `emissions did not fall against the base year ${r.basePeriod?.year}: nothing to claim`,
          });
        }
        const what =
          basis === 'intensity'
            ? `emission intensity (${DENOMINATOR_UNITS[r.inputs.intensityDenominator ?? 'floor_area_m2']})`
            : 'emissions';
        return {
          figures,
          missing,
          statement: `${org}: Scope ${scopes.join('+')} ${what} from ${span} were ${shown ? pct(shown) : 0} % lower than in the base year ${r.basePeriod?.year ?? '—'} (${method}-based Scope 2).`,
        };
      }

      // carbon_neutral (ISO 14068-1:2023; PAS 2060 is withdrawn): boundary with significant Scope 3,
      // reductions checked against the management plan, structured credits covering the residual.
      const deadline = retirementDeadline(r.period.to);
      const tag = (rule: string) => (m: MissingItem) => ({ ...m, rule: m.rule ?? rule });
      const before = missing.length;
      for (let i = 0; i < before; i++) missing[i] = tag(RULES.baseYear)(missing[i]);
      const s12 = sum([current.scope1KgCo2e, current.scope2KgCo2e]);
      const boundary = checkScope3Boundary(inv, s12, scopes, r.inputs.scope3Screening);
      missing.push(...boundary.missing);
      const claimYear = DateTime.fromISO(r.period.from, { zone: 'utc' }).year;
      const plan = checkManagementPlan(r.inputs.managementPlan, {
        baseYear: r.basePeriod?.year ?? null,
        claimYear,
        periodTo: r.period.to,
        reductionPct: reductionPct ?? (base ? new D(0) : null),
      });
      missing.push(...plan.missing);
      const planDocs = missing.length;
      need('management_plan', 'the carbon-neutrality management plan document (ISO 14068-1)');
      for (let i = planDocs; i < missing.length; i++) missing[i] = tag(RULES.planDocument)(missing[i]);
      if (reduction && base && !base.total.isZero() && reduction.lte(0)) {
        missing.push({
          rule: RULES.reduction,
          field: 'figures.reductionKgCo2e',
          message: `no reduction against the base year ${r.basePeriod?.year} is shown: offsetting alone is not carbon neutrality`,
        });
      }
      const residual = current.total;
      const credits = checkOffsets(r.inputs.offsets, {
        periodFrom: r.period.from,
        deadline,
        organisation: org,
        residual,
      });
      missing.push(...credits.missing);
      if (credits.offsets.length) {
        const at = missing.length;
        need(
          'retirement_receipt',
          'offset credits must be shown retired with the registry’s retirement receipt',
        );
        for (let i = at; i < missing.length; i++) missing[i] = tag(RULES.offsetReceipt)(missing[i]);
      }
      const { counted } = renewableInstruments(inv, r.instruments);
      if (method === 'market' && counted.length) {
        const at = missing.length;
        need('certificate', 'market-based Scope 2 counts contractual instruments');
        for (let i = at; i < missing.length; i++) missing[i] = tag('scope2.market.certificate')(missing[i]);
      }
      const offsetKg = credits.creditedKg;
      figures.standard = 'ISO 14068-1:2023 (PAS 2060 is withdrawn)';
      figures.boundary = boundary.result;
      figures.managementPlan = plan.result;
      figures.residualKgCo2e = kg(residual);
      figures.offsets = credits.offsets;
      figures.offsetsKgCo2e = kg(offsetKg);
      figures.removalsTonnesCo2e = credits.removalsT.toNumber();
      figures.avoidanceTonnesCo2e = credits.avoidanceT.toNumber();
      figures.offsetCoveragePct = residual.isZero() ? null : pct(offsetKg.div(residual).times(100));
      figures.retirementDeadline = deadline;
      figures.residualCovered = offsetKg.gte(residual);
      return {
        figures,
        missing,
        statement: `${org}: carbon neutral for ${span} (ISO 14068-1:2023): Scope ${scopes.join('+')} emissions of ${kg(residual)} kg CO2e, ${reductionPct ? pct(reductionPct) : 0} % below the base year ${r.basePeriod?.year ?? '—'}, with the residual offset by ${kg(offsetKg.div(1000))} t of retired credits (${credits.removalsT.toNumber()} t removals, ${credits.avoidanceT.toNumber()} t avoidance).`,
      };
    }

    case 'verified_savings': {
      const mv = r.mvReports ?? [];
      if (mv.length) return verifiedSavingsFromMv(r, mv, org, span, missing);
      // Fallback when no measure of the period was verified in Halve: savings entered by the
      // organisation from external M&V reports, with the report or measured data as required evidence.
      const savings = r.inputs.savings ?? [];
      const purchased = new D(inv.purchasedElectricityKwh);
      const gridFactor = purchased.isZero() ? null : new D(inv.scope2LocationKgCo2e).div(purchased);
      const rows = savings.map((s) => {
        const saved = new D(s.savedKwh);
        const co2 =
          s.savedKgCo2e !== undefined ? new D(s.savedKgCo2e) : gridFactor ? saved.times(gridFactor) : null;
        return {
          measure: s.measure,
          savedKwh: kwh(saved),
          savedKgCo2e: co2 ? kg(co2) : null,
          kgCo2eBasis:
            s.savedKgCo2e !== undefined
              ? 'entered'
              : gridFactor
                ? 'period average location-based grid factor'
                : null,
          reportingFrom: s.reportingFrom ?? null,
          reportingTo: s.reportingTo ?? null,
          method: s.method ?? null,
          reference: s.reference ?? null,
        };
      });
      const totalKwh = sum(rows.map((x) => x.savedKwh));
      const totalKg = sum(rows.map((x) => x.savedKgCo2e ?? 0));
      if (!rows.length)
        missing.push({
          field: 'savings',
          message: `no measure verified in Halve (a recommendation with status verified and an M&V report meeting ASHRAE Guideline 14) has a reporting period overlapping ${span}, and no externally verified savings (measure, savedKwh) were entered`,
        });
      else if (totalKwh.lte(0))
        missing.push({ field: 'savings', message: 'the verified savings must be positive' });
      if (rows.length && !has('other') && !has('meter_export')) {
        missing.push({
          field: 'evidence.other',
          message:
            'the M&V report (kind "other") or the measured data (kind "meter_export") is required for entered savings',
        });
      }
      return {
        figures: {
          source: 'user_entered',
          savings: rows,
          totalSavedKwh: kwh(totalKwh),
          totalSavedKgCo2e: kg(totalKg),
          gridFactorKgCo2ePerKwh: gridFactor ? gridFactor.toDecimalPlaces(6).toNumber() : null,
          purchasedElectricityKwh: inv.purchasedElectricityKwh,
        },
        missing,
        statement: `${org}: measured-and-verified energy savings of ${kwh(totalKwh)} kWh (${kg(totalKg)} kg CO2e) from ${span}.`,
      };
    }
  }
}

/**
 * The part of an M&V report's avoided energy that falls in [from, to): the whole report when its
 * reporting period lies inside; else the daily avoided energy (counterfactual − actual) of the
 * reporting days that start inside (days in the site's zone); else, with no daily series, pro rata
 * to the overlapping time.
 */
export function savingInPeriod(
  rep: VerifiedMeasureReport,
  fromUtc: string,
  toUtc: string,
): { savedKwh: Dec; allocation: 'whole_report' | 'daily_series' | 'time_share'; from: string; to: string } {
  const f = Date.parse(fromUtc);
  const t = Date.parse(toUtc);
  const rf = Date.parse(rep.reportingFrom);
  const rt = Date.parse(rep.reportingTo);
  const from = new Date(Math.max(f, rf)).toISOString();
  const to = new Date(Math.min(t, rt)).toISOString();
  if (rf >= f && rt <= t)
    return { savedKwh: new D(rep.verifiedSavingKwh), allocation: 'whole_report', from, to };
  if (rep.dailySavings.length) {
    const days = rep.dailySavings.filter((d) => {
      const ts = Date.parse(d.ts);
      return ts >= f && ts < t;
    });
    return { savedKwh: sum(days.map((d) => d.savingKwh)), allocation: 'daily_series', from, to };
  }
  const share = rt > rf ? new D(Math.max(0, Math.min(t, rt) - Math.max(f, rf))).div(rt - rf) : new D(0);
  return { savedKwh: new D(rep.verifiedSavingKwh).times(share), allocation: 'time_share', from, to };
}

function verifiedSavingsFromMv(
  r: RuleInput,
  mv: VerifiedMeasureReport[],
  org: string,
  span: string,
  missing: MissingItem[],
): RuleResult {
  const { fromUtc, toUtc } = r.inventory.period;
  const rows = mv.map((rep) => {
    const part = savingInPeriod(rep, fromUtc, toUtc);
    const factor = new D(rep.emissionFactor.kgCo2ePerKwh);
    return {
      recommendationId: rep.recommendationId,
      measure: rep.title,
      type: rep.type,
      siteId: rep.siteId,
      savedKwh: kwh(part.savedKwh),
      savedKgCo2e: kg(part.savedKwh.times(factor)),
      kgCo2ePerKwh: rep.emissionFactor.kgCo2ePerKwh,
      kgCo2eBasis: `the recommendation's emission factor (${rep.emissionFactor.source}, ${rep.emissionFactor.region} ${rep.emissionFactor.year})`,
      allocation: part.allocation,
      overlapFrom: part.from,
      overlapTo: part.to,
      reportVerifiedSavingKwh: rep.verifiedSavingKwh,
      baselineFrom: rep.baselineFrom,
      baselineTo: rep.baselineTo,
      reportingFrom: rep.reportingFrom,
      reportingTo: rep.reportingTo,
      baselineCvRmse: rep.baselineCvRmse,
      baselineNmbe: rep.baselineNmbe,
      fractionalSavingsUncertainty: rep.fractionalSavingsUncertainty,
      meetsGuideline14: rep.meetsGuideline14,
      method: 'IPMVP Option C (whole facility), weather-adjusted baseline; ASHRAE Guideline 14',
    };
  });
  const totalKwh = sum(rows.map((x) => x.savedKwh));
  const totalKg = sum(rows.map((x) => x.savedKgCo2e));
  if (totalKwh.lte(0))
    missing.push({
      field: 'figures.totalSavedKwh',
      message: `the verified measures' M&V reports show no positive saving within ${span}`,
    });
  const entered = r.inputs.savings?.length ?? 0;
  return {
    figures: {
      source: 'recommendations_mv',
      allocation:
        'whole M&V report when its reporting period lies inside the claim period; otherwise the daily avoided energy of the reporting days starting inside it',
      savings: rows,
      totalSavedKwh: kwh(totalKwh),
      totalSavedKgCo2e: kg(totalKg),
      mvReportCount: rows.length,
      ...(entered ? { ignoredEnteredSavings: entered } : {}),
    },
    missing,
    statement: `${org}: measured-and-verified energy savings of ${kwh(totalKwh)} kWh (${kg(totalKg)} kg CO2e) from ${span}, from ${rows.length} measure(s) verified to ASHRAE Guideline 14.`,
  };
}

/** The certifier's checklist of a claim type, pre-evaluated from the snapshot. */
export function checklistFor(r: RuleInput, figures: Record<string, unknown>): ChecklistItem[] {
  const inv = r.inventory;
  const items: ChecklistItem[] = [];
  const flagged = inv.lines.filter((l) => l.flag);
  items.push({
    key: 'boundary_complete',
    label:
      'Organisational and operational boundary complete: every site and source in the period has data and a factor',
    auto: inv.lines.length === 0 ? 'fail' : flagged.length ? 'fail' : 'pass',
    detail:
      inv.lines.length === 0
        ? 'no activity data in the period'
        : flagged.length
          ? `${flagged.length} line(s) flagged without a factor`
          : `${inv.lines.length} lines, ${inv.sites.length} site(s)`,
  });
  if (r.type === 'emission_reduction' || r.type === 'carbon_neutral') {
    items.push({
      key: 'base_year_policy',
      label:
        'Base year set, with a recalculation policy (structural changes, methodology and factor corrections above the significance threshold)',
      auto: r.basePeriod && r.baseInventory ? 'pass' : 'fail',
      detail: r.basePeriod
        ? `base year ${r.basePeriod.year}, factor library ${r.baseInventory?.factorLibraryVersion.slice(0, 12) ?? '—'}`
        : 'no base year',
    });
  }
  if (r.type !== 'verified_savings') {
    const hasElectricity = inv.purchasedElectricityKwh > 0;
    items.push({
      key: 'scope2_dual',
      label: 'Both Scope 2 figures reported (location-based and market-based)',
      auto: hasElectricity ? 'pass' : 'n/a',
      detail: `location ${inv.scope2LocationKgCo2e} kg, market ${inv.scope2MarketKgCo2e} kg CO2e`,
    });
    const rejected = inv.instruments.filter((i) => !i.accepted);
    items.push({
      key: 'instrument_quality',
      label:
        'Contractual instruments meet the quality criteria (unique, tracked and retired, vintage, same market)',
      auto: inv.instruments.length === 0 ? 'n/a' : rejected.length ? 'fail' : 'pass',
      detail:
        inv.instruments.length === 0
          ? 'no instruments'
          : rejected.length
            ? `${rejected.length} instrument(s) rejected: ${rejected.map((i) => i.issues.map((x) => x.code).join('/')).join(', ')}`
            : `${inv.instruments.length} instrument(s) accepted`,
    });
  }
  if (r.type === 'carbon_neutral') {
    const offsets = (figures.offsets as { retiredWithinWindow: boolean }[] | undefined) ?? [];
    const boundary = figures.boundary as
      { excludedPct: number; categories: { significant: boolean; inBoundary: boolean }[] } | undefined;
    const plan = figures.managementPlan as { onTrajectory: boolean | null } | null | undefined;
    items.push({
      key: 'scope3_boundary',
      label:
        'Boundary includes every significant Scope 3 category (≥ 1 % of the footprint each; exclusions < 5 % together)',
      auto:
        boundary &&
        !boundary.categories.some((c) => c.significant && !c.inBoundary) &&
        boundary.excludedPct < 5 &&
        boundary.categories.length === 15
          ? 'pass'
          : 'fail',
      detail: boundary
        ? `${boundary.categories.filter((c) => c.inBoundary).length} of 15 categories quantified in the boundary; ${boundary.excludedPct} % excluded`
        : 'no boundary',
    });
    items.push({
      key: 'management_plan',
      label:
        'Carbon-neutrality management plan with targets and dated measures; the reductions meet its trajectory',
      auto: plan && plan.onTrajectory ? 'pass' : 'fail',
      detail: plan
        ? `on trajectory: ${plan.onTrajectory === null ? '—' : plan.onTrajectory ? 'yes' : 'no'}`
        : 'no plan',
    });
    items.push({
      key: 'offset_retirement',
      label:
        'Offset credits retired within 12 months of the period end, with registry, serial range, standard, vintage and beneficiary, covering the residual',
      auto:
        offsets.length && offsets.every((o) => o.retiredWithinWindow) && figures.residualCovered === true
          ? 'pass'
          : 'fail',
      detail: `${offsets.length} batch(es), ${figures.offsetsKgCo2e ?? 0} kg CO2e of ${figures.residualKgCo2e ?? 0} kg residual (${figures.removalsTonnesCo2e ?? 0} t removals)`,
    });
  }
  if (r.type === 'verified_savings') {
    const fromMv = figures.source === 'recommendations_mv';
    items.push({
      key: 'mv_evidence',
      label: fromMv
        ? 'Savings come from measurement and verification (IPMVP) in Halve, each report meeting ASHRAE Guideline 14 (locked in the snapshot)'
        : 'Savings come from measurement and verification (IPMVP) with the report or measured data attached',
      auto: fromMv
        ? (r.mvReports ?? []).every((m) => m.meetsGuideline14)
          ? 'pass'
          : 'fail'
        : r.evidenceKinds.includes('other') || r.evidenceKinds.includes('meter_export')
          ? 'pass'
          : 'fail',
      detail: fromMv
        ? `${(r.mvReports ?? []).length} M&V report(s): ${(r.mvReports ?? [])
            .map(
              (m) =>
                `CV(RMSE) ${m.baselineCvRmse === null ? '—' : pct(new D(m.baselineCvRmse).times(100))} %, NMBE ${m.baselineNmbe === null ? '—' : pct(new D(m.baselineNmbe).times(100))} %, FSU ${m.fractionalSavingsUncertainty === null ? '—' : pct(new D(m.fractionalSavingsUncertainty).times(100))} %`,
            )
            .join('; ')}`
        : `${(figures.savings as unknown[] | undefined)?.length ?? 0} measure(s), entered`,
    });
  }
  // Materiality: estimated data (quality 4–5) and flagged lines under 5 % of the emissions.
  const total = sum(inv.lines.map((l) => Math.abs(l.kgCo2e ?? 0)));
  const estimated = sum(
    inv.lines.filter((l) => (l.dataQuality ?? 1) >= 4).map((l) => Math.abs(l.kgCo2e ?? 0)),
  );
  const share = total.isZero() ? new D(0) : estimated.div(total).times(100);
  items.push({
    key: 'materiality_threshold',
    label: 'Estimated data and exclusions below the 5 % materiality threshold',
    auto: flagged.length ? 'fail' : share.lte(5) ? 'pass' : 'fail',
    detail: `${pct(share)} % of emissions from estimated data; ${flagged.length} flagged line(s)`,
  });
  return items;
}
