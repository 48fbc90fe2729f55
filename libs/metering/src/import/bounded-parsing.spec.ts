import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileRejectedError } from './file-rejected-error';
import type { ImportOptions } from './import-types';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';
import { parseMeterFile } from './parse-meter-file';
import { parseWideCsv } from './parse-wide-csv';
import { collect, textStream } from './test-helpers';
import { bombPart, deflatedPart, replacePart, zipParts, zipPartsOf } from '../../../../test/support/zip';

const NOW = new Date('2025-06-01T00:00:00Z');
const HOURLY: ImportOptions = {
  timezone: 'UTC',
  intervalMinutes: 60,
  register: 'interval',
  meterKind: 'electricity_import',
  meterUnit: 'kWh',
  now: NOW,
};
const SHEET = 'xl/worksheets/sheet1.xml';

async function refusal(p: Promise<unknown>): Promise<FileRejectedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FileRejectedError) return e;
    throw e;
  }
  throw new Error('the file was not refused');
}

/** A real workbook (exceljs): a header and `rows` hourly readings. */
async function workbook(rows = 24): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('Readings');
  s.addRow(['timestamp', 'kWh']);
  for (let i = 0; i < rows; i++)
    s.addRow([
      `2024-01-01 ${String(i % 24).padStart(2, '0')}:00`.replace(
        '01 ',
        `${String(1 + Math.floor(i / 24)).padStart(2, '0')} `,
      ),
      i + 0.5,
    ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
const inlineRow = (r: number, a: string, b: string) =>
  `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${a}</t></is></c><c r="B${r}"><v>${b}</v></c></row>`;

/** Writes a file in a fresh folder (random-access XLSX reads come from a file, as in the import job). */
function tempFile(name: string, data: Buffer): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'halve-bounded-'));
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, dir };
}

