import type { VerifiedMeasureReport } from '@halve/recommendations';
import { D, type Dec, type RuleContext, type RuleResult, type SavingsInput, kg, kwh, sum } from './common';

/**
 * verified_savings: the savings of measures verified in Halve (M&V reports meeting ASHRAE Guideline
 * 14), or, when none overlaps the period, savings entered from external M&V reports.
 */

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

/** One M&V report's saving inside the period, with the report's quality statistics. */
function mvRow(rep: VerifiedMeasureReport, fromUtc: string, toUtc: string) {
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
}

function verifiedSavingsFromMv(ctx: RuleContext, mv: VerifiedMeasureReport[]): RuleResult {
  const { r, missing, org, span } = ctx;
  const { fromUtc, toUtc } = r.inventory.period;
  const rows = mv.map((rep) => mvRow(rep, fromUtc, toUtc));
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

/** One entered saving; without an entered CO2e, the period's average location-based grid factor applies. */
function enteredRow(s: SavingsInput, gridFactor: Dec | null) {
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
}

/**
 * Fallback when no measure of the period was verified in Halve: savings entered by the organisation
 * from external M&V reports, with the report or measured data as required evidence.
 */
function enteredSavings(ctx: RuleContext): RuleResult {
  const { r, inv, missing, org, span } = ctx;
  const purchased = new D(inv.purchasedElectricityKwh);
  const gridFactor = purchased.isZero() ? null : new D(inv.scope2LocationKgCo2e).div(purchased);
  const rows = (r.inputs.savings ?? []).map((s) => enteredRow(s, gridFactor));
  const totalKwh = sum(rows.map((x) => x.savedKwh));
  const totalKg = sum(rows.map((x) => x.savedKgCo2e ?? 0));
  if (!rows.length)
    missing.push({
      field: 'savings',
      message: `no measure verified in Halve (a recommendation with status verified and an M&V report meeting ASHRAE Guideline 14) has a reporting period overlapping ${span}, and no externally verified savings (measure, savedKwh) were entered`,
    });
  else if (totalKwh.lte(0))
    missing.push({ field: 'savings', message: 'the verified savings must be positive' });
  if (rows.length && !ctx.has('other') && !ctx.has('meter_export')) {
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

export function verifiedSavings(ctx: RuleContext): RuleResult {
  const mv = ctx.r.mvReports ?? [];
  return mv.length ? verifiedSavingsFromMv(ctx, mv) : enteredSavings(ctx);
}
