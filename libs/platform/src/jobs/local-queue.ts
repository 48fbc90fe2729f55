import { Logger } from '@nestjs/common';
import { DueJob, jobKey } from './job-rows';

/** JobsService's in-process queue (no Redis): jobs waiting to run here, in order, run `concurrency` at a time. */
export class LocalQueue {
  private readonly waiting: { tenantId: string; jobId: string }[] = [];
  private readonly keys = new Set<string>();
  private running = 0;
  /** Retries waiting for their backoff. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: () => number,
    private readonly run: (tenantId: string, id: string) => Promise<void>,
    private readonly logger: Logger,
    private readonly stopped: () => boolean,
  ) {}

  /** Queues the jobs not already waiting here nor running (`runningHere`); returns those it took. */
  offer(jobs: readonly DueJob[], runningHere: (key: string) => boolean): DueJob[] {
    const taken: DueJob[] = [];
    for (const job of jobs) {
      const key = jobKey(job.tenantId, job.id);
      if (this.keys.has(key) || runningHere(key)) continue;
      this.keys.add(key);
      this.waiting.push({ tenantId: job.tenantId, jobId: job.id });
      taken.push(job);
    }
    this.pump();
    return taken;
  }

  /** Runs `fn` after `delayMs` (a retry's backoff); the queue is not idle meanwhile. */
  after(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Resolves when nothing is queued, running or waiting to retry. */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private idle(): boolean {
    return this.running === 0 && this.waiting.length === 0 && this.timers.size === 0;
  }

  private pump(): void {
    while (!this.stopped() && this.running < this.concurrency() && this.waiting.length) {
      const next = this.waiting.shift()!;
      this.keys.delete(jobKey(next.tenantId, next.jobId));
      this.running++;
      void this.run(next.tenantId, next.jobId)
        .catch((err: Error) => this.logger.warn(`job ${next.jobId}: not run: ${err.message}`))
        .finally(() => {
          this.running--;
          this.pump();
          if (this.idle()) this.idleWaiters.splice(0).forEach((w) => w());
        });
    }
  }
}
