import { api } from '../../api/client';
import type { ImportReport, Inventory } from '../../api/types';
import { zonedParts } from '../../lib/format';

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const t = (kg: number) => Number((kg / 1000).toFixed(3));

interface MonthRow {
  month: number;
  scope1: number;
  scope2Location: number;
  scope3: number;
}

export async function monthly(
  orgId: string,
  year: number,
  inv: Inventory,
  signal: AbortSignal,
): Promise<MonthRow[]> {
  if (Array.isArray(inv.byMonth) && inv.byMonth.length) {
    return inv.byMonth.map((b) => ({
      month: Number(b.month.slice(5, 7)) - 1,
      scope1: b.scope1KgCo2e ?? 0,
      scope2Location: b.scope2LocationKgCo2e ?? 0,
      scope3: b.scope3KgCo2e ?? 0,
    }));
  }
  // No monthly breakdown in the answer: ask for each month (a year's inventory is cheap).
  const pad = (n: number) => String(n).padStart(2, '0');
  return Promise.all(
    MONTHS.map(async (_, i) => {
      const from = `${year}-${pad(i + 1)}-01`;
      const to = i === 11 ? `${year + 1}-01-01` : `${year}-${pad(i + 2)}-01`;
      const m = await api.get('/api/v1/orgs/{orgId}/inventory', {
        path: { orgId },
        query: { from, to },
        signal,
      });
      return {
        month: i,
        scope1: m.scope1KgCo2e,
        scope2Location: m.scope2LocationKgCo2e,
        scope3: m.scope3KgCo2e,
      };
    }),
  );
}

/** (self-consumed on-site generation + accepted certificates) ÷ (bought + self-consumed electricity). */
export function renewableShare(inv: Inventory): number | undefined {
  if (typeof inv.purchasedElectricityKwh !== 'number') return undefined;
  const selfConsumed = (inv.onSiteGeneration ?? []).reduce((s, g) => s + (g.selfConsumedKwh ?? 0), 0);
  const certified = (inv.instruments ?? [])
    .filter((i) => i.accepted)
    .reduce((s, i) => s + (i.allocatedKwh ?? 0), 0);
  const total = inv.purchasedElectricityKwh + selfConsumed;
  if (total <= 0) return undefined;
  return Math.min(1, (selfConsumed + Math.min(certified, inv.purchasedElectricityKwh)) / total);
}

/** The latest year with imported readings, so the dashboard opens on data. */
export async function dataYears(
  orgId: string,
  timeZone: string,
  signal: AbortSignal,
): Promise<{ first: number; last: number } | null> {
  const imports = await api.get('/api/v1/orgs/{orgId}/imports', { path: { orgId }, signal });
  const done = (imports as ImportReport[]).filter(
    (i) => i.status === 'succeeded' && i.firstTs && i.lastTs && (i.kind ?? 'meter') === 'meter',
  );
  if (!done.length) return null;
  // lastTs is the start of the last reading; years are the organisation's calendar years.
  const first = Math.min(...done.map((i) => zonedParts(i.firstTs!, timeZone).year));
  const last = Math.max(...done.map((i) => zonedParts(i.lastTs!, timeZone).year));
  return { first, last };
}
