import { checkUploadedFile, detectReceiptType, safeUploadName } from '@halve/carbon';

/** What an uploaded evidence file is, judged by its bytes (magic numbers), never by its name. */
export interface DetectedFile {
  type: 'pdf' | 'png' | 'jpeg' | 'xlsx' | 'csv';
  contentType: string;
}

const CONTENT_TYPES: Record<DetectedFile['type'], string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

export const ACCEPTED_EVIDENCE = 'PDF, PNG, JPEG, CSV or XLSX';

const startsWith = (buf: Buffer, bytes: number[]) =>
  buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

/** An OOXML workbook: a ZIP whose entries include `[Content_Types].xml` and `xl/` parts (names are stored uncompressed). */
function isXlsx(buf: Buffer): boolean {
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return false;
  return buf.includes('[Content_Types].xml', 0, 'latin1') && buf.includes('xl/', 0, 'latin1');
}

/** Text that a CSV can be: valid UTF-8, no control characters but tab/CR/LF, at least one line with content. */
function isCsv(buf: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return false;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return false;
  return text.trim().length > 0;
}

/** The type of a file from its content, or null when it is none of the accepted types. */
export function detectEvidenceType(buf: Buffer): DetectedFile | null {
  const document = detectReceiptType(buf); // PDF, PNG, JPEG
  if (document) return document as DetectedFile;
  const type = isXlsx(buf) ? 'xlsx' : !startsWith(buf, [0x50, 0x4b]) && isCsv(buf) ? 'csv' : null;
  return type ? { type, contentType: CONTENT_TYPES[type] } : null;
}

/** A file name safe to store and to send back in a Content-Disposition header. */
export function safeFilename(name: string | undefined, type: DetectedFile['type']): string {
  return safeUploadName(name, `evidence.${type}`);
}

export interface UploadedEvidence {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** What an upload is, judged by its bytes; a missing, empty, too large or unaccepted file is refused. */
export function checkEvidenceUpload(
  file: UploadedEvidence | undefined,
  limitBytes: number,
): { file: UploadedEvidence; detected: DetectedFile } {
  return checkUploadedFile(
    file,
    limitBytes,
    detectEvidenceType,
    ACCEPTED_EVIDENCE,
    'Send the document as the multipart field "file".',
  );
}