describe('bounded parsing: XLSX', () => {
  it('refuses a zip bomb (a 0.6 MB workbook whose sheet expands to 600 MB) from its zip directory, before inflating', async () => {
    const parts = await zipPartsOf(await workbook());
    const bomb = zipParts(
      replacePart(
        parts,
        SHEET,
        bombPart(SHEET, SHEET_HEAD + inlineRow(1, 'timestamp', '0'), 600 * 1024 * 1024, SHEET_TAIL),
      ),
    );
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const { path, dir } = tempFile('bomb.xlsx', bomb);
    try {
      const e = await refusal(collect(parseMeterFile(Readable.from([bomb]), { ...HOURLY, filePath: path })));
      expect(e.code).toBe('TOO_LARGE_UNCOMPRESSED');
      // the limit and the declared size, in words
      expect(e.message).toMatch(
        /expands to 600\.0 MB .*over the limit of 256 MB \(HALVE_IMPORT_MAX_UNCOMPRESSED\)/,
      );
      // refused from the zip directory's declared sizes, before any inflating (no actual byte count)
      expect(e.details).toEqual({
        limitBytes: DEFAULT_PARSE_LIMITS.maxUncompressedBytes,
        declaredBytes: expect.any(Number),
      });
      expect(e.details.declaredBytes).toBeGreaterThan(600 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops a bomb whose zip directory lies about its size at the declared size (CORRUPT_FILE), from a buffer too', async () => {
    const parts = await zipPartsOf(await workbook());
    const lying = { ...bombPart(SHEET, SHEET_HEAD, 200 * 1024 * 1024, SHEET_TAIL), declaredSize: 4096 };
    const file = zipParts(replacePart(parts, SHEET, lying));
    const e = await refusal(collect(parseMeterFile(Readable.from([file]), HOURLY)));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toMatch(/expands beyond the size its zip directory declares/);
  });

  it('refuses a workbook whose parts together expand past a lower limit, naming both sizes', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      inlineRow(i + 2, `2024-01-01T00:00:00Z`, String(i)),
    ).join('');
    const parts = await zipPartsOf(await workbook());
    const file = zipParts(
      replacePart(
        parts,
        SHEET,
        deflatedPart(SHEET, SHEET_HEAD + inlineRow(1, 'timestamp', '0') + rows + SHEET_TAIL),
      ),
    );
    const e = await refusal(
      collect(
        parseMeterFile(Readable.from([file]), { ...HOURLY, limits: { maxUncompressedBytes: 64 * 1024 } }),
      ),
    );
    expect(e.code).toBe('TOO_LARGE_UNCOMPRESSED');
    expect(e.message).toMatch(/over the limit of 64 KB/);
  });

  it('ends a truncated workbook (cut at 60 %) at once with TRUNCATED_FILE, from a file and from a stream', async () => {
    const full = await workbook(2000);
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    const { path, dir } = tempFile('cut.xlsx', cut);
    try {
      const fromFile = await refusal(
        collect(parseMeterFile(Readable.from([cut]), { ...HOURLY, filePath: path })),
      );
      expect(fromFile.code).toBe('TRUNCATED_FILE');
      expect(fromFile.message).toMatch(/incomplete.*cut short/);
      const fromStream = await refusal(collect(parseMeterFile(textStream(cut, 4096), HOURLY)));
      expect(fromStream.code).toBe('TRUNCATED_FILE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('caps the cells of a sheet (TOO_MANY_CELLS) and the length of a cell text (CELL_TOO_LONG)', async () => {
    const file = await workbook(100);
    const cells = await refusal(
      collect(parseMeterFile(Readable.from([file]), { ...HOURLY, limits: { maxCells: 50 } })),
    );
    expect(cells.code).toBe('TOO_MANY_CELLS');
    expect(cells.message).toMatch(/more than 50 cells \(HALVE_IMPORT_MAX_CELLS; row \d+ passed it\)/);
    const parts = await zipPartsOf(await workbook());
    const long = zipParts(
      replacePart(
        parts,
        SHEET,
        deflatedPart(
          SHEET,
          SHEET_HEAD +
            inlineRow(1, 'timestamp', '0') +
            inlineRow(2, 'x'.repeat(3 * 1024 * 1024), '1') +
            SHEET_TAIL,
        ),
      ),
    );
    const text = await refusal(collect(parseMeterFile(Readable.from([long]), HOURLY)));
    expect(text.code).toBe('CELL_TOO_LONG');
    expect(text.message.length).toBeLessThan(400);
    // a row beyond Excel's last row was not written by a spreadsheet
    const far = zipParts(
      replacePart(
        parts,
        SHEET,
        deflatedPart(
          SHEET,
          SHEET_HEAD +
            inlineRow(1, 'timestamp', '0') +
            inlineRow(2_000_000, '2024-01-01T00:00:00Z', '1') +
            SHEET_TAIL,
        ),
      ),
    );
    expect((await refusal(collect(parseMeterFile(Readable.from([far]), HOURLY)))).code).toBe(
      'TOO_MANY_CELLS',
    );
  });

  it('makes 1e309 and INF in a number cell row errors naming the line and the value; nothing non-finite is read', async () => {
    const parts = await zipPartsOf(await workbook());
    const rows = [
      inlineRow(1, 'timestamp', '0'),
      inlineRow(2, '2024-01-01T00:00:00Z', '1.5'),
      inlineRow(3, '2024-01-01T01:00:00Z', '1e309'),
      inlineRow(4, '2024-01-01T02:00:00Z', '-1E400'),
      inlineRow(5, '2024-01-01T03:00:00Z', 'INF'),
    ];
    // the header row's B1 must be text for the column to be named
    const xml =
      SHEET_HEAD +
      rows.join('').replace('<c r="B1"><v>0</v></c>', '<c r="B1" t="inlineStr"><is><t>kWh</t></is></c>') +
      SHEET_TAIL;
    const file = zipParts(replacePart(parts, SHEET, deflatedPart(SHEET, xml)));
    const c = await collect(parseMeterFile(Readable.from([file]), { ...HOURLY, valueColumn: 'kWh' }));
    expect(c.readings.map((r) => r.value)).toEqual([1.5]);
    expect(c.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(c.errors[0].message).toBe(
      'line 3: "1e309" in column "kWh" is not a finite number (too large to store)',
    );
    expect(c.errors[2].message).toBe('line 5: "INF" in column "kWh" is not a finite number');
  });

  it('reads dates, shared strings and a sheet listed after others, and leaves nothing in the temp folder', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['see the other sheet']);
    const s = wb.addWorksheet('Data');
    s.addRow(['Start', 'Energy kWh', 'Site']);
    for (let i = 0; i < 48; i++) s.addRow([new Date(Date.UTC(2024, 0, 1, i)), i * 2, 'North']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const { path, dir } = tempFile('data.xlsx', file);
    const spool = mkdtempSync(join(tmpdir(), 'halve-spool-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = spool;
    try {
      const c = await collect(
        parseMeterFile(Readable.from([file]), { ...HOURLY, sheet: 'data', filePath: path }),
      );
      expect(c.errors).toEqual([]);
      expect(c.readings).toHaveLength(48);
      expect(c.readings[5]).toEqual(
        expect.objectContaining({ ts: new Date('2024-01-01T05:00:00Z'), value: 10 }),
      );
      expect(readdirSync(spool)).toEqual([]);
    } finally {
      process.env.TMPDIR = before;
      rmSync(spool, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a zip that is not a workbook', async () => {
    const zip = zipParts([deflatedPart('readings.csv', 'timestamp,kWh\n2024-01-01T00:00:00Z,1\n')]);
    const e = await refusal(collect(parseMeterFile(Readable.from([zip]), HOURLY)));
    expect(e.code).toBe('UNSUPPORTED_FORMAT');
    expect(e.message).toMatch(/zip archive, not an XLSX workbook .*upload readings\.csv/);
  });
});

describe('bounded parsing: CSV', () => {
  it('refuses a 50 MB single line at the line limit, naming line 1, without reading the whole file', async () => {
    const line = Buffer.alloc(50 * 1024 * 1024, 'a');
    let served = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < line.length; i += 65536) {
        served += 65536;
        yield line.subarray(i, i + 65536);
      }
    }
    const e = await refusal(collect(parseMeterFile(source(), HOURLY)));
    expect(e.code).toBe('LINE_TOO_LONG');
    expect(e.message).toMatch(/^line 1 is longer than 1,048,576 characters \(HALVE_IMPORT_MAX_LINE\)/);
    expect(e.details).toEqual({ line: 1, limitChars: 1024 * 1024 });
    // stopped a little after the limit: the rest of the 50 MB was never read
    expect(served).toBeLessThan(2 * 1024 * 1024);
  });

  it('names the line of an over-long line further down, also after blank lines and inside the data', async () => {
    const rows = [
      'timestamp,kWh',
      '2024-01-01T00:00:00Z,1',
      `2024-01-01T01:00:00Z,${'9'.repeat(300_000)}`,
      '2024-01-01T02:00:00Z,3',
    ].join('\n');
    const e = await refusal(
      collect(
        parseMeterFile(textStream(`\n\n${rows}\n`, 65536), { ...HOURLY, limits: { maxLineChars: 100_000 } }),
      ),
    );
    expect(e.code).toBe('LINE_TOO_LONG');
    expect(e.details).toEqual({ line: 5, limitChars: 100_000 });
    const header = await refusal(
      collect(
        parseMeterFile(textStream(`\n\n${'h'.repeat(300_000)}\n1,2\n`, 65536), {
          ...HOURLY,
          limits: { maxLineChars: 100_000 },
        }),
      ),
    );
    expect(header.details).toEqual({ line: 3, limitChars: 100_000 });
  });

  it('quotes at most 200 characters of a long bad cell', async () => {
    const bad = `${'x'.repeat(500_000)}`;
    const c = await collect(
      parseMeterFile(
        textStream(
          `timestamp,kWh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,${bad}\n2024-01-01T02:00:00Z,3\n`,
          65536,
        ),
        { ...HOURLY, valueColumn: 'kWh' },
      ),
    );
    expect(c.readings.map((r) => r.value)).toEqual([1, 3]);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0].message).toBe(
      `line 3: "${'x'.repeat(200)}… (500,000 characters)" in column "kWh" is not a number`,
    );
    const ts = await collect(
      parseMeterFile(textStream(`timestamp,kWh\n2024-01-01T00:00:00Z,1\n${'y'.repeat(400_000)},2\n`, 65536), {
        ...HOURLY,
        timestampColumn: 'timestamp',
      }),
    );
    expect(ts.errors[0].message.length).toBeLessThan(320);
  });

  it('makes 1e309, Infinity and -inf row errors naming line and value (never stored); NaN stays a documented gap', async () => {
    const text =
      'timestamp,kWh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,1e309\n2024-01-01T02:00:00Z,Infinity\n2024-01-01T03:00:00Z,-inf\n2024-01-01T04:00:00Z,NaN\n2024-01-01T05:00:00Z,2\n';
    const c = await collect(parseMeterFile(textStream(text), { ...HOURLY, valueColumn: 'kWh' }));
    expect(c.readings.map((r) => r.value)).toEqual([1, 2]);
    expect(c.errors).toEqual([
      { line: 3, message: 'line 3: "1e309" in column "kWh" is not a finite number (too large to store)' },
      { line: 4, message: 'line 4: "Infinity" in column "kWh" is not a finite number' },
      { line: 5, message: 'line 5: "-inf" in column "kWh" is not a finite number' },
    ]);
    expect(c.missing.map((m) => m.line)).toEqual([6]);
  });

  it('refuses a value that a unit conversion would overflow, or that is above 1e15 in the meter unit', async () => {
    const text =
      'timestamp,MWh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,1e306\n2024-01-01T02:00:00Z,2e12\n';
    const c = await collect(parseMeterFile(textStream(text), HOURLY));
    expect(c.readings.map((r) => r.value)).toEqual([1000]);
    expect(c.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(c.errors[0].message).toMatch(
      /^line 3: value 1e\+306 in column "MWh" is too large to store \(over 1e\+15 in the meter's unit\)$/,
    );
  });

  it('wide files: 1e309 in one meter column is that meter row error only', async () => {
    const text = 'timestamp,a,b\n2024-01-01T00:00:00Z,1,2\n2024-01-01T01:00:00Z,1e309,3\n';
    const seen: Record<string, { values: number[]; errors: string[] }> = {
      A: { values: [], errors: [] },
      B: { values: [], errors: [] },
    };
    for await (const batch of parseWideCsv(textStream(text), { ...HOURLY, columns: { a: 'A', b: 'B' } })) {
      for (const part of batch) {
        for (const e of part.events) {
          if (e.kind === 'reading') seen[part.meterId].values.push(e.reading.value);
          if (e.kind === 'error') seen[part.meterId].errors.push(e.error.message);
        }
      }
    }
    expect(seen.A).toEqual({
      values: [1],
      errors: ['line 3: "1e309" in column "a" is not a finite number (too large to store)'],
    });
    expect(seen.B).toEqual({ values: [2, 3], errors: [] });
  });
});

describe('bounded parsing: Green Button', () => {
  const feed = (values: string[]) => `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">
<entry><content><espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind></espi:ServiceCategory></espi:UsagePoint></content></entry>
<entry><content><espi:MeterReading/></content></entry>
<entry><content><espi:ReadingType><espi:flowDirection>1</espi:flowDirection><espi:uom>72</espi:uom><espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier></espi:ReadingType></content></entry>
<entry><content><espi:IntervalBlock>${values
    .map(
      (v, i) =>
        `<espi:IntervalReading><espi:timePeriod><espi:duration>3600</espi:duration><espi:start>${1704067200 + i * 3600}</espi:start></espi:timePeriod><espi:value>${v}</espi:value></espi:IntervalReading>`,
    )
    .join('')}</espi:IntervalBlock></content></entry>
</feed>`;

  it('makes a non-finite value a row error naming the reading and the value', async () => {
    const c = await collect(parseMeterFile(textStream(feed(['1000', '1e309', 'INF', '3000'])), HOURLY));
    expect(c.readings.map((r) => r.value)).toEqual([1, 3]);
    expect(c.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(c.errors[0].message).toMatch(
      /^line 2: reading 2 of .* has the value "1e309", which is not a finite number$/,
    );
  });

  it('refuses XML over the size cap (TOO_LARGE) as its bytes arrive', async () => {
    const xml = feed(Array.from({ length: 5000 }, () => '1000'));
    const e = await refusal(
      collect(parseMeterFile(textStream(xml, 4096), { ...HOURLY, limits: { maxXmlBytes: 64 * 1024 } })),
    );
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/over 64 KB \(HALVE_IMPORT_MAX_XML\)/);
  });
});
