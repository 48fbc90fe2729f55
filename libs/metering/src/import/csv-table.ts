import { countOutsideQuotes, CsvTokenizer, type CsvRow } from './csv-tokenizer';
import { FileRejectedError } from './file-rejected-error';
import type { TableSource } from './table';

const DELIMITERS = [',', ';', '\t'] as const;
const SAMPLE_ROWS = 5000;

/** Pick `,` `;` or tab: the one that occurs most often (outside quotes) in the header line. */
export function detectDelimiter(headerLine: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = countOutsideQuotes(headerLine, d);
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Text chunks → a table: the header (first non-empty line), a sample of up to 5000 data
 * rows (to detect columns, date order and decimal comma) and the remaining rows, streamed.
 */
export async function csvTable(text: AsyncIterable<string>): Promise<TableSource> {
  const it = text[Symbol.asyncIterator]();
  let buffered = '';
  let eof = false;
  // read until the header line is complete
  let headerEnd = -1;
  for (;;) {
    const stripped = buffered.replace(/^[\s\uFEFF]+/, '');
    headerEnd = stripped.indexOf('\n');
    if (headerEnd !== -1 || eof) {
      buffered = buffered.replace(/^\uFEFF/, '');
      break;
    }
    const r = await it.next();
    if (r.done) eof = true;
    else buffered += r.value;
    if (buffered.length > 1 << 20 && buffered.indexOf('\n') === -1) {
      throw new FileRejectedError('NO_TIMESTAMP_COLUMN', 'the file has no line break in its first megabyte: it is not a CSV table');
    }
  }
  const firstLine = (buffered.replace(/^[\s\uFEFF]+/, '').split('\n', 1)[0] ?? '').replace(/\r$/, '');
  if (firstLine.trim().length === 0) throw new FileRejectedError('EMPTY_FILE', 'the file is empty (only blank lines)');
  const detected = detectDelimiter(firstLine);
  const delimiter = detected ?? ',';
  const tokenizer = new CsvTokenizer(delimiter);
  const rows: CsvRow[] = [];
  tokenizer.push(buffered, rows);
  while (!eof && rows.length < SAMPLE_ROWS + 1) {
    const r = await it.next();
    if (r.done) eof = true;
    else tokenizer.push(r.value, rows);
  }
  if (eof) tokenizer.end(rows);
  if (rows.length === 0) throw new FileRejectedError('EMPTY_FILE', 'the file is empty');
  const headerRow = rows[0];
  const sample = rows.slice(1);
  async function* rest(): AsyncGenerator<CsvRow[]> {
    if (eof) return;
    let out: CsvRow[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      tokenizer.push(r.value, out);
      if (out.length >= 2048) {
        yield out;
        out = [];
      }
    }
    tokenizer.end(out);
    if (out.length > 0) yield out;
  }
  return {
    kind: 'csv',
    header: headerRow.cells.map((f) => f.trim()),
    headerLine: headerRow.line,
    headerText: firstLine,
    delimiter: detected,
    sample,
    rest: rest(),
  };
}
