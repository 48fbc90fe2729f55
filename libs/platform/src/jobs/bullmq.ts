import { Logger } from '@nestjs/common';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUE_NAME } from './jobs.types';

/** What a delivery carries: a tenant's job row to run, or a daily task's name. */
export interface Delivery {
  tenantId: string;
  jobId: string;
  daily?: string;
}

/** The connection of the queue (enqueues, pings): fails fast while Redis is away (no offline queue), never waits long. */
export function queueConnection(
  url: string,
  commandTimeoutMs: number,
  on: { ready(): void; close(): void },
): IORedis {
  const connection = new IORedis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: commandTimeoutMs,
  });
  connection.on('ready', on.ready);
  connection.on('close', on.close);
  connection.on('error', () => undefined);
  return connection;
}

/**
 * The BullMQ worker of a process that processes jobs, on a connection of its own (its blocking
 * reads need maxRetriesPerRequest: null; it reconnects by itself). Its failed and stalled reports
 * are counted in `events` and logged: the job's row and lease decide what happens next.
 */
export function queueWorker(
  url: string,
  settings: { prefix: string; concurrency: number },
  deliver: (data: Delivery) => Promise<unknown>,
  logger: Logger,
  events: { failed: number; stalled: number },
): { worker: Worker; connection: IORedis } {
  const connection = new IORedis(url, { maxRetriesPerRequest: null, connectTimeout: 2000 });
  connection.on('error', () => undefined);
  const worker = new Worker(QUEUE_NAME, async (job) => deliver(job.data as Delivery), {
    connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
  });
  worker.on('error', (err) => logger.error(`worker: ${err.message}`));
  worker.on('failed', (job, err) => {
    events.failed++;
    logger.warn(
      `delivery ${job?.id ?? '?'} failed in BullMQ: ${err.message} (the job's row and lease decide what happens next)`,
    );
  });
  worker.on('stalled', (id) => {
    events.stalled++;
    logger.warn(
      `delivery ${id} stalled in BullMQ (its process stopped?); the job's lease decides what happens next`,
    );
  });
  return { worker, connection };
}
