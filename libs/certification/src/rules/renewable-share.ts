import { type InventoryView, RENEWABLE_TECHNOLOGIES } from '@halve/carbon';
import { D, type InstrumentDetail, type RuleContext, type RuleResult, kwh, pct, sum } from './common';

/** renewable_share: self-consumed on-site renewable generation plus valid zero-emission instruments. */

const RENEWABLE_SOURCES = new Set(['solar', 'wind', 'hydro', 'other_renewable']);
/**
 * Instrument technologies a renewable-share claim counts (a zero-rated nuclear GO is not renewable):
 * carbon's list, where an instrument's technology is declared.
 */
export const RENEWABLE_INSTRUMENT_TECHNOLOGIES: ReadonlySet<string> = new Set(RENEWABLE_TECHNOLOGIES);

export interface CountedInstrument {
  id: string;
  type: string;
  technology: string;
  scheme: string | null;
  allocatedKwh: number;
  certificateIds: string[];
}

type InventoryInstrument = InventoryView['instruments'][number];

/** Why an instrument does not count as renewable, or null when it does. */
function exclusionReason(i: InventoryInstrument, d: InstrumentDetail | undefined): string | null {
  if (!i.accepted) return i.issues.map((x) => x.code).join(', ') || 'not accepted by the inventory';
  if (i.type === 'supplier_specific' || (d && !new D(d.kgCo2ePerKwh).isZero()))
    return 'not a zero-emission renewable instrument';
  if (!d?.technology) return 'technology not stated: only instruments from renewable technologies count';
  if (!RENEWABLE_INSTRUMENT_TECHNOLOGIES.has(d.technology))
    return `${d.technology} is not a renewable technology (zero-rated is not renewable)`;
  return null;
}

/** The inventory's instruments split into those a renewable claim counts and those it excludes (with why). */
export function renewableInstruments(inv: InventoryView, details: InstrumentDetail[]) {
  const byId = new Map(details.map((d) => [d.id, d]));
  const counted: CountedInstrument[] = [];
  const excluded: { id: string; type: string; reason: string }[] = [];
  for (const i of inv.instruments) {
    const d = byId.get(i.id);
    const reason = exclusionReason(i, d);
    if (reason) excluded.push({ id: i.id, type: i.type, reason });
    else if (i.allocatedKwh > 0)
      counted.push({
        id: i.id,
        type: i.type,
        technology: d?.technology as string,
        scheme: d?.scheme ?? null,
        allocatedKwh: i.allocatedKwh,
        certificateIds: d?.certificateIds ?? [],
      });
  }
  return { counted, excluded };
}

export function renewableShare(ctx: RuleContext): RuleResult {
  const { inv, missing, span, org } = ctx;
  const gen = inv.onSiteGeneration.filter(
    (g) => !g.certificatesSold && g.generationSources.every((s) => RENEWABLE_SOURCES.has(s)),
  );
  const selfConsumed = sum(gen.map((g) => g.selfConsumedKwh));
  const allSelfConsumed = sum(inv.onSiteGeneration.map((g) => g.selfConsumedKwh));
  const purchased = new D(inv.purchasedElectricityKwh);
  const total = purchased.plus(allSelfConsumed);
  const { counted, excluded } = renewableInstruments(inv, ctx.r.instruments);
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
    ctx.need(
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
