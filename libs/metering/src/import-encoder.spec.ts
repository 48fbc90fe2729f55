import { COPY_HEADER, COPY_TRAILER, ReadingEncoder } from './import-encoder';
import type { ImportEvent } from './import/import-types';

const TENANT = '11111111-2222-4333-8444-555555555555';
const METER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const OTHER = '01234567-89ab-4cde-8f01-23456789abcd';
const IMPORT = 'ffffffff-0000-4000-8000-000000000001';

const reading = (
  line: number,
  iso: string,
  value: number,
  extra: Partial<{ periodEnd: Date; quality: 'measured' | 'estimated' | 'filled' }> = {},
): ImportEvent => ({
  kind: 'reading',
  reading: {
    line,
    ts: new Date(iso),
    value,
    quality: extra.quality ?? 'measured',
    ...(extra.periodEnd ? { periodEnd: extra.periodEnd } : {}),
  },
});

/** The binary COPY row written the obvious way (Buffer + BigInt), to check the encoder's arithmetic against. */
function expectedRow(
  fields: (['uuid', string] | ['ts', Date | null] | ['f8', number] | ['i2', number])[],
): Buffer {
  const parts: Buffer[] = [];
  const n = Buffer.alloc(2);
  n.writeInt16BE(fields.length);
  parts.push(n);
  for (const [type, v] of fields) {
    if (type === 'uuid')
      parts.push(Buffer.from([0, 0, 0, 16]), Buffer.from((v as string).replace(/-/g, ''), 'hex'));
    if (type === 'ts') {
      if (v === null) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
      else {
        const b = Buffer.alloc(12);
        b.writeInt32BE(8);
        b.writeBigInt64BE(BigInt((v as Date).getTime() - Date.UTC(2000, 0, 1)) * 1000n, 4);
        parts.push(b);
      }
    }
    if (type === 'f8') {
      const b = Buffer.alloc(12);
      b.writeInt32BE(8);
      b.writeDoubleBE(v as number, 4);
      parts.push(b);
    }
    if (type === 'i2') {
      const b = Buffer.alloc(6);
      b.writeInt32BE(2);
      b.writeInt16BE(v as number, 4);
      parts.push(b);
    }
  }
  return Buffer.concat(parts);
}

const bytes = (e: ReadingEncoder) => Buffer.concat(e.drain().map((c) => Buffer.from(c.bytes!)));

