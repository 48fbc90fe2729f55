import { countOutsideQuotes, CsvTokenizer, lineTooLong, type CsvRow } from './csv-tokenizer';
import { FileRejectedError } from './file-rejected-error';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';
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

/** tab, line feed, vertical tab, form feed, carriage return, space, BOM */
const isBlank = (c: number): boolean => (c >= 9 && c <= 13) || c === 32 || c === 0xfeff;

/**
 * Text chunks → a table: the header (first non-empty line), a sample of up to 5000 data
 * rows (to detect columns, date order and decimal comma) and the remaining rows, streamed.
 */
export async function csvTable(
  text: AsyncIterable<string>,
  maxLineChars = DEFAULT_PARSE_LIMITS.maxLineChars,
): Promise<TableSource> {
  const it = text[Symbol.asyncIterator]();
  let buffered = '';
  let eof = false;
  let first = true;
  /** blank lines before the header, dropped as they come (a file of blank lines is not held whole) */
  let skippedLines = 0;
  // read until the header line is complete
  for (;;) {
    if (first && buffered.length > 0) {
      buffered = buffered.replace(/^\uFEFF/, '');
      first = false;
    }
    let i = 0;
    while (i < buffered.length && isBlank(buffered.charCodeAt(i))) i++;
    const cut = i === 0 ? -1 : buffered.lastIndexOf('\n', i - 1);
    if (cut !== -1) {
      for (let k = buffered.indexOf('\n'); k !== -1 && k <= cut; k = buffered.indexOf('\n', k + 1))
        skippedLines++;
      buffered = buffered.slice(cut + 1);
    }
    if (buffered.indexOf('\n') !== -1 || eof) break;
    if (buffered.length > maxLineChars) throw lineTooLong(skippedLines + 1, maxLineChars);
    const r = await it.next();
    if (r.done) eof = true;
    else buffered += r.value;
  }
  const firstLine = (buffered.replace(/^[\s\uFEFF]+/, '').split('\n', 1)[0] ?? '').replace(/\r$/, '');
  if (firstLine.trim().length === 0)
    throw new FileRejectedError('EMPTY_FILE', 'the file is empty (only blank lines)');
  const detected = detectDelimiter(firstLine);
  const delimiter = detected ?? ',';
  const tokenizer = new CsvTokenizer(delimiter, maxLineChars, skippedLines + 1);
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
