/**
 * Throughput of the pure import pipeline (parse + validate + unit conversion, no database)
 * on an N-row 15-minute CSV, on one core.
 *
 *   node --expose-gc --require ./scripts/swc-register.js test/bench/parse-meter-csv.bench.ts [rows=1000000] [path]
 */
import { createReadStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMeterFile } from '@halve/metering';
import { makeMeterCsv } from './make-meter-csv';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const path = process.argv[3] ?? join(tmpdir(), `halve-meter-${rows}.csv`);
  let expectedSum: number | null = null;
  if (!existsSync(path)) expectedSum = (await makeMeterCsv(path, { rows })).sumKwh;
  for (const zone of ['UTC', 'Europe/Berlin']) {
    if (global.gc) global.gc();
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    let readings = 0;
    let errors = 0;
    let total = 0;
    for await (const batch of parseMeterFile(createReadStream(path), {
      timezone: zone,
      intervalMinutes: 15,
      register: 'interval',
      meterKind: 'electricity_import',
      meterUnit: 'kWh',
      now: new Date('2100-01-01T00:00:00Z'),
    })) {
      for (const e of batch) {
        if (e.kind === 'reading') {
          readings++;
          total += e.reading.value;
        } else if (e.kind === 'error') errors++;
      }
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(
      JSON.stringify({
        zone,
        rows,
        readings,
        errors,
        sumKwh: Math.round(total * 1000) / 1000,
        expectedSumKwh: expectedSum,
        seconds: Math.round(seconds * 1000) / 1000,
        rowsPerSecond: Math.round(rows / seconds),
        peakRssMb: Math.round(peakRss / 1048576),
        peakHeapUsedMb: Math.round(peakHeap / 1048576),
      }),
    );
  }
}

void main();
