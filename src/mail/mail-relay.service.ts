import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { mailEnv } from './mail.env.js';
import { OutboundEmail } from './outbound-email.entity.js';

const BATCH = 20;
/** nodemailer (~4 MB of heap) is loaded when the first message is sent, not by every api at start (issue 36). */
const loadNodemailer = () => createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');

/**
 * Sends the outbox's due messages over SMTP (nodemailer). A row is locked (FOR UPDATE SKIP LOCKED)
 * while it is sent and marked sent in the same transaction, so replicas never send one twice;
 * only a crash between the server's acceptance and our commit sends it again, with the same
 * Message-ID (<id@leoma>) so mail clients show it once. Failures retry with backoff.
 */
@Injectable()
export class MailRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailRelay.name);
  private transport?: Transporter;
  private warned = false;
  private readonly loop = new PollLoop({
    name: 'mail relay',
    run: () => this.tick(),
    next: (sent) => (sent === BATCH ? 0 : mailEnv.get().MAIL_RELAY_INTERVAL_MS),
    afterError: () => mailEnv.get().MAIL_RELAY_INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.transport?.close();
  }

  /** One pass; returns how many messages it handled. */
  async tick(): Promise<number> {
    const transport = this.transporter();
    if (!transport) return 0;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .getRepository(OutboundEmail)
        .createQueryBuilder('m')
        .where("m.status = 'pending' and m.next_attempt_at <= now()")
        .orderBy('m.next_attempt_at')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const row of rows) {
        try {
          await transport.sendMail({
            from: mailEnv.get().MAIL_FROM,
            to: row.toAddress,
            subject: row.subject,
            text: row.textBody,
            html: row.htmlBody,
            messageId: `<${row.id}@leoma>`,
          });
          await tx.update(
            OutboundEmail,
            { id: row.id },
            { status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, textBody: '', htmlBody: '', lastError: null },
          );
        } catch (e) {
          const attempts = row.attempts + 1;
          const failed = attempts >= mailEnv.get().MAIL_MAX_ATTEMPTS;
          this.logger.warn(`mail ${row.id} not sent (attempt ${attempts}): ${(e as Error).message}`);
          await tx.update(
            OutboundEmail,
            { id: row.id },
            {
              attempts,
              status: failed ? 'failed' : 'pending',
              lastError: (e as Error).message.slice(0, 500),
              nextAttemptAt: new Date(Date.now() + Math.min(3_600_000, 2 ** attempts * 1000)),
              ...(failed ? { textBody: '', htmlBody: '' } : {}),
            },
          );
        }
      }
      return rows.length;
    });
  }

  private transporter(): Transporter | undefined {
    const env = mailEnv.get();
    if (!env.SMTP_HOST) {
      if (!this.warned) this.logger.warn('SMTP_HOST is not set: outbound mail waits in the outbox');
      this.warned = true;
      return undefined;
    }
    return (this.transport ??= loadNodemailer().createTransport({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD ?? '' } : undefined,
      // A loopback dev server has no certificate; anything else must present a valid one.
      tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(env.SMTP_HOST) },
    }));
  }
}
