import type { InventorySnapshotEntity } from '../entities/carbon.entities';
import { roundKg, toDecimal } from '../factors/decimal';
import type { FactorRef } from '../factors/emission-factor';
import { checkBaseYearRecalculation, type BaseYearChangeKind } from '../ghg/base-year';
import type { ApiInventoryLine, InventoryView } from './inventory-view.types';

/**
 * A recalculation compared with the previous snapshot of the same period (pure): what changed in
 * the totals, the factors and the lines, and whether the base year must be recalculated.
 */

/** The provenance of each factor used, as a snapshot stores it. */
export function snapshotFactors(current: InventoryView): FactorRef[] {
  return current.factorsUsed.map((f) => ({
    id: f.id,
    value: f.value,
    unit: f.unit,
    source: f.source,
    edition: f.edition,
    year: f.year,
    region: f.region,
  }));
}

function factorChanges(previous: InventorySnapshotEntity, factorsUsed: FactorRef[]) {
  const before = new Map((previous.factorsUsed as unknown as FactorRef[]).map((f) => [f.id, f]));
  const after = new Map(factorsUsed.map((f) => [f.id, f]));
  const changes: { id: string; before: string | null; after: string | null }[] = [];
  for (const [id, f] of after) {
    const b = before.get(id);
    if (!b || !toDecimal(b.value).eq(toDecimal(f.value)))
      changes.push({ id, before: b?.value ?? null, after: f.value });
  }
  for (const [id, b] of before) if (!after.has(id)) changes.push({ id, before: b.value, after: null });
  return changes;
}

function lineChanges(previous: InventorySnapshotEntity, current: InventoryView) {
  const prevLines = new Map<string, number>();
  const key = (l: ApiInventoryLine) => `${l.lineId ?? ''}|${l.method ?? ''}|${l.source}|${l.siteId ?? ''}`;
  for (const l of (previous.result as unknown as InventoryView).lines)
    prevLines.set(key(l), (prevLines.get(key(l)) ?? 0) + (l.kgCo2e ?? 0));
  const curLines = new Map<string, number>();
  for (const l of current.lines) curLines.set(key(l), (curLines.get(key(l)) ?? 0) + (l.kgCo2e ?? 0));
  const changes = [];
  for (const k of new Set([...prevLines.keys(), ...curLines.keys()])) {
    const b = prevLines.get(k);
    const a = curLines.get(k);
    if (b === a) continue;
    const [lineId, method, source, siteId] = k.split('|');
    changes.push({
      lineId: lineId || undefined,
      method: method || undefined,
      source,
      siteId: siteId || undefined,
      beforeKgCo2e: b ?? null,
      afterKgCo2e: a ?? null,
      deltaKgCo2e: roundKg(toDecimal(a ?? 0).minus(b ?? 0)),
    });
  }
  return changes;
}

export function snapshotDiff(
  previous: InventorySnapshotEntity,
  current: InventoryView,
  factorsUsed: FactorRef[],
) {
  const d = (a: string, b: number) => roundKg(toDecimal(b).minus(a));
  const prevTotalL = toDecimal(previous.scope1KgCo2e)
    .plus(previous.scope2LocationKgCo2e)
    .plus(previous.scope3KgCo2e);
  const prevTotalM = toDecimal(previous.scope1KgCo2e)
    .plus(previous.scope2MarketKgCo2e)
    .plus(previous.scope3KgCo2e);
  const factors = factorChanges(previous, factorsUsed);
  return {
    previousId: previous.id,
    previousCreatedAt: previous.createdAt,
    scope1KgCo2e: d(previous.scope1KgCo2e, current.scope1KgCo2e),
    scope2LocationKgCo2e: d(previous.scope2LocationKgCo2e, current.scope2LocationKgCo2e),
    scope2MarketKgCo2e: d(previous.scope2MarketKgCo2e, current.scope2MarketKgCo2e),
    scope3KgCo2e: d(previous.scope3KgCo2e, current.scope3KgCo2e),
    totalLocationKgCo2e: roundKg(toDecimal(current.totalLocationKgCo2e).minus(prevTotalL)),
    totalMarketKgCo2e: roundKg(toDecimal(current.totalMarketKgCo2e).minus(prevTotalM)),
    dataChanged: previous.dataHash !== current.dataHash,
    factorLibraryChanged: previous.factorLibraryVersion !== current.factorLibraryVersion,
    factorChanges: factors,
    lineChanges: lineChanges(previous, current),
  };
}

export type SnapshotDiff = ReturnType<typeof snapshotDiff>;

/**
 * Whether a recalculation of the base year's own period moves it past the recalculation threshold;
 * null for another period, without a previous snapshot or with a previous total of zero.
 */
export function baseYearRecalculation(
  previous: InventorySnapshotEntity | null,
  diff: SnapshotDiff | null,
  current: InventoryView,
  dto: { from: string; reason?: string; changeKind?: BaseYearChangeKind },
) {
  const baseYear = current.organization.baseYear;
  if (!previous || !diff || baseYear === null || dto.from.slice(0, 4) !== String(baseYear)) return null;
  const prevTotal = toDecimal(previous.scope1KgCo2e)
    .plus(previous.scope2MarketKgCo2e)
    .plus(previous.scope3KgCo2e);
  if (!prevTotal.gt(0)) return null;
  const check = checkBaseYearRecalculation(prevTotal, [
    {
      kind: dto.changeKind ?? 'factor_correction',
      deltaKgCo2e: diff.totalMarketKgCo2e,
      description: dto.reason,
    },
  ]);
  return {
    year: baseYear,
    required: check.required,
    share: check.cumulativeShare.toDecimalPlaces(6).toNumber(),
    threshold: check.threshold.toNumber(),
  };
}
