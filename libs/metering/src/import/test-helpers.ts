import { Readable } from 'node:stream';
import type { ImportEvent, ParsedReading, RowError } from './import-types';

/** Test helper: drain an import into buckets. */
export interface Collected {
  readings: ParsedReading[];
  errors: RowError[];
  missing: { line: number; ts: Date }[];
  duplicates: { line: number; ofLine: number }[];
  warnings: string[];
  batches: number;
}

export async function collect(batches: AsyncIterable<ImportEvent[]>): Promise<Collected> {
  const c: Collected = { readings: [], errors: [], missing: [], duplicates: [], warnings: [], batches: 0 };
  for await (const batch of batches) {
    c.batches++;
    for (const e of batch) {
      if (e.kind === 'reading') c.readings.push(e.reading);
      else if (e.kind === 'error') c.errors.push(e.error);
      else if (e.kind === 'missing') c.missing.push({ line: e.line, ts: e.ts });
      else if (e.kind === 'duplicate') c.duplicates.push({ line: e.line, ofLine: e.ofLine });
      else c.warnings.push(e.message);
    }
  }
  return c;
}

/** A byte stream of a string, cut into small chunks so chunk boundaries get exercised. */
export function textStream(text: string | Buffer, chunkBytes = 7): Readable {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkBytes) parts.push(buf.subarray(i, i + chunkBytes));
  return Readable.from(parts);
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
