import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';

/**
 * Test helper: hostile XLSX files built from real ones. A workbook's parts are read back (yauzl) and
 * written again as a plain zip, with a part replaced — e.g. a sheet that deflates from a few hundred KB
 * to 600 MB (a zip bomb), or one whose zip directory lies about its size.
 */
export interface ZipPart {
  name: string;
  /** raw-deflated bytes */
  compressed: Buffer;
  crc: number;
  size: number;
  /** the uncompressed size written in the headers, when it must lie */
  declaredSize?: number;
}

export function deflatedPart(name: string, data: Buffer | string): ZipPart {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, compressed: deflateRawSync(buf, { level: 9 }), crc: crc32(buf), size: buf.length };
}

/**
 * A part of `prefix` + `fillerBytes` spaces + `suffix`, deflated without ever holding the filler: one
 * megabyte of spaces is deflated once with a full flush (byte-aligned, no back-references) and its
 * blocks repeated, which is a valid deflate stream of the whole. 600 MB come out as ≈ 0.6 MB.
 */
export function bombPart(name: string, prefix: string, fillerBytes: number, suffix: string): ZipPart {
  const MB = 1 << 20;
  const mb = Buffer.alloc(MB, 0x20);
  const full = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const blocks: Buffer[] = [deflateRawSync(Buffer.from(prefix), full)];
  let crc = crc32(Buffer.from(prefix));
  const whole = Math.floor(fillerBytes / MB);
  const repeated = deflateRawSync(mb, full);
  for (let i = 0; i < whole; i++) {
    blocks.push(repeated);
    crc = crc32(mb, crc);
  }
  const rest = Buffer.alloc(fillerBytes - whole * MB, 0x20);
  if (rest.length) {
    blocks.push(deflateRawSync(rest, full));
    crc = crc32(rest, crc);
  }
  blocks.push(deflateRawSync(Buffer.from(suffix), { level: 9 }));
  crc = crc32(Buffer.from(suffix), crc);
  return { name, compressed: Buffer.concat(blocks), crc, size: prefix.length + fillerBytes + suffix.length };
}

/** A zip (deflate, 32-bit sizes) of the parts, in order. */
export function zipParts(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + p.compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of a real zip (e.g. a workbook exceljs wrote), re-deflated so they can be written again. */
export async function zipPartsOf(zip: Buffer): Promise<ZipPart[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out: ZipPart[] = [];
  for await (const entry of file.eachEntry()) {
    const raw = await file.openReadStreamPromise(entry, { decodeFileData: false });
    const chunks: Buffer[] = [];
    for await (const c of raw) chunks.push(c as Buffer);
    const stored = Buffer.concat(chunks);
    const data = entry.compressionMethod === 8 ? inflateRawSync(stored) : stored;
    out.push(deflatedPart(entry.fileName, data));
  }
  file.close();
  return out;
}

/** `parts` with the one named `name` replaced (it must exist). */
export function replacePart(parts: ZipPart[], name: string, part: ZipPart): ZipPart[] {
  const i = parts.findIndex((p) => p.name === name);
  if (i === -1) throw new Error(`no part ${name}; parts: ${parts.map((p) => p.name).join(', ')}`);
  return parts.map((p, j) => (j === i ? part : p));
}
