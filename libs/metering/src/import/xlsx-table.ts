import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Entry } from 'yauzl';
import { FileRejectedError } from './file-rejected-error';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, clip, formatBytes, type ParseLimits } from './parse-limits';
import type { Cell, TableRow, TableSource } from './table';
import { excelSerialToWallMs } from './timestamp-parser';
import { XlsxZip } from './xlsx-zip';

const SAMPLE_ROWS = 5000;
const BATCH_ROWS = 2048;

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30, and the CJK ones). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** A custom number format shows a date when, outside quotes, brackets and escapes, it has y m d h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*]/g, '')
    .replace(/_.|\*./g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
};

/** Column letters of a cell reference → 0-based index ('B12' → 1); -1 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

const columnName = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/**
 * Feeds an XML part to saxes, chunk by chunk, refusing a text or a tag longer than `maxRun` characters
 * (saxes holds a text node whole before it reports it: a 500 MB cell must not reach it).
 */
async function* feedXml(
  stream: Readable,
  parser: SaxesParser,
  part: string,
  maxRun: number,
): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8');
  let sinceLt = 0;
  let sinceGt = 0;
  const check = (s: string, ch: string, carried: number): number => {
    const first = s.indexOf(ch);
    if (first === -1) return carried + s.length;
    if (carried + first > maxRun) return carried + first;
    return s.length - s.lastIndexOf(ch) - 1;
  };
  const tooLong = () =>
    new FileRejectedError(
      'CELL_TOO_LONG',
      `${part} holds a text or tag longer than ${maxRun.toLocaleString('en')} characters (HALVE_IMPORT_MAX_LINE): no meter reading needs that; the file is not a meter export`,
      { limitChars: maxRun, part },
    );
  try {
    for await (const chunk of stream) {
      const s = decoder.decode(chunk as Buffer, { stream: true });
      sinceLt = check(s, '<', sinceLt);
      sinceGt = check(s, '>', sinceGt);
      // one chunk can hide a long run only if it is itself longer than the limit
      if (sinceLt > maxRun || sinceGt > maxRun || (s.length > maxRun && hasLongRun(s, maxRun)))
        throw tooLong();
      parser.write(s);
      yield;
    }
    const tail = decoder.decode();
    if (tail) parser.write(tail);
    parser.close();
  } catch (e) {
    if (e instanceof FileRejectedError) throw e;
    const m = (e as Error).message ?? String(e);
    throw new FileRejectedError('CORRUPT_FILE', `${part} in the workbook is not well-formed XML: ${clip(m)}`);
  } finally {
    stream.destroy();
  }
}

function hasLongRun(s: string, max: number): boolean {
  for (const ch of ['<', '>']) {
    let prev = -1;
    for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) {
      if (i - prev - 1 > max) return true;
      prev = i;
    }
  }
  return false;
}

async function drain(gen: AsyncGenerator<void>): Promise<void> {
  for await (const _ of gen) void _;
}

/** Shared strings, kept as UTF-8 in one growing buffer (outside the V8 heap) with an offset per string. */
class SharedStrings {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Uint32Array(1024);
  count = 0;

