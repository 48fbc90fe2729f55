import { BadInputError } from '@halve/platform';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffHead } from './import/byte-source';

/** The names of the files in `dir` last written before `cutoffMs` (none when the folder is missing). */
export async function filesOlderThan(dir: string, cutoffMs: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names) {
    const st = await stat(join(dir, name)).catch(() => null);
    if (st?.isFile() && st.mtimeMs < cutoffMs) out.push(name);
  }
  return out;
}

/**
 * Whether a file goes to the parse worker: large CSV/XLSX do; Green Button XML (parsed whole) stays in
 * this thread, and so does a file the sniffer refuses outright (the parser refuses it the same way).
 */
export async function streamsInWorker(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(8192), 0, 8192, 0);
    return sniffHead(buffer.subarray(0, bytesRead)).format !== 'green_button';
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The uploaded file of a multipart request, or a 400 naming the field when the request carried none. */
export function requireUpload<F>(file: F | undefined): F {
  if (!file)
    throw new BadInputError('Attach the file as the multipart field "file".', [
      { field: 'file', message: 'is required' },
    ]);
  return file;
}
