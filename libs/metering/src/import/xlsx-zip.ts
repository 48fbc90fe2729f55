import { Transform, type Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FileRejectedError } from './file-rejected-error';
import { formatBytes } from './parse-limits';

/**
 * An XLSX's zip, read from its central directory (yauzl): random access, so the parts are read in the
 * order the parser needs them (shared strings before the sheet: nothing is spooled to temp files), and
 * every size is known before a byte is inflated. A file cut short has no central directory and is
 * refused at once; an entry that inflates past its declared size is stopped there (yauzl's
 * validateEntrySizes); the sum of what is inflated is held to a byte budget.
 */
export class XlsxZip {
  private inflated = 0;

  private constructor(
    private readonly zip: ZipFile,
    readonly entries: ReadonlyMap<string, Entry>,
    private readonly budgetBytes: number,
  ) {}

  /** Opens a file (random access) or a buffer. Refuses a truncated or broken zip with its code. */
  static async open(source: { path: string } | { buffer: Buffer }, budgetBytes: number): Promise<XlsxZip> {
    const options = {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
      decodeStrings: true,
    };
    let zip: ZipFile;
    try {
      zip =
        'path' in source
          ? await yauzl.openPromise(source.path, options)
          : await yauzl.fromBufferPromise(source.buffer, options);
    } catch (e) {
      throw zipError(e as Error);
    }
    const entries = new Map<string, Entry>();
    try {
      if (zip.entryCount > 100_000)
        throw new FileRejectedError(
          'CORRUPT_FILE',
          `the XLSX zip lists ${zip.entryCount} entries: it is not a workbook a spreadsheet wrote`,
        );
      for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/^\/+/, ''), entry);
    } catch (e) {
      zip.close();
      throw e instanceof FileRejectedError ? e : zipError(e as Error);
    }
    return new XlsxZip(zip, entries, budgetBytes);
  }

  /** The entry of a part name, exactly or ignoring case (some writers differ in case from their rels). */
  find(name: string): Entry | undefined {
    const n = name.replace(/^\/+/, '');
    const exact = this.entries.get(n);
    if (exact) return exact;
    const lower = n.toLowerCase();
    for (const [k, e] of this.entries) if (k.toLowerCase() === lower) return e;
    return undefined;
  }

  /** Refuses up front when the parts to be read declare more than the budget. */
  checkDeclared(parts: { label: string; entry: Entry }[]): void {
    const total = parts.reduce((s, p) => s + p.entry.uncompressedSize, 0);
    if (total > this.budgetBytes) {
      const what = parts
        .filter((p) => p.entry.uncompressedSize > 0)
        .map((p) => `${p.label} ${formatBytes(p.entry.uncompressedSize)}`)
        .join(', ');
      throw new FileRejectedError(
        'TOO_LARGE_UNCOMPRESSED',
        `the workbook expands to ${formatBytes(total)} (${what}, as its zip directory declares), over the limit of ${formatBytes(this.budgetBytes)} (HALVE_IMPORT_MAX_UNCOMPRESSED): split it into smaller files or upload CSV`,
        { limitBytes: this.budgetBytes, declaredBytes: total },
      );
    }
  }

  /** The inflated bytes of one part, as a stream held to the budget (what is left of it) and to its declared size. */
  async stream(entry: Entry): Promise<Readable> {
    if (entry.isEncrypted())
      throw new FileRejectedError(
        'CORRUPT_FILE',
        `the workbook is encrypted (${entry.fileName}): save it without a password and upload again`,
      );
    let raw: Readable;
    try {
      raw = await this.zip.openReadStreamPromise(entry);
    } catch (e) {
      throw zipError(e as Error, entry.fileName);
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the Transform's own `this` is the stream
    const self = this;
    const budget = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        self.inflated += chunk.length;
        if (self.inflated > self.budgetBytes) {
          cb(
            new FileRejectedError(
              'TOO_LARGE_UNCOMPRESSED',
              `the workbook expanded past the limit of ${formatBytes(self.budgetBytes)} (HALVE_IMPORT_MAX_UNCOMPRESSED) while reading ${entry.fileName}: split it into smaller files or upload CSV`,
              { limitBytes: self.budgetBytes, actualBytesAtLeast: self.inflated },
            ),
          );
          return;
        }
        cb(null, chunk);
      },
    });
    raw.on('error', (err) =>
      budget.destroy(err instanceof FileRejectedError ? err : zipError(err, entry.fileName)),
    );
    budget.on('close', () => (raw as Readable & { destroy(): void }).destroy());
    return raw.pipe(budget);
  }

  close(): void {
    this.zip.close();
  }
}

/** A yauzl or zlib error → the refusal a user can act on. */
export function zipError(e: Error, part?: string): FileRejectedError {
  const m = e.message ?? String(e);
  const where = part ? ` (in ${part})` : '';
  if (
    /end of central directory record signature not found|unexpected end of file|unexpected EOF|file data overflows file bounds/i.test(
      m,
    )
  ) {
    return new FileRejectedError(
      'TRUNCATED_FILE',
      `the XLSX file is incomplete${where}: it ends before its zip directory or data ends (${m}); the upload or the export was cut short — export it again`,
    );
  }
  if (/too many bytes in the stream/i.test(m)) {
    return new FileRejectedError(
      'CORRUPT_FILE',
      `the XLSX file is inconsistent${where}: a part expands beyond the size its zip directory declares (${m})`,
    );
  }
  return new FileRejectedError(
    'CORRUPT_FILE',
    `the file starts like a zip/XLSX file but could not be read as one${where}: ${m}`,
  );
}
