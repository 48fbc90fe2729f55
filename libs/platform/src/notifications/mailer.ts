import { Inject, Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** A pluggable e-mail sender. The default logs the message (development); production binds a real one to MAILER. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const MAILER = Symbol('MAILER');

/**
 * The development mailer: logs each message (with its text, where the links and tokens are) and appends it
 * as one JSON line to `<data dir>/mail/outbox.jsonl` (a file data dir only), which a developer or a test
 * started as another process reads. In-process tests read `sent`.
 */
@Injectable()
export class LogMailer implements Mailer {
  private readonly logger = new Logger('Mailer');
  readonly sent: MailMessage[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The outbox file, or null when the data dir is in memory. */
  get outboxFile(): string | null {
    return this.config.dataDir.startsWith('memory://')
      ? null
      : join(this.config.dataDir, 'mail', 'outbox.jsonl');
  }

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
    if (this.sent.length > 1000) this.sent.shift();
    this.logger.log(`e-mail to ${message.to}: ${message.subject}\n${message.text}`);
    const file = this.outboxFile;
    if (file) {
      await mkdir(join(this.config.dataDir, 'mail'), { recursive: true });
      await appendFile(file, `${JSON.stringify({ ...message, at: new Date().toISOString() })}\n`, {
        mode: 0o600,
      });
    }
  }
}
