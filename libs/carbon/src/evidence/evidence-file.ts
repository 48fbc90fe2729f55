import { createHash } from 'node:crypto';
import { AppError, BadInputError, PayloadTooLargeError } from '@halve/platform';

/**
 * An invoice or receipt as uploaded (pure): PDF, PNG or JPEG judged by its first bytes, never by its
 * name or the type the client states. Claim evidence (libs/certification/src/evidence-file.ts) builds on
 * these checks and adds the spreadsheets a claim also takes.
 */
export const ACCEPTED_RECEIPTS = 'PDF, PNG or JPEG';
export const RECEIPT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

const SIGNATURES: { type: 'pdf' | 'png' | 'jpeg'; contentType: string; bytes: number[] }[] = [
  { type: 'pdf', contentType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'png', contentType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'jpeg', contentType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

export function detectReceiptType(buf: Buffer): { type: string; contentType: string } | null {
  const hit = SIGNATURES.find((s) => buf.length >= s.bytes.length && s.bytes.every((b, i) => buf[i] === b));
  return hit ? { type: hit.type, contentType: hit.contentType } : null;
}

/** A file name safe to store and to send back in a Content-Disposition header (`fallback` when nothing is left). */
export function safeUploadName(name: string | undefined, fallback: string): string {
  const base = (name ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 200)
    .trim();
  return base || fallback;
}

export interface UploadedReceipt {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/**
 * The checks every uploaded document passes: present (`missing` says how to send it), not empty, within
 * `limitBytes`, and of a type `detect` recognises by its bytes (415 naming `accepted` otherwise).
 */
export function checkUploadedFile<T>(
  file: UploadedReceipt | undefined,
  limitBytes: number,
  detect: (buf: Buffer) => T | null,
  accepted: string,
  missing: string,
): { file: UploadedReceipt; detected: T } {
  if (!file) throw new BadInputError(missing, [{ field: 'file', message: 'required' }]);
  if (file.size === 0)
    throw new BadInputError('The file is empty.', [{ field: 'file', message: 'empty file' }]);
  if (file.size > limitBytes) throw new PayloadTooLargeError(limitBytes, 'The evidence file');
  const detected = detect(file.buffer);
  if (!detected)
    throw new AppError(
      415,
      'unsupported_media_type',
      `The file's content is not ${accepted} (judged by its bytes, not its name "${file.originalname}").`,
      [{ field: 'file', message: `must be ${accepted}` }],
    );
  return { file, detected };
}

/** The checked upload: its type by content, a safe name and its SHA-256; refused with the field named. */
export function checkReceipt(file: UploadedReceipt | undefined, limitBytes: number) {
  const checked = checkUploadedFile(
    file,
    limitBytes,
    detectReceiptType,
    ACCEPTED_RECEIPTS,
    'Send the invoice or receipt as the multipart field "file".',
  );
  return {
    filename: safeUploadName(checked.file.originalname, `receipt.${checked.detected.type}`),
    contentType: checked.detected.contentType,
    sha256: createHash('sha256').update(checked.file.buffer).digest('hex'),
  };
}
