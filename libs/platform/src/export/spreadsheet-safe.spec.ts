import ExcelJS from 'exceljs';
import { csvField, csvLine, spreadsheetSafeText, spreadsheetSafeWorkbook } from './spreadsheet-safe';

describe('spreadsheet-safe cells (OWASP CSV injection)', () => {
  it.each(['=1+1', '+cmd|x', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")'])(
    'prefixes %j with a quote',
    (s) => {
      expect(spreadsheetSafeText(s)).toBe(`'${s}`);
    },
  );

  it.each(['plain', '', ' =1', "'=1", '-4.5', '+12', '-1e-3', '0.25'])('leaves %j as it is', (s) => {
    expect(spreadsheetSafeText(s)).toBe(s);
  });

  it('CSV: neutralised strings are quoted; numbers, negative ones too, stay unquoted numbers', () => {
    expect(csvLine(['=1+1', -4.5, '-4.5', 'a,b', 'say "hi"', null, undefined, 7n, true, '-2+3'])).toBe(
      `"'=1+1",-4.5,-4.5,"a,b","say ""hi""",,,7,true,"'-2+3"`,
    );
    expect(csvField(new Date('2024-01-01T00:00:00Z'))).toBe('2024-01-01T00:00:00.000Z');
  });

  it('XLSX: every string cell of every sheet is made safe, numbers untouched, no formula written', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('a').addRow(['=HYPERLINK("http://x","y")', -4.5, '@SUM(1)', 'ok']);
    wb.addWorksheet('b').addRow(['+cmd']);
    spreadsheetSafeWorkbook(wb);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await wb.xlsx.writeBuffer()) as never);
    expect(back.getWorksheet('a')?.getRow(1).values).toEqual([
      undefined,
      `'=HYPERLINK("http://x","y")`,
      -4.5,
      "'@SUM(1)",
      'ok',
    ]);
    expect(back.getWorksheet('b')?.getCell('A1').value).toBe("'+cmd");
    expect(back.getWorksheet('a')?.getCell('A1').formula).toBeUndefined();
  });
});