  add(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.used + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    if (this.count + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[this.count] = this.used;
    this.used += this.buf.write(s, this.used);
    this.count++;
    this.offsets[this.count] = this.used;
  }

  get(i: number): string | null {
    if (!(i >= 0 && i < this.count)) return null;
    return this.buf.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }
}

interface Workbook {
  sheets: { name: string; target: string | null; hidden: boolean }[];
  date1904: boolean;
  sharedStrings: string | null;
  styles: string | null;
}

async function readWorkbook(zip: XlsxZip, limits: ParseLimits): Promise<Workbook> {
  // the workbook part: named by the package's relationships, else the usual place
  let workbookPath = 'xl/workbook.xml';
  const rootRels = zip.find('_rels/.rels');
  if (rootRels) {
    const rels = await readRels(zip, rootRels, '', limits);
    const doc = rels.find((r) => r.type.endsWith('/officeDocument'));
    if (doc) workbookPath = doc.target;
  }
  const wbEntry = zip.find(workbookPath);
  if (!wbEntry) {
    const names = [...zip.entries.keys()].slice(0, 10);
    const csv = names.find((n) => /\.(csv|txt|xml|xlsx)$/i.test(n));
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      csv
        ? `the file is a zip archive, not an XLSX workbook (it holds ${names.map((n) => clip(n, 80)).join(', ')}): unpack it and upload ${clip(csv, 80)}`
        : `the file is a zip archive but not an XLSX workbook (it has no ${workbookPath})`,
    );
  }
  const dir = posix.dirname(workbookPath);
  const relsEntry = zip.find(posix.join(dir, '_rels', `${posix.basename(workbookPath)}.rels`));
  const rels = relsEntry ? await readRels(zip, relsEntry, dir, limits) : [];
  const byId = new Map(rels.map((r) => [r.id, r]));
  const wb: Workbook = {
    sheets: [],
    date1904: false,
    sharedStrings:
      rels.find((r) => r.type.endsWith('/sharedStrings'))?.target ??
      (zip.find(posix.join(dir, 'sharedStrings.xml')) ? posix.join(dir, 'sharedStrings.xml') : null),
    styles:
      rels.find((r) => r.type.endsWith('/styles'))?.target ??
      (zip.find(posix.join(dir, 'styles.xml')) ? posix.join(dir, 'styles.xml') : null),
  };
  zip.checkDeclared([{ label: 'workbook', entry: wbEntry }]);
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const a = tag.attributes as Record<string, string>;
    if (name === 'workbookPr') wb.date1904 = a.date1904 === '1' || a.date1904 === 'true';
    else if (name === 'sheet') {
      const idKey = Object.keys(a).find((k) => k !== 'sheetId' && localName(k) === 'id' && k.includes(':'));
      const rel = idKey ? byId.get(a[idKey]) : undefined;
      wb.sheets.push({
        name: a.name ?? `Sheet${wb.sheets.length + 1}`,
        target: rel?.target ?? null,
        hidden: a.state === 'hidden' || a.state === 'veryHidden',
      });
    }
  });
  await drain(feedXml(await zip.stream(wbEntry), parser, workbookPath, limits.maxLineChars));
  return wb;
}

async function readRels(
  zip: XlsxZip,
  entry: Entry,
  baseDir: string,
  limits: ParseLimits,
): Promise<{ id: string; type: string; target: string }[]> {
  zip.checkDeclared([{ label: entry.fileName, entry }]);
  const out: { id: string; type: string; target: string }[] = [];
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (localName(tag.name) !== 'Relationship') return;
    const a = tag.attributes as Record<string, string>;
    if (!a.Target || a.TargetMode === 'External') return;
    const target = a.Target.startsWith('/')
      ? a.Target.slice(1)
      : posix.normalize(posix.join(baseDir, a.Target));
    out.push({ id: a.Id ?? '', type: a.Type ?? '', target });
  });
  await drain(feedXml(await zip.stream(entry), parser, entry.fileName, limits.maxLineChars));
  return out;
}

/** Which cell styles (index into cellXfs) show numbers as dates. */
async function readDateStyles(zip: XlsxZip, entry: Entry, limits: ParseLimits): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const a = tag.attributes as Record<string, string>;
    if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
    else if (name === 'cellXfs') inCellXfs = !tag.isSelfClosing;
    else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
  });
  parser.on('closetag', (tag) => {
    if (localName(tag.name) === 'cellXfs') inCellXfs = false;
  });
  await drain(feedXml(await zip.stream(entry), parser, entry.fileName, limits.maxLineChars));
  return xfFormats.map((id) =>
    custom.has(id) ? isDateFormat(custom.get(id) ?? '') : BUILTIN_DATE_FORMATS.has(id),
  );
}

async function readSharedStrings(zip: XlsxZip, entry: Entry, limits: ParseLimits): Promise<SharedStrings> {
  const sst = new SharedStrings();
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  let text = '';
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (name === 'si') {
      inSi = true;
      text = '';
      if (tag.isSelfClosing) {
        sst.add('');
        inSi = false;
      }
    } else if (name === 'rPh') phonetic++;
    else if (name === 't' && inSi && phonetic === 0) inT = !tag.isSelfClosing;
  });
  parser.on('text', (t) => {
    if (inT) text += t;
  });
  parser.on('cdata', (t) => {
    if (inT) text += t;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inT = false;
    else if (name === 'rPh') phonetic--;
    else if (name === 'si') {
      sst.add(text);
      text = '';
      inSi = false;
    }
  });
  await drain(feedXml(await zip.stream(entry), parser, entry.fileName, limits.maxLineChars));
  return sst;
}

interface SheetContext {
  sst: SharedStrings | null;
  dateStyles: boolean[];
  date1904: boolean;
  limits: ParseLimits;
  sheetName: string;
}

