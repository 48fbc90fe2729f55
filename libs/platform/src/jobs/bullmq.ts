import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { withDeadline } from '../errors/unavailable';
import { DueJob } from './job-rows';
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

/**
 * Adds one delivery per job (per attempt: BullMQ drops a duplicate while it still holds one), in
 * order, each within `timeoutMs`; stops at the first failure. Returns the jobs handed over and why
 * the rest were not.
 */
export async function addDeliveries(
  queue: Queue,
  jobs: readonly DueJob[],
  delayMs: number,
  timeoutMs: number,
): Promise<{ delivered: DueJob[]; failure?: string }> {
  const delivered: DueJob[] = [];
  for (const job of jobs) {
    try {
      const options = {
        jobId: `${job.tenantId}.${job.id}.${job.attempts + 1}`,
        attempts: 1,
        delay: delayMs || undefined,
        removeOnComplete: true,
        removeOnFail: true,
      };
      await withDeadline(
        queue.add(job.type, { tenantId: job.tenantId, jobId: job.id }, options),
        timeoutMs,
        'queue',
        'Redis (adding a job)',
      );
      delivered.push(job);
    } catch (err) {
      return { delivered, failure: (err as Error).message };
    }
  }
  return { delivered };
}

/** Whether Redis answers a PING within `timeoutMs`, and if not why. */
export async function pingQueue(
  connection: IORedis,
  timeoutMs: number,
): Promise<{ status: 'up' | 'down'; detail?: string }> {
  try {
    await withDeadline(connection.ping(), timeoutMs, 'queue', 'Redis (PING)');
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', detail: `Redis: ${(err as Error).message}` };
  }
}
