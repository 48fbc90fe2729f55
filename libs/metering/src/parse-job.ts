import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import {
  EncoderTarget,
  HourRollups,
  MeterRange,
  ReadingChunk,
  ReadingEncoder,
  TallySummary,
} from './import-encoder';
import type { ImportOptions } from './import/import-types';
import type { ParseLimits } from './import/parse-limits';
import { parseMeterFile } from './import/parse-meter-file';
import { parseWideCsv, type WideImportOptions } from './import/parse-wide-csv';

/**
 * One import's parsing, as a stream of messages: encoded readings as they come, then the report's
 * counts, the meters' ranges and (first imports) the hour rollups. Database-free and Nest-free, so it
 * runs unchanged in a worker thread (large files: `parse-worker.ts`) or in the calling thread.
 */
export type ParseJob = (
  { kind: 'meter'; meterId: string; options: ImportOptions } | { kind: 'wide'; options: WideImportOptions }
) & {
  file: string;
  target: EncoderTarget;
  /** bounds on sizes, cells and line length (HALVE_IMPORT_MAX_*); defaults DEFAULT_PARSE_LIMITS */
  limits?: Partial<ParseLimits>;
};

export type ParseMessage =
  | { t: 'chunk'; chunk: ReadingChunk; bytesRead: number }
  | {
      t: 'done';
      tally: TallySummary;
      ranges: [string, MeterRange][];
      hours: HourRollups[];
      trailer: Uint8Array | null;
      bytesRead: number;
    };

export async function* parseJobMessages(job: ParseJob, signal?: AbortSignal): AsyncGenerator<ParseMessage> {
  signal?.throwIfAborted();
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytesRead += chunk.length;
      cb(null, chunk);
    },
  });
  // 64 KB reads (the fs default): the rows of one read die young, where 256 KB reads kept enough
  // of them alive across scavenges to promote them, and the worker spent a third of its time in GC
  const stream = createReadStream(job.file, { highWaterMark: 64 * 1024 });
  stream.on('error', (err) => counter.destroy(err));
  stream.pipe(counter);
  const encoder = new ReadingEncoder(job.target);
  // the file itself: an XLSX is read by random access from it (its zip directory first)
  const fileOptions = { filePath: job.file, limits: { ...job.options.limits, ...job.limits } };
  try {
    if (job.kind === 'meter') {
      for await (const batch of parseMeterFile(counter, { ...job.options, ...fileOptions })) {
        signal?.throwIfAborted();
        encoder.take(batch, job.meterId);
        for (const chunk of encoder.drainFull()) yield { t: 'chunk', chunk, bytesRead };
      }
    } else {
      for await (const batch of parseWideCsv(counter, { ...job.options, ...fileOptions })) {
        signal?.throwIfAborted();
        for (const part of batch) encoder.take(part.events, part.meterId);
        for (const chunk of encoder.drainFull()) yield { t: 'chunk', chunk, bytesRead };
      }
    }
    for (const chunk of encoder.drain()) yield { t: 'chunk', chunk, bytesRead };
  } finally {
    stream.destroy();
  }
  yield {
    t: 'done',
    tally: encoder.tally.summary(),
    ranges: [...encoder.ranges.entries()],
    hours: encoder.hourRollups(),
    trailer: encoder.trailer(),
    bytesRead,
  };
}

/** The buffers a message can hand over to another thread without a copy. */
export function transferables(msg: ParseMessage): ArrayBuffer[] {
  if (msg.t === 'chunk') {
    const c = msg.chunk;
    if (c.bytes) return [c.bytes.buffer as ArrayBuffer];
    if (c.columns)
      return [c.columns.meter, c.columns.ts, c.columns.value, c.columns.periodEnd, c.columns.quality].map(
        (a) => a.buffer as ArrayBuffer,
      );
    return [];
  }
  return msg.hours.flatMap((h) => [h.hourMs.buffer, h.sum.buffer, h.count.buffer] as ArrayBuffer[]);
}
