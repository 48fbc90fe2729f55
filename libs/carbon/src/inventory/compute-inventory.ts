import { roundKg } from '../factors/decimal';
import { InvalidInputError } from '../factors/errors';
import { addActivityLine, addLineDisclosures } from './activity-lines';
import type { InventoryInput, InventoryResult } from './inventory.types';
import { sumLines, totalsResult } from './inventory-totals';
import { newInventoryWork } from './inventory-work';
import { addMarketBasedLines, onSiteGeneration } from './market-based';

export { SCOPE3_CATEGORY_NAMES } from './inventory-work';

/**
 * Computes an organisation's GHG inventory for a period from activity data, contractual
 * instruments and emission factors — pure: no I/O, factors passed in.
 *
 * - Import meters are purchased electricity: Scope 2 location-based per line, market-based per
 *   site after instruments (certificates → contracts → supplier → residual mix → grid average,
 *   flagged). Self-consumed on-site generation (generation − export) is reported as renewable
 *   consumption and never subtracted from the imports; exports are reported separately.
 * - Negative quantities and units a factor cannot take throw; an activity without any factor
 *   for its region gives a flagged line (kgCo2e null) and a warning, never a silent zero.
 * - Exact decimals inside; kg rounded to 0.001 only in the result.
 *
 * The steps run in this order (the order of the lines and warnings): the lines one by one
 * (activity-lines.ts), their disclosures, on-site generation and the market-based lines
 * (market-based.ts), the totals (inventory-totals.ts).
 */
export function computeInventory(input: InventoryInput): InventoryResult {
  const { period } = input;
  if (!(Date.parse(period.from) < Date.parse(period.to)))
    throw new InvalidInputError(`period ${period.from}..${period.to} is empty or invalid`);
  const work = newInventoryWork(input);
  input.lines.forEach((line, index) => addActivityLine(work, line, index));
  addLineDisclosures(work);
  const onSite = onSiteGeneration(work);
  const instruments = addMarketBasedLines(work);
  const totals = totalsResult(sumLines(work.lines), input.options?.denominators);
  return {
    period,
    ...totals,
    purchasedElectricityKwh: work.purchasedKwh.toNumber(),
    exportedElectricityKwh: work.exportedKwh.toNumber(),
    onSiteGeneration: onSite,
    instruments,
    lines: work.lines.map(({ kg, ...l }) => ({ ...l, kgCo2e: kg === null ? null : roundKg(kg) })),
    warnings: work.warnings,
  };
}
