import { Injectable, Logger } from '@nestjs/common';

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

@Injectable()
export class LogMailer implements Mailer {
  private readonly logger = new Logger('Mailer');
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
    if (this.sent.length > 1000) this.sent.shift();
    this.logger.log(`e-mail to ${message.to}: ${message.subject}`);
  }
}
