import type { Readable } from 'node:stream';
import type { SaxesParser } from 'saxes';
import { FileRejectedError } from './file-rejected-error';
import { clip } from './parse-limits';

/** The XML plumbing of an XLSX part: names, cell references, a bounded feed into saxes, shared strings. */

export const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
};

/** Column letters of a cell reference → 0-based index ('B12' → 1); -1 when there is none. */
export function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

export const columnName = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/**
 * Feeds an XML part to saxes, chunk by chunk, refusing a text or a tag longer than `maxRun` characters
 * (saxes holds a text node whole before it reports it: a 500 MB cell must not reach it).
 */
export async function* feedXml(
  stream: Readable,
  parser: SaxesParser,
  part: string,
  maxRun: number,
): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8');
  let sinceLt = 0;
  let sinceGt = 0;
  const check = (s: string, ch: string, carried: number): number => {
    const first = s.indexOf(ch);
    if (first === -1) return carried + s.length;
    if (carried + first > maxRun) return carried + first;
    return s.length - s.lastIndexOf(ch) - 1;
  };
  const tooLong = () =>
    new FileRejectedError(
      'CELL_TOO_LONG',
      `${part} holds a text or tag longer than ${maxRun.toLocaleString('en')} characters (HALVE_IMPORT_MAX_LINE): no meter reading needs that; the file is not a meter export`,
      { limitChars: maxRun, part },
    );
  try {
    for await (const chunk of stream) {
      const s = decoder.decode(chunk as Buffer, { stream: true });
      sinceLt = check(s, '<', sinceLt);
      sinceGt = check(s, '>', sinceGt);
      // one chunk can hide a long run only if it is itself longer than the limit
      if (sinceLt > maxRun || sinceGt > maxRun || (s.length > maxRun && hasLongRun(s, maxRun)))
        throw tooLong();
      parser.write(s);
      yield;
    }
    const tail = decoder.decode();
    if (tail) parser.write(tail);
    parser.close();
  } catch (e) {
    if (e instanceof FileRejectedError) throw e;
    const m = (e as Error).message ?? String(e);
    throw new FileRejectedError('CORRUPT_FILE', `${part} in the workbook is not well-formed XML: ${clip(m)}`);
  } finally {
    stream.destroy();
  }
}

function hasLongRun(s: string, max: number): boolean {
  for (const ch of ['<', '>']) {
    let prev = -1;
    for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) {
      if (i - prev - 1 > max) return true;
      prev = i;
    }
  }
  return false;
}

export async function drain(gen: AsyncGenerator<void>): Promise<void> {
  for await (const _ of gen) void _;
}

/** Shared strings, kept as UTF-8 in one growing buffer (outside the V8 heap) with an offset per string. */
export class SharedStrings {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Uint32Array(1024);
  count = 0;

  add(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.used + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    if (this.count + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[this.count] = this.used;
    this.used += this.buf.write(s, this.used);
    this.count++;
    this.offsets[this.count] = this.used;
  }

  get(i: number): string | null {
    if (!(i >= 0 && i < this.count)) return null;
    return this.buf.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }
}