/** A sheet's rows, streamed: SAX events → rows of cells, in batches as the inflated bytes arrive. */
async function* sheetRows(stream: Readable, part: string, ctx: SheetContext): AsyncGenerator<TableRow[]> {
  const { sst, dateStyles, date1904, limits } = ctx;
  const parser = new SaxesParser({ xmlns: false });
  let out: TableRow[] = [];
  let rowNumber = 0;
  let cells: Cell[] = [];
  let inRow = false;
  let cellsSeen = 0;
  // the cell being read
  let col = -1;
  let type = 'n';
  let style = 0;
  let inValue = false;
  let inInline = 0;
  let inT = false;
  let phonetic = 0;
  let text = '';
  let hasText = false;

  const endCell = () => {
    let v: Cell = null;
    if (hasText || type === 'inlineStr') {
      switch (type) {
        case 's':
          v = sst ? sst.get(Number(text)) : null;
          break;
        case 'str':
        case 'inlineStr':
        case 'e':
          v = text;
          break;
        case 'b':
          v = text.trim() === '1' || text.trim() === 'true' ? 'true' : 'false';
          break;
        case 'd': {
          const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
          v = Number.isNaN(ms) ? text : new Date(ms);
          break;
        }
        default: {
          if (text.trim() === '') v = null;
          else {
            const n = Number(text);
            // a non-finite or non-numeric "number" stays text, so the row error quotes it
            if (!Number.isFinite(n)) v = text;
            else if (dateStyles[style]) v = new Date(excelSerialToWallMs(date1904 ? n + 1462 : n));
            else v = n;
          }
        }
      }
    }
    if (col >= EXCEL_MAX_COLUMNS) {
      throw new FileRejectedError(
        'TOO_MANY_CELLS',
        `row ${rowNumber} of sheet "${clip(ctx.sheetName, 80)}" has a cell in column ${columnName(col)}, beyond Excel's last column (XFD): the file is not a meter export`,
      );
    }
    if (v !== null) {
      while (cells.length < col) cells.push(null);
      cells[col] = v;
    } else if (col >= cells.length) {
      // keeps the next cell without a reference in its place
      while (cells.length <= col) cells.push(null);
    }
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const a = tag.attributes as Record<string, string>;
    if (name === 'c') {
      const c = columnOf(a.r);
      col = c === -1 ? cells.length : c;
      type = a.t ?? 'n';
      style = a.s ? Number(a.s) : 0;
      text = '';
      hasText = false;
      if (tag.isSelfClosing) endCell();
    } else if (name === 'v') inValue = !tag.isSelfClosing;
    else if (name === 'is') inInline++;
    else if (name === 'rPh') phonetic++;
    else if (name === 't' && inInline > 0 && phonetic === 0) inT = !tag.isSelfClosing;
    else if (name === 'row') {
      const r = a.r ? Number(a.r) : rowNumber + 1;
      rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
      if (rowNumber > EXCEL_MAX_ROWS) {
        throw new FileRejectedError(
          'TOO_MANY_CELLS',
          `sheet "${clip(ctx.sheetName, 80)}" has a row ${rowNumber}, beyond Excel's last row (${EXCEL_MAX_ROWS.toLocaleString('en')}): the file is not a meter export`,
        );
      }
      cells = [];
      inRow = !tag.isSelfClosing;
    }
  });
  const onText = (t: string) => {
    if (inValue || inT) {
      text += t;
      hasText = true;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 'v') inValue = false;
    else if (name === 't') inT = false;
    else if (name === 'is') inInline--;
    else if (name === 'rPh') phonetic--;
    else if (name === 'c') endCell();
    else if (name === 'row' && inRow) {
      inRow = false;
      cellsSeen += cells.length;
      if (cellsSeen > limits.maxCells) {
        throw new FileRejectedError(
          'TOO_MANY_CELLS',
          `sheet "${clip(ctx.sheetName, 80)}" has more than ${limits.maxCells.toLocaleString('en')} cells (HALVE_IMPORT_MAX_CELLS; row ${rowNumber} passed it): split the file or upload CSV`,
          { limitCells: limits.maxCells, row: rowNumber },
        );
      }
      if (cells.length > 0) out.push({ line: rowNumber, cells });
    }
  });
  for await (const _ of feedXml(stream, parser, part, limits.maxLineChars)) {
    void _;
    if (out.length >= BATCH_ROWS) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

const isEmptyRow = (cells: Cell[]): boolean =>
  cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/**
 * An XLSX workbook: the first visible sheet, or the named one. Read from the file (random access,
 * preferred) or a buffered stream, within `limits`: the parts' declared sizes are checked before any
 * inflating, inflating stops at the byte budget, the sheet at maxCells, a text at maxLineChars. Nothing
 * is written to disk. Date cells arrive as Dates holding the wall-clock time as UTC; other numbers stay
 * numbers (in a timestamp column they are read as Excel serial dates).
 */
export async function xlsxTable(
  source: { path?: string; chunks: AsyncIterable<Buffer> },
  sheet: string | undefined,
  limits: ParseLimits,
): Promise<TableSource> {
  let zip: XlsxZip;
  if (source.path !== undefined) zip = await XlsxZip.open({ path: source.path }, limits.maxUncompressedBytes);
  else {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of source.chunks) {
      n += c.length;
      if (n > limits.maxUncompressedBytes) {
        throw new FileRejectedError(
          'TOO_LARGE_UNCOMPRESSED',
          `the XLSX file is over ${formatBytes(limits.maxUncompressedBytes)} (HALVE_IMPORT_MAX_UNCOMPRESSED)`,
          { limitBytes: limits.maxUncompressedBytes },
        );
      }
      parts.push(c);
    }
    zip = await XlsxZip.open({ buffer: Buffer.concat(parts) }, limits.maxUncompressedBytes);
  }
  let handedOver = false;
  try {
    const wb = await readWorkbook(zip, limits);
    const names = wb.sheets.map((s) => s.name);
    const wanted =
      sheet === undefined
        ? (wb.sheets.find((s) => !s.hidden && s.target) ?? wb.sheets.find((s) => s.target))
        : (wb.sheets.find((s) => s.name === sheet) ??
          wb.sheets.find((s) => s.name.trim().toLowerCase() === sheet.trim().toLowerCase()));
    if (!wanted) {
      if (sheet !== undefined)
        throw new FileRejectedError(
          'SHEET_NOT_FOUND',
          `the workbook has no sheet "${clip(sheet, 80)}"; its sheets are: ${names.map((n) => clip(n, 80)).join(', ') || '(none)'}`,
          { sheets: names },
        );
      throw new FileRejectedError('EMPTY_FILE', 'the workbook has no worksheet');
    }
    const sheetEntry = wanted.target ? zip.find(wanted.target) : undefined;
    if (!sheetEntry)
      throw new FileRejectedError(
        'CORRUPT_FILE',
        `sheet "${clip(wanted.name, 80)}" is listed in the workbook but its part (${wanted.target ?? 'none'}) is missing from the file`,
      );
    const sstEntry = wb.sharedStrings ? zip.find(wb.sharedStrings) : undefined;
    const stylesEntry = wb.styles ? zip.find(wb.styles) : undefined;
    const parts = [
      { label: `sheet "${clip(wanted.name, 80)}"`, entry: sheetEntry },
      ...(sstEntry ? [{ label: 'shared strings', entry: sstEntry }] : []),
      ...(stylesEntry ? [{ label: 'styles', entry: stylesEntry }] : []),
    ];
    zip.checkDeclared(parts);
    const dateStyles = stylesEntry ? await readDateStyles(zip, stylesEntry, limits) : [];
    const sst = sstEntry ? await readSharedStrings(zip, sstEntry, limits) : null;
    const rows = sheetRows(await zip.stream(sheetEntry), sheetEntry.fileName, {
      sst,
      dateStyles,
      date1904: wb.date1904,
      limits,
      sheetName: wanted.name,
    })[Symbol.asyncIterator]();
    let header: TableRow | null = null;
    const sample: TableRow[] = [];
    let pending: TableRow[] = [];
    let eof = false;
    try {
      while (sample.length < SAMPLE_ROWS) {
        if (pending.length === 0) {
          const r = await rows.next();
          if (r.done) {
            eof = true;
            break;
          }
          pending = r.value;
        }
        const row = pending.shift()!;
        if (isEmptyRow(row.cells)) continue;
        if (header === null) header = row;
        else sample.push(row);
      }
    } catch (e) {
      await rows.return(undefined);
      throw e;
    }
    if (header === null) {
      await rows.return(undefined);
      throw new FileRejectedError('EMPTY_FILE', `sheet "${clip(wanted.name, 80)}" is empty`);
    }
    const rest = async function* (): AsyncGenerator<TableRow[]> {
      try {
        const first = pending.filter((r) => !isEmptyRow(r.cells));
        if (first.length > 0) yield first;
        if (eof) return;
        for (;;) {
          const r = await rows.next();
          if (r.done) break;
          const batch = r.value.filter((row) => !isEmptyRow(row.cells));
          if (batch.length > 0) yield batch;
        }
      } finally {
        await close();
      }
    };
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await rows.return(undefined);
      zip.close();
    };
    handedOver = true;
    return {
      kind: 'xlsx',
      header: header.cells.map((c) => (c instanceof Date ? c.toISOString() : String(c ?? '').trim())),
      headerLine: header.line,
      sample,
      rest: rest(),
      close,
    };
  } finally {
    if (!handedOver) zip.close();
  }
}
