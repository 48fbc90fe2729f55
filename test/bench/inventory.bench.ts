/**
 * A year's inventory for an organisation with 10 hourly meters (8 electricity imports on 4 sites, a PV
 * and a gas meter; 87,600 readings pushed through the API), measured through HTTP on the database the
 * environment selects (PGlite, or PostgreSQL with DATABASE_URL). Target: < 200 ms.
 * Also times the pure part (monthly rollups → computeInventory) and the hourly-Scope-2/CFE endpoint,
 * which reads the hourly rollups on purpose.
 *
 *   node --require ./scripts/swc-register.js test/bench/inventory.bench.ts [runs=20]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/halve_carbon node --require ./scripts/swc-register.js test/bench/inventory.bench.ts
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { InventoryService } from '@halve/carbon';
import { signup, startApp } from '../support/harness';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  const t = await startApp({ env: { LOG_LEVEL: 'error' } });
  try {
    const a = await signup(t, 'bench-inventory', { country: 'GB', timezone: 'Europe/London' });
    const api = (p: string) => `/api/v1/orgs/${a.orgId}${p}`;
    const post = async (p: string, body: object) => {
      const res = await t.http.post(api(p)).set(a.auth).send(body);
      if (res.status >= 300) throw new Error(`${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      return res.body;
    };
    const meters: { id: string; kind: string }[] = [];
    for (let s = 0; s < 4; s++) {
      const site = await post('/sites', {
        name: `Site ${s}`,
        country: 'GB',
        timezone: 'Europe/London',
        gridRegion: 'GB',
        floorAreaM2: 1000 + s,
      });
      for (const kind of s === 0
        ? ['electricity_import', 'electricity_import', 'pv_generation', 'natural_gas']
        : ['electricity_import', 'electricity_import']) {
        const m = await post('/meters', {
          siteId: site.id,
          name: `${kind} ${meters.length}`,
          kind,
          unit: 'kWh',
          intervalMinutes: 60,
        });
        meters.push({ id: m.id, kind });
      }
    }
    const start = Date.UTC(2023, 0, 1);
    const loadStarted = performance.now();
    for (const [i, m] of meters.entries()) {
      const readings = Array.from({ length: 8760 }, (_, h) => {
        const hourOfDay = h % 24;
        const value =
          m.kind === 'pv_generation'
            ? Math.max(0, Math.round(10 * Math.sin(((hourOfDay - 6) / 12) * Math.PI) * 1000) / 1000)
            : 5 + ((h * 7 + i) % 13) / 4;
        return { ts: new Date(start + h * 3_600_000).toISOString(), value };
      });
      await post(`/meters/${m.id}/readings`, { readings });
    }
    const loadMs = performance.now() - loadStarted;

    const get = async (p: string) => {
      const t0 = performance.now();
      const res = await t.http.get(api(p)).set(a.auth);
      const ms = performance.now() - t0;
      if (res.status !== 200)
        throw new Error(`${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      return { ms, body: res.body };
    };
    const first = await get('/inventory?from=2023-01-01&to=2024-01-01');
    const inventoryMs: number[] = [];
    for (let i = 0; i < runs; i++)
      inventoryMs.push((await get('/inventory?from=2023-01-01&to=2024-01-01')).ms);
    const hourlyMs: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(runs / 4)); i++)
      hourlyMs.push((await get('/inventory/hourly-scope2?from=2023-01-01&to=2024-01-01')).ms);

    // The pure part alone: gathered monthly rows → view.
    const service = t.app.get(InventoryService);
    const usage = (
      service as unknown as {
        usage: { monthlyUsage: (id: string, r: { from: Date; to: Date }) => Promise<unknown[]> };
      }
    ).usage;
    const monthlyStarted = performance.now();
    const monthly = await usage.monthlyUsage(a.orgId, {
      from: new Date('2023-01-01T00:00:00Z'),
      to: new Date('2024-01-01T00:00:00Z'),
    });
    const monthlyMs = performance.now() - monthlyStarted;

    const mode = process.env.DATABASE_URL ? 'postgres' : 'pglite';
    console.log(
      JSON.stringify(
        {
          database: mode,
          meters: meters.length,
          readings: meters.length * 8760,
          monthlyRows: monthly.length,
          inventoryLines: first.body.lines.length,
          loadReadingsMs: Math.round(loadMs),
          firstInventoryMs: Math.round(first.ms),
          inventoryMedianMs: Math.round(median(inventoryMs) * 10) / 10,
          inventoryP95Ms: Math.round(p95(inventoryMs) * 10) / 10,
          monthlyUsageQueryMs: Math.round(monthlyMs * 10) / 10,
          hourlyScope2MedianMs: Math.round(median(hourlyMs)),
          target: '< 200 ms',
          pass: median(inventoryMs) < 200,
          totals: {
            scope1KgCo2e: first.body.scope1KgCo2e,
            scope2LocationKgCo2e: first.body.scope2LocationKgCo2e,
            scope2MarketKgCo2e: first.body.scope2MarketKgCo2e,
            scope3KgCo2e: first.body.scope3KgCo2e,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await t.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
