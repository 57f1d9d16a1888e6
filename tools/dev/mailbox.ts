import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Raw header lines, to check nothing extra got in. */
  headerLines: readonly { key: string; line: string }[];
}

export interface Mailbox {
  host: '127.0.0.1';
  port: number;
  messages: ReceivedMail[];
  /** Resolves with the first message (already here or still to come) that matches. */
  waitFor(match: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/**
 * A local SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it receives, so
 * development and tests send real mail over SMTP with no setup. No TLS and any credentials: it
 * listens on loopback only.
 */
export async function startMailbox(opts: { port?: number; onMessage?: (m: ReceivedMail) => void } = {}): Promise<Mailbox> {
  const messages: ReceivedMail[] = [];
  const waiters: { match: (m: ReceivedMail) => boolean; done: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            headerLines: parsed.headerLines,
          };
          messages.push(mail);
          opts.onMessage?.(mail);
          for (const w of waiters.filter((x) => x.match(mail))) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done(mail);
          }
          callback();
        },
        (e: Error) => callback(e),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    waitFor(match, timeoutMs = 30_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching mail arrived')), timeoutMs);
        waiters.push({
          match,
          done: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the first link in a message's text. */
export const linkToken = (mail: ReceivedMail): string => {
  const m = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!m) throw new Error(`no link in mail '${mail.subject}'`);
  return m[1]!;
};
