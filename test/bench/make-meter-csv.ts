/**
 * Write an N-row, 15-minute meter CSV (`timestamp,kwh`) for import benchmarks.
 *
 *   node --require ./scripts/swc-register.js test/bench/make-meter-csv.ts <path> [rows=1000000]
 *
 * Timestamps are local wall-clock times ('YYYY-MM-DD HH:MM', read them with timezone 'UTC'
 * or any zone without clock changes) or, with `offsets: true`, ISO 8601 with 'Z'. Values are
 * a deterministic daily load shape with noise, 3 decimals; `sumKwh` is returned so a
 * benchmark can check what it imported.
 */
import { createWriteStream } from 'node:fs';

export interface MakeMeterCsvOptions {
  rows: number;
  /** first interval start (UTC ms); default 2020-01-01T00:00Z */
  startMs?: number;
  intervalMinutes?: number;
  offsets?: boolean;
}

export async function makeMeterCsv(
  path: string,
  options: MakeMeterCsvOptions,
): Promise<{ rows: number; sumKwh: number; bytes: number }> {
  const { rows, startMs = Date.UTC(2020, 0, 1), intervalMinutes = 15, offsets = false } = options;
  const out = createWriteStream(path);
  let bytes = 0;
  let sumMilli = 0;
  let seed = 12345;
  const write = (s: string): Promise<void> | void => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) return new Promise((resolve) => out.once('drain', () => resolve()));
  };
  await write('timestamp,kwh\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const t = startMs + i * intervalMinutes * 60_000;
    const iso = new Date(t).toISOString();
    const ts = offsets ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const hour = (t / 3_600_000) % 24;
    const milli = Math.round(
      (2 + 3 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) + (seed / 2147483648) * 0.5) * 1000,
    );
    sumMilli += milli;
    buf += `${ts},${(milli / 1000).toFixed(3)}\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  if (buf.length > 0) await write(buf);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { rows, sumKwh: sumMilli / 1000, bytes };
}

if (require.main === module) {
  const [path, n] = process.argv.slice(2);
  if (!path) {
    console.error('usage: make-meter-csv.ts <path> [rows]');
    process.exit(2);
  }
  makeMeterCsv(path, { rows: Number(n ?? 1_000_000) }).then((r) =>
    console.log(JSON.stringify({ path, ...r })),
  );
}
