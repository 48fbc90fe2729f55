import { Logger } from '@nestjs/common';

interface Loop {
  name: string;
  timer?: NodeJS.Timeout;
  busy: boolean;
  /** asked for again while it ran: runs once more at its end */
  again: boolean;
  first: boolean;
  fn: (first: boolean) => Promise<unknown>;
}

/** JobsService's periodic tasks (dispatch, reap, heartbeat): each never overlaps itself. */
export class Loops {
  private readonly loops: Loop[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly stopped: () => boolean,
  ) {}

  /** Runs `fn` every `everyMs` after its previous run ends; `immediate` runs it once at start. */
  add(name: string, everyMs: number, fn: (first: boolean) => Promise<unknown>, immediate = true): void {
    const entry: Loop = { name, busy: false, again: false, fn, first: true };
    this.loops.push(entry);
    const schedule = (delay: number) => {
      if (this.stopped()) return;
      entry.timer = setTimeout(() => void this.tick(name).finally(() => schedule(everyMs)), delay);
      entry.timer.unref();
    };
    schedule(immediate ? 0 : everyMs);
  }

  /** Runs a loop now; if it is running, once more when it ends. */
  async tick(name: string): Promise<void> {
    const entry = this.loops.find((l) => l.name === name);
    if (!entry || this.stopped()) return;
    if (entry.busy) {
      entry.again = true;
      return;
    }
    entry.busy = true;
    try {
      do {
        entry.again = false;
        const first = entry.first;
        entry.first = false;
        try {
          await entry.fn(first);
        } catch (err) {
          this.logger.warn(`${name}: ${(err as Error).message}`);
        }
      } while (entry.again && !this.stopped());
    } finally {
      entry.busy = false;
    }
  }

  stop(): void {
    for (const l of this.loops) clearTimeout(l.timer);
  }
}