describe('ReadingEncoder', () => {
  it('writes PostgreSQL binary COPY rows of readings, before and after 2000, with and without a period end', () => {
    const e = new ReadingEncoder({
      mode: 'copy-direct',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER],
      hourRollups: false,
    });
    const end = new Date('2024-02-01T00:00:00Z');
    e.take(
      [
        reading(2, '1996-03-04T05:15:00Z', 1.25),
        reading(3, '2024-01-01T00:00:00Z', 742.5, { periodEnd: end, quality: 'estimated' }),
      ],
      METER,
    );
    const expected = Buffer.concat([
      Buffer.from(COPY_HEADER),
      expectedRow([
        ['uuid', TENANT],
        ['uuid', METER],
        ['ts', new Date('1996-03-04T05:15:00Z')],
        ['f8', 1.25],
        ['ts', null],
        ['i2', 0],
        ['uuid', IMPORT],
      ]),
      expectedRow([
        ['uuid', TENANT],
        ['uuid', METER],
        ['ts', new Date('2024-01-01T00:00:00Z')],
        ['f8', 742.5],
        ['ts', end],
        ['i2', 1],
        ['uuid', IMPORT],
      ]),
    ]);
    expect(bytes(e).equals(expected)).toBe(true);
    expect(Buffer.from(e.trailer()!).equals(Buffer.from(COPY_TRAILER))).toBe(true);
  });

  it('writes stage rows (meter, ts, value, period end, quality) for several meters, and a header-only stream when nothing came', () => {
    const e = new ReadingEncoder({
      mode: 'copy-stage',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER, OTHER],
      hourRollups: false,
    });
    e.take([reading(2, '2024-05-06T07:00:00Z', 3)], OTHER);
    expect(
      bytes(e).equals(
        Buffer.concat([
          Buffer.from(COPY_HEADER),
          expectedRow([
            ['uuid', OTHER],
            ['ts', new Date('2024-05-06T07:00:00Z')],
            ['f8', 3],
            ['ts', null],
            ['i2', 0],
          ]),
        ]),
      ),
    ).toBe(true);
    const empty = new ReadingEncoder({
      mode: 'copy-stage',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER],
      hourRollups: false,
    });
    empty.take([{ kind: 'missing', line: 2, ts: new Date() }], METER);
    expect(empty.drain()).toEqual([]);
    expect(
      Buffer.from(empty.trailer()!).equals(
        Buffer.concat([Buffer.from(COPY_HEADER), Buffer.from(COPY_TRAILER)]),
      ),
    ).toBe(true);
  });

  it('counts the report and the meters’ ranges, and gives columns for the embedded database', () => {
    const e = new ReadingEncoder({
      mode: 'columns',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER, OTHER],
      hourRollups: false,
    });
    e.take(
      [
        reading(2, '2024-01-01T00:00:00Z', 1),
        { kind: 'missing', line: 3, ts: new Date('2024-01-01T01:00:00Z') },
        { kind: 'error', error: { line: 4, message: 'line 4: bad' } },
        { kind: 'duplicate', line: 5, ofLine: 2, ts: new Date('2024-01-01T00:00:00Z') },
        { kind: 'warning', line: 5, message: 'note' },
        reading(6, '2024-01-01T03:00:00Z', 2, { quality: 'filled' }),
      ],
      METER,
    );
    e.take([reading(2, '2023-12-31T23:00:00Z', 5)], OTHER);
    expect(e.tally.summary()).toEqual({
      rowsRead: 6,
      rowsMissing: 1,
      rowsRejected: 1,
      rowsDuplicate: 1,
      readings: 3,
      errors: [{ line: 4, message: 'line 4: bad' }],
      warnings: [{ line: 5, message: 'note' }],
    });
    expect(e.ranges.get(METER)).toEqual({
      n: 2,
      first: Date.parse('2024-01-01T00:00:00Z'),
      last: Date.parse('2024-01-01T03:00:00Z'),
    });
    expect(e.ranges.get(OTHER)).toEqual({
      n: 1,
      first: Date.parse('2023-12-31T23:00:00Z'),
      last: Date.parse('2023-12-31T23:00:00Z'),
    });
    const [chunk] = e.drain();
    expect(chunk.rows).toBe(3);
    expect([...chunk.columns!.meter]).toEqual([0, 0, 1]);
    expect([...chunk.columns!.value]).toEqual([1, 2, 5]);
    expect([...chunk.columns!.quality]).toEqual([0, 2, 0]);
    expect(e.trailer()).toBeNull();
  });

  it('hands out only full chunks while streaming (thousands of rows a message, however small the batches), the rest on drain', () => {
    const target = {
      mode: 'copy-direct' as const,
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER],
      hourRollups: false,
    };
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 5000 }, (_, i) =>
      reading(i + 2, new Date(start + i * 900_000).toISOString(), i / 4),
    );
    const e = new ReadingEncoder(target);
    const handed: Buffer[] = [];
    const sizes: number[] = [];
    for (let b = 0; b < 50; b++) {
      e.take(rows.slice(b * 100, b * 100 + 100), METER);
      if (b === 0) expect(e.drainFull()).toEqual([]);
      for (const c of e.drainFull()) {
        handed.push(Buffer.from(c.bytes!));
        sizes.push(c.rows);
      }
    }
    // a chunk is ~256 KB: at most 104 bytes a row, so over 2000 rows each
    expect(sizes.length).toBeGreaterThanOrEqual(1);
    expect(sizes.every((n) => n > 2000)).toBe(true);
    for (const c of e.drain()) {
      handed.push(Buffer.from(c.bytes!));
      sizes.push(c.rows);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000);
    // the same bytes as encoding every row at once
    const whole = new ReadingEncoder(target);
    whole.take(rows, METER);
    expect(Buffer.concat(handed).equals(bytes(whole))).toBe(true);
  });

  it('sums hour rollups (UTC hours) on the way, whatever the order of the rows', () => {
    const e = new ReadingEncoder({
      mode: 'copy-direct',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER],
      hourRollups: true,
    });
    const quarter = (h: number, q: number, v: number) =>
      reading(2, new Date(Date.UTC(2024, 0, 1, h, q * 15)).toISOString(), v);
    e.take(
      [
        quarter(0, 0, 1),
        quarter(0, 1, 2),
        quarter(1, 0, 10),
        quarter(0, 2, 3),
        quarter(0, 3, 4),
        quarter(1, 1, 20),
      ],
      METER,
    );
    e.take([quarter(2, 0, 100)], METER);
    const [h] = e.hourRollups();
    expect(h.meterId).toBe(METER);
    expect([...h.hourMs]).toEqual([
      Date.UTC(2024, 0, 1, 0),
      Date.UTC(2024, 0, 1, 1),
      Date.UTC(2024, 0, 1, 2),
    ]);
    expect([...h.sum]).toEqual([1 + 2 + 3 + 4, 10 + 20, 100]);
    expect([...h.count]).toEqual([4, 2, 1]);
  });
});

describe('ReadingEncoder: the last guard against non-finite values', () => {
  it('counts a non-finite reading as a rejected row (naming its line) and never encodes it', () => {
    const enc = new ReadingEncoder({
      mode: 'columns',
      tenantId: TENANT,
      importId: IMPORT,
      meterIds: [METER],
      hourRollups: true,
    });
    enc.take(
      [
        reading(2, '2024-01-01T00:00:00Z', 1.5),
        reading(3, '2024-01-01T01:00:00Z', Number.POSITIVE_INFINITY),
        reading(4, '2024-01-01T02:00:00Z', Number.NaN),
      ],
      METER,
    );
    const rows = enc.drain().reduce((n, c) => n + c.rows, 0);
    expect(rows).toBe(1);
    expect(enc.tally.summary()).toEqual(
      expect.objectContaining({ readings: 1, rowsRejected: 2, rowsRead: 3 }),
    );
    expect(enc.tally.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(enc.tally.errors[0].message).toBe('line 3: the value Infinity is not a finite number');
    expect(enc.hourRollups()[0].sum[0]).toBe(1.5);
  });
});
