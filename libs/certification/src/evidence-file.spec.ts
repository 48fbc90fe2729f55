import ExcelJS from 'exceljs';
import { detectEvidenceType, safeFilename } from './evidence-file';

describe('evidence file types by content', () => {
  it('recognises PDF, PNG, JPEG by their magic bytes', () => {
    expect(detectEvidenceType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))?.type).toBe('pdf');
    expect(
      detectEvidenceType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))?.type,
    ).toBe('png');
    expect(detectEvidenceType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]))).toEqual({
      type: 'jpeg',
      contentType: 'image/jpeg',
    });
  });

  it('recognises a real XLSX workbook, and refuses another ZIP', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Readings').addRow(['ts', 'kWh']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(detectEvidenceType(xlsx)?.type).toBe('xlsx');
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('hello.txt some text')]);
    expect(detectEvidenceType(zip)).toBeNull();
  });

  it('accepts UTF-8 text as CSV and refuses binaries and empty files', () => {
    expect(detectEvidenceType(Buffer.from('\ufeffdate,kWh\n2024-01-01,12.5\n'))?.type).toBe('csv');
    expect(detectEvidenceType(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]))).toBeNull(); // a Windows executable
    expect(detectEvidenceType(Buffer.from([0xc3, 0x28, 0x41]))).toBeNull(); // invalid UTF-8
    expect(detectEvidenceType(Buffer.from('   \n'))).toBeNull();
    expect(detectEvidenceType(Buffer.alloc(0))).toBeNull();
  });

  it('keeps file names harmless', () => {
    expect(safeFilename('../../etc/passwd', 'pdf')).toBe('_.._etc_passwd');
    expect(safeFilename('Bill "March".pdf', 'pdf')).toBe('Bill _March_.pdf');
    expect(safeFilename(undefined, 'csv')).toBe('evidence.csv');
  });
});
