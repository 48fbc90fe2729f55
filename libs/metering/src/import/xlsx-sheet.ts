import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FileRejectedError } from './file-rejected-error';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, clip, type ParseLimits } from './parse-limits';
import type { Cell, TableRow } from './table';
import { excelSerialToWallMs } from './timestamp-parser';
import { SharedStrings, columnName, columnOf, feedXml, localName } from './xlsx-xml';

const BATCH_ROWS = 2048;

export interface SheetContext {
  sst: SharedStrings | null;
  dateStyles: boolean[];
  date1904: boolean;
  limits: ParseLimits;
  sheetName: string;
}

/** A cell's value from its type (`t`), style and text: a string, a number, a Date (wall clock as UTC) or null. */
function decodeCell(text: string, type: string, style: number, ctx: SheetContext): Cell {
  switch (type) {
    case 's':
      return ctx.sst ? ctx.sst.get(Number(text)) : null;
    case 'str':
    case 'inlineStr':
    case 'e':
      return text;
    case 'b':
      return text.trim() === '1' || text.trim() === 'true' ? 'true' : 'false';
    case 'd': {
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
      return Number.isNaN(ms) ? text : new Date(ms);
    }
    default: {
      if (text.trim() === '') return null;
      const n = Number(text);
      // a non-finite or non-numeric "number" stays text, so the row error quotes it
      if (!Number.isFinite(n)) return text;
      if (ctx.dateStyles[style]) return new Date(excelSerialToWallMs(ctx.date1904 ? n + 1462 : n));
      return n;
    }
  }
}

/** Puts a cell's value at its column, padding the row with nulls; an empty cell still holds its place. */
function placeCell(cells: Cell[], col: number, v: Cell): void {
  if (v !== null) {
    while (cells.length < col) cells.push(null);
    cells[col] = v;
  } else if (col >= cells.length) {
    // keeps the next cell without a reference in its place
    while (cells.length <= col) cells.push(null);
  }
}

const beyondLastColumn = (ctx: SheetContext, rowNumber: number, col: number) =>
  new FileRejectedError(
    'TOO_MANY_CELLS',
    `row ${rowNumber} of sheet "${clip(ctx.sheetName, 80)}" has a cell in column ${columnName(col)}, beyond Excel's last column (XFD): the file is not a meter export`,
  );

const beyondLastRow = (ctx: SheetContext, rowNumber: number) =>
  new FileRejectedError(
    'TOO_MANY_CELLS',
    `sheet "${clip(ctx.sheetName, 80)}" has a row ${rowNumber}, beyond Excel's last row (${EXCEL_MAX_ROWS.toLocaleString('en')}): the file is not a meter export`,
  );

const tooManyCells = (ctx: SheetContext, rowNumber: number) =>
  new FileRejectedError(
    'TOO_MANY_CELLS',
    `sheet "${clip(ctx.sheetName, 80)}" has more than ${ctx.limits.maxCells.toLocaleString('en')} cells (HALVE_IMPORT_MAX_CELLS; row ${rowNumber} passed it): split the file or upload CSV`,
    { limitCells: ctx.limits.maxCells, row: rowNumber },
  );

/** A sheet's rows, streamed: SAX events → rows of cells, in batches as the inflated bytes arrive. */
export async function* sheetRows(
  stream: Readable,
  part: string,
  ctx: SheetContext,
): AsyncGenerator<TableRow[]> {
  const limits = ctx.limits;
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
    const v = hasText || type === 'inlineStr' ? decodeCell(text, type, style, ctx) : null;
    if (col >= EXCEL_MAX_COLUMNS) throw beyondLastColumn(ctx, rowNumber, col);
    placeCell(cells, col, v);
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
      if (rowNumber > EXCEL_MAX_ROWS) throw beyondLastRow(ctx, rowNumber);
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
      if (cellsSeen > limits.maxCells) throw tooManyCells(ctx, rowNumber);
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
