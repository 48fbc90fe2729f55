import { CsvTokenizer, type CsvRow } from './csv-tokenizer';
import { detectDelimiter } from './csv-table';

function tokenize(text: string, delimiter = ',', chunk = 3): CsvRow[] {
  const t = new CsvTokenizer(delimiter);
  const out: CsvRow[] = [];
  for (let i = 0; i < text.length; i += chunk) t.push(text.slice(i, i + chunk), out);
  t.end(out);
  return out;
}

describe('CsvTokenizer', () => {
  it('splits plain lines, CRLF, skips blank lines but counts them, keeps a last line without newline', () => {
    expect(tokenize('a,b\r\n1,2\n\n3,4')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and newlines inside, and counts lines', () => {
    const rows = tokenize(
      't;v;note\n"2024-01-01";"1,5";"say ""hi""; ok"\n"x";2;"two\nlines"\n"y";3;z\n',
      ';',
    );
    expect(rows.map((r) => r.cells)).toEqual([
      ['t', 'v', 'note'],
      ['2024-01-01', '1,5', 'say "hi"; ok'],
      ['x', '2', 'two\nlines'],
      ['y', '3', 'z'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('does not buffer the rest of the file after an unbalanced quote', () => {
    const text = `a,b\n"oops,1\n${'2024-01-01 00:00,1\n'.repeat(70_000)}`;
    const rows = tokenize(text, ',', 1 << 16);
    expect(rows).toHaveLength(70_002);
    expect(rows[1].cells).toEqual(['"oops', '1']);
    expect(rows[70_001]).toEqual({ line: 70_002, cells: ['2024-01-01 00:00', '1'] });
  });

  it('detects the delimiter from the header', () => {
    expect(detectDelimiter('timestamp,kwh')).toBe(',');
    expect(detectDelimiter('Datum;Zeit;"Verbrauch, kWh"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('timestamp|kwh')).toBeNull();
  });
});
