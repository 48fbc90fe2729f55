import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { findRepoPath, type AppConfig } from '@halve/platform';
import { FileRejectedError } from './import/file-rejected-error';
import type { ParseLimits } from './import/parse-limits';
import { XlsxZip } from './import/xlsx-zip';
import { ParseJob, ParseMessage, parseJobMessages } from './parse-job';
import { UnitConversionError } from './units/units';

/** Heap limits of a parse worker: the streaming parser's live set is a few MB; V8 keeps its heap near it. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64 };

interface WorkerError {
  name?: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
  fromUnit?: string;
  toUnit?: string;
}

function rebuildError(e: WorkerError): Error {
  if (e.name === 'FileRejectedError')
    return new FileRejectedError(e.code as FileRejectedError['code'], e.message, e.details ?? {});
  if (e.name === 'UnitConversionError')
    return new UnitConversionError(e.message, e.fromUnit ?? '', e.toUnit ?? '');
  return Object.assign(new Error(e.message), { name: e.name ?? 'Error' });
}

function startWorker(job: ParseJob): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `parse-worker${ext}`);
  if (ext === '.ts') {
    // running from the TypeScript sources (tests, scripts): compile the worker's modules on load
    const register = findRepoPath(join('scripts', 'swc-register.js'));
    if (!register)
      throw new Error('scripts/swc-register.js is needed to run the parse worker from TypeScript sources');
    return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData: job,
      resourceLimits: WORKER_LIMITS,
    });
  }
  return new Worker(entry, { workerData: job, resourceLimits: WORKER_LIMITS });
}

/**
 * Runs a parse job in a worker thread (so the API thread neither parses nor collects the parser's
 * garbage, and its heap is bounded) or, for small files, in this thread. The messages are the same
 * either way; a worker gets an acknowledgement for each chunk once the caller has consumed it.
 * `signal` (the job's: time limit, lost lease, shutdown) stops the parse: the worker thread is
 * terminated at once and the generator throws the signal's reason.
 */
export async function* runParseJob(
  job: ParseJob,
  options: { worker: boolean; signal?: AbortSignal },
): AsyncGenerator<ParseMessage> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (!options.worker) {
    yield* parseJobMessages(job, signal);
    return;
  }
  const worker = startWorker(job);
  const queue: ParseMessage[] = [];
  let failure: Error | null = null;
  let finished = false;
  let notify: (() => void) | null = null;
  const wake = () => {
    const n = notify;
    notify = null;
    n?.();
  };
  const onAbort = () => {
    failure ??= abortReason(signal!);
    // stop the parse now, not at its next message
    void worker.terminate();
    wake();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  worker.on('message', (m: ParseMessage | { t: 'error'; error: WorkerError }) => {
    if (m.t === 'error') failure ??= rebuildError(m.error);
    else queue.push(m);
    wake();
  });
  worker.on('error', (err) => {
    failure ??= new Error(`the import's parse worker failed: ${err.message}`);
    wake();
  });
  worker.on('exit', (code) => {
    if (!finished)
      failure ??= new Error(
        `the import's parse worker stopped (exit code ${code}) before the end of the file`,
      );
    wake();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (notify = resolve));
      // an abort wins over messages still queued
      if (signal?.aborted) throw failure ?? abortReason(signal);
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.t === 'done') {
        finished = true;
        yield m;
        return;
      }
      yield m;
      worker.postMessage('ack');
    }
  } finally {
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(`the import's parse was stopped: ${String(r ?? 'aborted')}`);
}

/** The parse bounds a process runs imports with (HALVE_IMPORT_MAX_*). */
export function importParseLimits(
  config: Pick<
    AppConfig,
    'importMaxUncompressedBytes' | 'importMaxCells' | 'importMaxLineChars' | 'importMaxXmlBytes'
  >,
): ParseLimits {
  return {
    maxUncompressedBytes: config.importMaxUncompressedBytes,
    maxCells: config.importMaxCells,
    maxLineChars: config.importMaxLineChars,
    maxXmlBytes: config.importMaxXmlBytes,
  };
}

/**
 * What an XLSX file's zip directory says its parts expand to (bytes, all entries), or null when the file
 * is not a readable zip. For the worker-or-inline choice: a small workbook can expand to far more XML
 * than its size suggests, and its parse belongs in the worker then.
 */
export async function xlsxDeclaredBytes(file: string): Promise<number | null> {
  try {
    const zip = await XlsxZip.open({ path: file }, Number.MAX_SAFE_INTEGER);
    try {
      let total = 0;
      for (const e of zip.entries.values()) total += e.uncompressedSize;
      return total;
    } finally {
      zip.close();
    }
  } catch {
    return null;
  }
}
