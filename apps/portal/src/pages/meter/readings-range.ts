import { api } from '../../api/client';
import type { Readings } from '../../api/types';
import { addDays, isoDay } from '../../lib/format';

export type Resolution = 'raw' | 'hour' | 'day' | 'month';
export interface Range {
  from: string;
  to: string;
  resolution: Resolution;
}

/** Finds where the meter's data is: month totals over a wide window, then the last month's days. */
export async function findExtent(
  orgId: string,
  meterId: string,
  signal: AbortSignal,
): Promise<{ months: Readings; first: string; last: string } | null> {
  const to = `${new Date().getUTCFullYear() + 2}-01-01`;
  const months = await api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
    path: { orgId, meterId },
    query: { from: '2000-01-01', to, resolution: 'month' },
    signal,
  });
  const withData = months.points.filter((p) => p.value !== null);
  if (!withData.length) return null;
  const lastMonth = withData[withData.length - 1].ts;
  const monthStart = isoDay(new Date(Date.parse(lastMonth) + 86400_000 * 2)).slice(0, 8) + '01';
  const days = await api.get('/api/v1/orgs/{orgId}/meters/{meterId}/readings', {
    path: { orgId, meterId },
    query: { from: addDays(monthStart, -1), to: addDays(monthStart, 33), resolution: 'day' },
    signal,
  });
  const dayPoints = days.points.filter((p) => p.value !== null);
  const lastDay = dayPoints.length
    ? isoDay(new Date(Date.parse(dayPoints[dayPoints.length - 1].ts) + 12 * 3600_000))
    : addDays(monthStart, 27);
  const firstDay = isoDay(new Date(Date.parse(withData[0].ts) + 2 * 86400_000)).slice(0, 8) + '01';
  return { months, first: firstDay, last: addDays(lastDay, 1) };
}

export const PRESETS = [
  { key: '7d', label: 'Last week of data', days: 7, resolution: 'hour' as Resolution },
  { key: '28d', label: 'Last 4 weeks', days: 28, resolution: 'hour' as Resolution },
  { key: '1y', label: 'Last year', days: 365, resolution: 'day' as Resolution },
  { key: 'all', label: 'Everything, by month', days: 0, resolution: 'month' as Resolution },
];
