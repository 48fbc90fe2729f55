import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { withDeadline } from '../errors/unavailable';
import { JobFailedError } from './job-view';

interface DailyTask {
  /** UTC hour it runs at; null = off (and removed from Redis). */
  hourUtc: number | null;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  nextRunAt?: Date;
}

/** The next instant at `hourUtc`:00 UTC strictly after `nowMs`. */
export function nextDailyRunMs(nowMs: number, hourUtc: number): number {
  const day = 86_400_000;
  const today = Math.floor(nowMs / day) * day + hourUtc * 3_600_000;
  return today > nowMs ? today : today + day;
}

/**
 * JobsService's tasks run once a day at an UTC hour: with a queue, BullMQ job schedulers (one
 * repeatable job however many processes register it; turned off, removed); without, a timer here.
 */
export class DailyTasks {
  private readonly tasks = new Map<string, DailyTask>();
  private started = false;
  /** The tasks registered before start, being applied (not awaited at start: Redis may be down). */
  private applied: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly redisTimeoutMs: number,
    private readonly queue: () => Queue | undefined,
    private readonly stopped: () => boolean,
  ) {}

  get size(): number {
    return this.tasks.size;
  }

  /** Applies the tasks registered so far (at bootstrap, once the queue is connected). */
  start(): void {
    this.started = true;
    this.applied = Promise.all(
      [...this.tasks.keys()].map((name) =>
        this.apply(name).catch((err: Error) =>
          this.logger.error(`daily ${name}: not scheduled: ${err.message}`),
        ),
      ),
    );
  }

  /** Applies every task again (Redis may have been emptied); errors are left to the next time. */
  async reapply(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((n) => this.apply(n).catch(() => undefined)));
  }

  async schedule(name: string, hourUtc: number | null, run: () => Promise<unknown>): Promise<void> {
    const previous = this.tasks.get(name);
    if (previous?.timer) clearTimeout(previous.timer);
    this.tasks.set(name, { hourUtc, run });
    if (this.started) await this.apply(name);
  }

  async nextRun(
    name: string,
  ): Promise<{ mode: 'bullmq' | 'in-process'; pattern?: string; nextRunAt: Date | null }> {
    await this.applied;
    const queue = this.queue();
    if (queue) {
      const scheduler = await withDeadline(
        queue.getJobScheduler(name),
        this.redisTimeoutMs,
        'queue',
        'Redis (reading the daily schedule)',
      );
      return {
        mode: 'bullmq',
        pattern: scheduler?.pattern,
        nextRunAt: scheduler?.next ? new Date(scheduler.next) : null,
      };
    }
    return { mode: 'in-process', nextRunAt: this.tasks.get(name)?.nextRunAt ?? null };
  }

  private async apply(name: string): Promise<void> {
    const task = this.tasks.get(name)!;
    const queue = this.queue();
    if (queue) {
      if (task.hourUtc === null) {
        await withDeadline(
          queue.removeJobScheduler(name),
          this.redisTimeoutMs,
          'queue',
          'Redis (removing a daily schedule)',
        );
        return;
      }
      await withDeadline(
        queue.upsertJobScheduler(
          name,
          { pattern: `0 ${task.hourUtc} * * *`, tz: 'UTC' },
          { name, data: { daily: name }, opts: { removeOnComplete: 30, removeOnFail: 30 } },
        ),
        this.redisTimeoutMs,
        'queue',
        'Redis (scheduling a daily task)',
      );
      return;
    }
    if (task.hourUtc !== null && !this.stopped()) this.arm(name, task);
  }

  private arm(name: string, task: DailyTask): void {
    const next = nextDailyRunMs(Date.now(), task.hourUtc!);
    task.nextRunAt = new Date(next);
    task.timer = setTimeout(() => {
      task.timer = undefined;
      void this.run(name)
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped() && this.tasks.get(name) === task) this.arm(name, task);
        });
    }, next - Date.now());
    // A daily timer never keeps the process alive on its own.
    task.timer.unref();
  }

  /** Runs a task now (its timer, its BullMQ job, or a caller that wants it at once). */
  async run(name: string): Promise<unknown> {
    const task = this.tasks.get(name);
    if (!task) throw new JobFailedError(`No daily task "${name}" in this process`);
    try {
      return await task.run();
    } catch (err) {
      this.logger.error(`daily ${name}: ${(err as Error).message}`);
      throw err;
    }
  }

  stop(): void {
    for (const task of this.tasks.values()) if (task.timer) clearTimeout(task.timer);
  }
}
