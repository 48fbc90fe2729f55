/**
 * Overlapping suggestions counted once: what implementing all of a site's suggestions would
 * save, not the sum of what each saves alone.
 *
 * Each energy-saving analyser hands over its saving hour by hour (Suggestion.savingProfile).
 * For every pair of suggestions, the energy both claim is worked out from those hours:
 * - two 'spike' measures on the same meter (after-hours, anomalies: energy above the hour's
 *   normal level) remove the same energy: in each hour together they save the larger of the
 *   two, so the overlap is Σ_h min(a_h, b_h) (annualised per hour: a_h = kWh_h × its scale);
 *   the combined saving is then the saving on the union of their hours;
 * - two 'reduction' measures on the same meter: likewise min per hour;
 * - a 'spike' and a 'reduction' add up: a spike is measured above the hour's normal level,
 *   which already includes the always-on load the reduction cuts;
 * - 'supply' (PV) and a cut in load r_h: the PV's self-consumption falls from min(g, L) to
 *   min(g, L − r) in each hour; the difference (× the cut's scale) is kWh the PV would now export
 *   instead of the site using it.
 * The overlap is recorded on the lower-ranked suggestion of the pair (evidence.overlaps, with its
 * kg CO2e at the site's one factor and its money at the tariff's hourly prices), so a report can
 * combine any subset: combined = Σ savings − Σ overlaps between members of the subset, each
 * member's deductions capped at its own saving. Exact for pairs; with three or more suggestions
 * claiming the same hour the pairwise deductions can over-count, never under-count, the overlap,
 * so the combined figure errs low.
 * ✘ Suggestions without an hourly profile (weather sensitivity; and the zero-kWh ones: peak
 * demand, tariff, load shifting) are taken to add up with the rest.
 */
import { currentTariff, energyCost } from './common';
import type { SavingOverlap, SavingProfile, SiteAnalysisInput, Suggestion } from './types';

const byHour = (p: SavingProfile) => new Map(p.points.map((x) => [x.ts.getTime(), x]));

/** Annual kWh both suggestions claim, hour by hour (see the file comment); points carry annual kWh per hour. */
export function overlapPoints(a: SavingProfile, b: SavingProfile): { ts: Date; energyKwh: number }[] {
  if (a.kind === 'supply' && b.kind === 'supply') return [];
  if (a.kind === 'supply' || b.kind === 'supply') {
    const [pv, cut] = a.kind === 'supply' ? [a, b] : [b, a];
    const cuts = byHour(cut);
    const out: { ts: Date; energyKwh: number }[] = [];
    for (const h of pv.points) {
      const r = cuts.get(h.ts.getTime());
      if (!r || h.generationKwh === undefined || h.loadKwh === undefined) continue;
      const g = h.generationKwh;
      const lost = Math.min(g, h.loadKwh) - Math.min(g, Math.max(h.loadKwh - r.energyKwh, 0));
      if (lost > 0) out.push({ ts: h.ts, energyKwh: lost * cut.scale });
    }
    return out;
  }
  if (a.meterId !== b.meterId || a.kind !== b.kind) return [];
  const other = byHour(b);
  const out: { ts: Date; energyKwh: number }[] = [];
  for (const x of a.points) {
    const y = other.get(x.ts.getTime());
    if (!y) continue;
    const both = Math.min(x.energyKwh * a.scale, y.energyKwh * b.scale);
    if (both > 0) out.push({ ts: x.ts, energyKwh: both });
  }
  return out;
}

/** The overlap of two suggestions of one analysis, priced; null when they do not overlap. */
export function pairOverlap(
  first: Suggestion,
  second: Suggestion,
  input: SiteAnalysisInput,
): SavingOverlap | null {
  if (!first.savingProfile || !second.savingProfile) return null;
  const points = overlapPoints(first.savingProfile, second.savingProfile);
  const kwh = points.reduce((s, p) => s + p.energyKwh, 0);
  if (!(kwh > 1e-9)) return null;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  let money = energyCost(tariff, points, input.site.timezone);
  // PV that is no longer used on site is exported: it still earns the export price.
  const pvInvolved = first.savingProfile.kind === 'supply' || second.savingProfile.kind === 'supply';
  if (money !== null && pvInvolved) money -= kwh * (input.pvEconomics?.exportPricePerKwh ?? 0);
  return {
    key: first.key,
    annualKwh: kwh,
    annualKgCo2e: kwh * input.emissionFactor.kgCo2ePerKwh,
    annualMoney: money,
  };
}

/**
 * Records on each suggestion the overlaps with the suggestions ranked before it (the list as
 * given, e.g. largest saving first). Mutates evidence.overlaps; returns the list.
 */
export function attachOverlaps(suggestions: Suggestion[], input: SiteAnalysisInput): Suggestion[] {
  suggestions.forEach((s, j) => {
    const overlaps: SavingOverlap[] = [];
    for (let i = 0; i < j; i++) {
      const o = pairOverlap(suggestions[i], s, input);
      if (o) overlaps.push(o);
    }
    if (overlaps.length) s.evidence.overlaps = overlaps;
    else delete s.evidence.overlaps;
  });
  return suggestions;
}

export interface CombinableSaving {
  key: string;
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  annualSavingMoney: number | null;
  evidence?: { overlaps?: readonly SavingOverlap[] } | null;
}

export interface CombinedSaving {
  annualSavingKwh: number;
  annualSavingKgCo2e: number;
  /** null when no member has a money figure */
  annualSavingMoney: number | null;
  /** Σ of the members' own savings, for comparison */
  sumOfPartsKwh: number;
  overlapKwh: number;
}

/** What implementing every member of the set saves: Σ savings − Σ overlaps among members (see the file comment). */
export function combineSavings(items: readonly CombinableSaving[]): CombinedSaving {
  const keys = new Set(items.map((i) => i.key));
  let kwh = 0;
  let kg = 0;
  let money: number | null = null;
  let sum = 0;
  for (const it of items) {
    const within = (it.evidence?.overlaps ?? []).filter((o) => keys.has(o.key) && o.key !== it.key);
    const dKwh = Math.min(
      within.reduce((s, o) => s + o.annualKwh, 0),
      Math.max(it.annualSavingKwh, 0),
    );
    const dKg = Math.min(
      within.reduce((s, o) => s + o.annualKgCo2e, 0),
      Math.max(it.annualSavingKgCo2e, 0),
    );
    sum += it.annualSavingKwh;
    kwh += it.annualSavingKwh - dKwh;
    kg += it.annualSavingKgCo2e - dKg;
    if (it.annualSavingMoney !== null) {
      const dMoney = Math.min(
        within.reduce((s, o) => s + (o.annualMoney ?? 0), 0),
        Math.max(it.annualSavingMoney, 0),
      );
      money = (money ?? 0) + it.annualSavingMoney - dMoney;
    }
  }
  return {
    annualSavingKwh: kwh,
    annualSavingKgCo2e: kg,
    annualSavingMoney: money,
    sumOfPartsKwh: sum,
    overlapKwh: sum - kwh,
  };
}
