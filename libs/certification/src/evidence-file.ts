import { AppError, BadInputError, PayloadTooLargeError } from '@halve/platform';

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
  let type: DetectedFile['type'] | null = null;
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d]))
    type = 'pdf'; // %PDF-
  else if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = 'png';
  else if (startsWith(buf, [0xff, 0xd8, 0xff])) type = 'jpeg';
  else if (isXlsx(buf)) type = 'xlsx';
  else if (!startsWith(buf, [0x50, 0x4b]) && isCsv(buf)) type = 'csv';
  return type ? { type, contentType: CONTENT_TYPES[type] } : null;
}

/** A file name safe to store and to send back in a Content-Disposition header. */
export function safeFilename(name: string | undefined, type: DetectedFile['type']): string {
  const base = (name ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 200)
    .trim();
  return base || `evidence.${type}`;
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
  if (!file)
    throw new BadInputError('Send the document as the multipart field "file".', [
      { field: 'file', message: 'required' },
    ]);
  if (file.size === 0)
    throw new BadInputError('The file is empty.', [{ field: 'file', message: 'empty file' }]);
  if (file.size > limitBytes) throw new PayloadTooLargeError(limitBytes, 'The evidence file');
  const detected = detectEvidenceType(file.buffer);
  if (!detected) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `The file's content is not ${ACCEPTED_EVIDENCE} (judged by its bytes, not its name "${file.originalname}").`,
      [{ field: 'file', message: `must be ${ACCEPTED_EVIDENCE}` }],
    );
  }
  return { file, detected };
}
