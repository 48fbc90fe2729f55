import { RuleContext, type RuleInput, type RuleResult } from './rules/common';
import { carbonNeutral } from './rules/carbon-neutral';
import { compareWithBaseYear, emissionReduction } from './rules/emissions';
import { renewableShare } from './rules/renewable-share';
import { verifiedSavings } from './rules/verified-savings';

/**
 * The rules of each claim type, as pure functions of the carbon module's inventory (and the base
 * year's), the organisation's inputs and the kinds of documents uploaded: the figures, what is
 * missing before the claim may be submitted, and the certifier's checklist. One module per claim
 * type under ./rules; this module is their entry point.
 */

export type { ManagementPlanInput, Scope3ScreeningInput } from './iso14068';
export type { OffsetInput } from './iso14068-offsets';
export {
  basePeriodOf,
  defaultScopes,
  defaultValidUntil,
  retirementDeadline,
  type ChecklistItem,
  type ClaimInputs,
  type InstrumentDetail,
  type MissingItem,
  type RuleInput,
  type RuleResult,
  type SavingsInput,
  type Scope,
} from './rules/common';
export { RENEWABLE_INSTRUMENT_TECHNOLOGIES } from './rules/renewable-share';
export { savingInPeriod } from './rules/verified-savings';
export { checklistFor } from './rules/checklist';

/** Figures, missing evidence and the default statement of a claim. */
export function evaluateClaim(r: RuleInput): RuleResult {
  const ctx = new RuleContext(r);
  switch (r.type) {
    case 'renewable_share':
      return renewableShare(ctx);
    case 'emission_reduction':
      return emissionReduction(ctx, compareWithBaseYear(ctx));
    case 'carbon_neutral':
      return carbonNeutral(ctx, compareWithBaseYear(ctx));
    case 'verified_savings':
      return verifiedSavings(ctx);
  }
}
