import { FileRejectedError } from './file-rejected-error';

export type ByteInput = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

export type SniffedFormat = 'csv' | 'xlsx' | 'green_button';

export interface SniffedInput {
  format: SniffedFormat;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** every byte of the input, the sniffed head included */
  chunks: AsyncIterable<Buffer>;
}

const HEAD_BYTES = 8192;

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Look at the first bytes: `PK` zip → xlsx; `<` (after a BOM and spaces) → XML (Green
 * Button); text → csv; NUL bytes or control characters → binary (refused); other known
 * binaries are named in the refusal.
 */
export async function sniffInput(input: ByteInput): Promise<SniffedInput> {
  const iterator = (input as AsyncIterable<Buffer | Uint8Array | string>)[Symbol.asyncIterator]();
  const headParts: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < HEAD_BYTES) {
    const r = await iterator.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = toBuffer(r.value);
    if (b.length === 0) continue;
    headParts.push(b);
    headLength += b.length;
  }
  const head = Buffer.concat(headParts);
  const chunks = (async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      const b = toBuffer(r.value);
      if (b.length > 0) yield b;
    }
  })();
  const { format, encoding } = sniffHead(head);
  return { format, encoding, chunks };
}

export function sniffHead(head: Buffer): { format: SniffedFormat; encoding: SniffedInput['encoding'] } {
  if (head.length === 0) throw new FileRejectedError('EMPTY_FILE', 'the file is empty (0 bytes)');
  const b = (i: number): number => (i < head.length ? head[i] : -1);
  if (b(0) === 0x50 && b(1) === 0x4b && (b(2) === 3 || b(2) === 5))
    return { format: 'xlsx', encoding: 'utf-8' };
  if (b(0) === 0xd0 && b(1) === 0xcf && b(2) === 0x11 && b(3) === 0xe0)
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      'this is an old Excel .xls (or other OLE2) file: save it as .xlsx or CSV and upload again',
    );
  if (b(0) === 0x25 && b(1) === 0x50 && b(2) === 0x44 && b(3) === 0x46)
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      'this is a PDF: upload the meter data as CSV, XLSX or Green Button XML',
    );
  if (b(0) === 0x1f && b(1) === 0x8b)
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      'this is a gzip archive: unpack it and upload the file inside',
    );
  let encoding: SniffedInput['encoding'] = 'utf-8';
  let text: string;
  if (b(0) === 0xff && b(1) === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le').decode(head.subarray(2, head.length - (head.length % 2)));
  } else if (b(0) === 0xfe && b(1) === 0xff) {
    encoding = 'utf-16be';
    text = new TextDecoder('utf-16be').decode(head.subarray(2, head.length - (head.length % 2)));
  } else {
    if (head.indexOf(0) !== -1)
      throw new FileRejectedError(
        'BINARY',
        'the file is binary (it contains NUL bytes), not CSV, XLSX or Green Button XML',
      );
    text = head.toString('utf8');
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (control > Math.max(8, text.length * 0.05))
    throw new FileRejectedError(
      'BINARY',
      `the file looks binary (${control} control or undecodable characters in its first ${text.length} characters), not CSV, XLSX or Green Button XML`,
    );
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.length === 0) throw new FileRejectedError('EMPTY_FILE', 'the file is empty (only blank lines)');
  if (trimmed[0] === '<') return { format: 'green_button', encoding };
  return { format: 'csv', encoding };
}

/** Decode byte chunks to text chunks (BOM dropped, multi-byte characters kept whole). */
export async function* decodeText(
  chunks: AsyncIterable<Buffer>,
  encoding: SniffedInput['encoding'],
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const s = decoder.decode(chunk, { stream: true });
    if (s.length > 0) yield s;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}
