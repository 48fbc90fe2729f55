import { from as copyFrom } from 'pg-copy-streams';
import { Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';

export type CopyClient = { query: (s: unknown) => Writable };

/** The transaction's `pg` client when on a PostgreSQL server (COPY FROM STDIN), else null (the embedded database). */
export function pgClient(em: EntityManager): CopyClient | null {
  const client = (em.queryRunner as unknown as { databaseConnection?: CopyClient } | undefined)
    ?.databaseConnection;
  return client && typeof (client as { escapeLiteral?: unknown }).escapeLiteral === 'function'
    ? client
    : null;
}

/** A COPY FROM STDIN on a pg client, written with backpressure; `end` resolves when the server has the rows. */
export function openCopy(
  client: CopyClient,
  sql: string,
): { send(buf: Uint8Array): Promise<void>; end(last: Uint8Array | null): Promise<void> } {
  const stream = client.query(copyFrom(sql)) as Writable;
  let failed: Error | null = null;
  stream.on('error', (err: Error) => (failed = err));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  done.catch(() => undefined);
  return {
    async send(buf) {
      if (failed) throw failed;
      if (stream.write(asBuffer(buf))) return;
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => {
          stream.off('drain', onDrain);
          reject(err);
        };
        const onDrain = () => {
          stream.off('error', onError);
          resolve();
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    async end(last) {
      if (failed) throw failed;
      if (last) stream.end(asBuffer(last));
      else stream.end();
      await done;
    },
  };
}

const asBuffer = (u8: Uint8Array): Buffer =>
  Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
