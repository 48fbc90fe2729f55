import { DateTime } from 'luxon';
import { RULES, checkManagementPlan, checkScope3Boundary } from '../iso14068';
import { checkOffsets } from '../iso14068-offsets';
import {
  D,
  type MissingItem,
  type RuleContext,
  type RuleResult,
  kg,
  pct,
  retirementDeadline,
  sum,
} from './common';
import type { BaseYearComparison } from './emissions';
import { renewableInstruments } from './renewable-share';

/**
 * carbon_neutral (ISO 14068-1:2023; PAS 2060 is withdrawn): boundary with significant Scope 3,
 * reductions checked against the management plan, structured credits covering the residual.
 */

/** Tags the missing items from index `from` on with `rule`, unless they name a rule already. */
function tagFrom(missing: MissingItem[], from: number, rule: string) {
  for (let i = from; i < missing.length; i++) missing[i] = { ...missing[i], rule: missing[i].rule ?? rule };
}

/** The boundary, the management plan and the reduction against the base year, with their missing items. */
function checkBoundaryPlanAndReduction(ctx: RuleContext, cmp: BaseYearComparison) {
  const { r, inv, missing } = ctx;
  const { current, base, reduction, reductionPct, scopes } = cmp;
  tagFrom(missing, 0, RULES.baseYear);
  const s12 = sum([current.scope1KgCo2e, current.scope2KgCo2e]);
  const boundary = checkScope3Boundary(inv, s12, scopes, r.inputs.scope3Screening);
  missing.push(...boundary.missing);
  const plan = checkManagementPlan(r.inputs.managementPlan, {
    baseYear: r.basePeriod?.year ?? null,
    claimYear: DateTime.fromISO(r.period.from, { zone: 'utc' }).year,
    periodTo: r.period.to,
    reductionPct: reductionPct ?? (base ? new D(0) : null),
  });
  missing.push(...plan.missing);
  ctx.need(
    'management_plan',
    'the carbon-neutrality management plan document (ISO 14068-1)',
    RULES.planDocument,
  );
  if (reduction && base && !base.total.isZero() && reduction.lte(0)) {
    missing.push({
      rule: RULES.reduction,
      field: 'figures.reductionKgCo2e',
      message: `no reduction against the base year ${r.basePeriod?.year} is shown: offsetting alone is not carbon neutrality`,
    });
  }
  return { boundary, plan };
}

export function carbonNeutral(ctx: RuleContext, cmp: BaseYearComparison): RuleResult {
  const { r, inv, missing, org } = ctx;
  const { figures, current, reductionPct, scopes, method } = cmp;
  const deadline = retirementDeadline(r.period.to);
  const { boundary, plan } = checkBoundaryPlanAndReduction(ctx, cmp);
  const residual = current.total;
  const credits = checkOffsets(r.inputs.offsets, {
    periodFrom: r.period.from,
    deadline,
    organisation: org,
    residual,
  });
  missing.push(...credits.missing);
  if (credits.offsets.length)
    ctx.need(
      'retirement_receipt',
      'offset credits must be shown retired with the registry’s retirement receipt',
      RULES.offsetReceipt,
    );
  const { counted } = renewableInstruments(inv, r.instruments);
  if (method === 'market' && counted.length)
    ctx.need(
      'certificate',
      'market-based Scope 2 counts contractual instruments',
      'scope2.market.certificate',
    );
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
    statement: `${org}: carbon neutral for ${ctx.span} (ISO 14068-1:2023): Scope ${scopes.join('+')} emissions of ${kg(residual)} kg CO2e, ${reductionPct ? pct(reductionPct) : 0} % below the base year ${r.basePeriod?.year ?? '—'}, with the residual offset by ${kg(offsetKg.div(1000))} t of retired credits (${credits.removalsT.toNumber()} t removals, ${credits.avoidanceT.toNumber()} t avoidance).`,
  };
}
