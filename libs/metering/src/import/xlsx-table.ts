import { posix } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Entry } from 'yauzl';
import { FileRejectedError } from './file-rejected-error';
import { clip, formatBytes, type ParseLimits } from './parse-limits';
import type { Cell, TableRow, TableSource } from './table';
import { sheetRows } from './xlsx-sheet';
import { SharedStrings, drain, feedXml, localName } from './xlsx-xml';
import { XlsxZip } from './xlsx-zip';

const SAMPLE_ROWS = 5000;

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

const isEmptyRow = (cells: Cell[]): boolean =>
  cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/** The workbook's zip: from the file (random access), or the stream buffered within the uncompressed limit. */
async function openZip(
  source: { path?: string; chunks: AsyncIterable<Buffer> },
  limits: ParseLimits,
): Promise<XlsxZip> {
  if (source.path !== undefined) return XlsxZip.open({ path: source.path }, limits.maxUncompressedBytes);
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
  return XlsxZip.open({ buffer: Buffer.concat(parts) }, limits.maxUncompressedBytes);
}

/** The sheet to read: the named one (exact, then case- and space-insensitive), else the first visible one. */
function chooseSheet(wb: Workbook, sheet: string | undefined): Workbook['sheets'][number] {
  const wanted =
    sheet === undefined
      ? (wb.sheets.find((s) => !s.hidden && s.target) ?? wb.sheets.find((s) => s.target))
      : (wb.sheets.find((s) => s.name === sheet) ??
        wb.sheets.find((s) => s.name.trim().toLowerCase() === sheet.trim().toLowerCase()));
  if (wanted) return wanted;
  const names = wb.sheets.map((s) => s.name);
  if (sheet !== undefined)
    throw new FileRejectedError(
      'SHEET_NOT_FOUND',
      `the workbook has no sheet "${clip(sheet, 80)}"; its sheets are: ${names.map((n) => clip(n, 80)).join(', ') || '(none)'}`,
      { sheets: names },
    );
  throw new FileRejectedError('EMPTY_FILE', 'the workbook has no worksheet');
}

/** The sheet's rows, once its parts' declared sizes passed the limits and its styles and shared strings are read. */
async function openSheet(
  zip: XlsxZip,
  wb: Workbook,
  wanted: Workbook['sheets'][number],
  limits: ParseLimits,
): Promise<AsyncGenerator<TableRow[]>> {
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
  return sheetRows(await zip.stream(sheetEntry), sheetEntry.fileName, {
    sst,
    dateStyles,
    date1904: wb.date1904,
    limits,
    sheetName: wanted.name,
  })[Symbol.asyncIterator]();
}

/** The header (first non-empty row) and up to SAMPLE_ROWS rows after it; `pending`: rows read past the sample. */
async function readHead(
  rows: AsyncGenerator<TableRow[]>,
): Promise<{ header: TableRow | null; sample: TableRow[]; pending: TableRow[]; eof: boolean }> {
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
  return { header, sample, pending, eof };
}

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
  const zip = await openZip(source, limits);
  let handedOver = false;
  try {
    const wb = await readWorkbook(zip, limits);
    const wanted = chooseSheet(wb, sheet);
    const rows = await openSheet(zip, wb, wanted, limits);
    const { header, sample, pending, eof } = await readHead(rows);
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
