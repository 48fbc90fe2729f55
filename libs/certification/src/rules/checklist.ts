import { D, type ChecklistItem, type RuleInput, pct, sum } from './common';

/** The certifier's checklist of a claim type: one function per item (or group of items), pre-evaluated. */

type Figures = Record<string, unknown>;

function boundaryComplete(r: RuleInput): ChecklistItem {
  const inv = r.inventory;
  const flagged = inv.lines.filter((l) => l.flag);
  return {
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
  };
}

function baseYearPolicy(r: RuleInput): ChecklistItem {
  return {
    key: 'base_year_policy',
    label:
      'Base year set, with a recalculation policy (structural changes, methodology and factor corrections above the significance threshold)',
    auto: r.basePeriod && r.baseInventory ? 'pass' : 'fail',
    detail: r.basePeriod
      ? `base year ${r.basePeriod.year}, factor library ${r.baseInventory?.factorLibraryVersion.slice(0, 12) ?? '—'}`
      : 'no base year',
  };
}

function scope2Items(r: RuleInput): ChecklistItem[] {
  const inv = r.inventory;
  const rejected = inv.instruments.filter((i) => !i.accepted);
  return [
    {
      key: 'scope2_dual',
      label: 'Both Scope 2 figures reported (location-based and market-based)',
      auto: inv.purchasedElectricityKwh > 0 ? 'pass' : 'n/a',
      detail: `location ${inv.scope2LocationKgCo2e} kg, market ${inv.scope2MarketKgCo2e} kg CO2e`,
    },
    {
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
    },
  ];
}

function carbonNeutralItems(figures: Figures): ChecklistItem[] {
  const offsets = (figures.offsets as { retiredWithinWindow: boolean }[] | undefined) ?? [];
  const boundary = figures.boundary as
    { excludedPct: number; categories: { significant: boolean; inBoundary: boolean }[] } | undefined;
  const plan = figures.managementPlan as { onTrajectory: boolean | null } | null | undefined;
  return [
    {
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
    },
    {
      key: 'management_plan',
      label:
        'Carbon-neutrality management plan with targets and dated measures; the reductions meet its trajectory',
      auto: plan && plan.onTrajectory ? 'pass' : 'fail',
      detail: plan
        ? `on trajectory: ${plan.onTrajectory === null ? '—' : plan.onTrajectory ? 'yes' : 'no'}`
        : 'no plan',
    },
    {
      key: 'offset_retirement',
      label:
        'Offset credits retired within 12 months of the period end, with registry, serial range, standard, vintage and beneficiary, covering the residual',
      auto:
        offsets.length && offsets.every((o) => o.retiredWithinWindow) && figures.residualCovered === true
          ? 'pass'
          : 'fail',
      detail: `${offsets.length} batch(es), ${figures.offsetsKgCo2e ?? 0} kg CO2e of ${figures.residualKgCo2e ?? 0} kg residual (${figures.removalsTonnesCo2e ?? 0} t removals)`,
    },
  ];
}

const pctOrDash = (v: number | null) => (v === null ? '—' : pct(new D(v).times(100)));

function mvEvidence(r: RuleInput, figures: Figures): ChecklistItem {
  const fromMv = figures.source === 'recommendations_mv';
  const reports = r.mvReports ?? [];
  return {
    key: 'mv_evidence',
    label: fromMv
      ? 'Savings come from measurement and verification (IPMVP) in Halve, each report meeting ASHRAE Guideline 14 (locked in the snapshot)'
      : 'Savings come from measurement and verification (IPMVP) with the report or measured data attached',
    auto: fromMv
      ? reports.every((m) => m.meetsGuideline14)
        ? 'pass'
        : 'fail'
      : r.evidenceKinds.includes('other') || r.evidenceKinds.includes('meter_export')
        ? 'pass'
        : 'fail',
    detail: fromMv
      ? `${reports.length} M&V report(s): ${reports
          .map(
            (m) =>
              `CV(RMSE) ${pctOrDash(m.baselineCvRmse)} %, NMBE ${pctOrDash(m.baselineNmbe)} %, FSU ${pctOrDash(m.fractionalSavingsUncertainty)} %`,
          )
          .join('; ')}`
      : `${(figures.savings as unknown[] | undefined)?.length ?? 0} measure(s), entered`,
  };
}

/** Materiality: estimated data (quality 4–5) and flagged lines under 5 % of the emissions. */
function materialityThreshold(r: RuleInput): ChecklistItem {
  const inv = r.inventory;
  const flagged = inv.lines.filter((l) => l.flag);
  const total = sum(inv.lines.map((l) => Math.abs(l.kgCo2e ?? 0)));
  const estimated = sum(
    inv.lines.filter((l) => (l.dataQuality ?? 1) >= 4).map((l) => Math.abs(l.kgCo2e ?? 0)),
  );
  const share = total.isZero() ? new D(0) : estimated.div(total).times(100);
  return {
    key: 'materiality_threshold',
    label: 'Estimated data and exclusions below the 5 % materiality threshold',
    auto: flagged.length ? 'fail' : share.lte(5) ? 'pass' : 'fail',
    detail: `${pct(share)} % of emissions from estimated data; ${flagged.length} flagged line(s)`,
  };
}

/** The certifier's checklist of a claim type, pre-evaluated from the snapshot. */
export function checklistFor(r: RuleInput, figures: Figures): ChecklistItem[] {
  const items: ChecklistItem[] = [boundaryComplete(r)];
  if (r.type === 'emission_reduction' || r.type === 'carbon_neutral') items.push(baseYearPolicy(r));
  if (r.type !== 'verified_savings') items.push(...scope2Items(r));
  if (r.type === 'carbon_neutral') items.push(...carbonNeutralItems(figures));
  if (r.type === 'verified_savings') items.push(mvEvidence(r, figures));
  items.push(materialityThreshold(r));
  return items;
}
