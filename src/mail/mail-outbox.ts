import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboundEmail } from './outbound-email.entity.js';
import { newId } from '../platform/http/ids.js';
import { DomainError } from '../platform/http/domain-error.js';

export interface Message {
  to: string;
  subject: string;
  text: string;
  html: string;
}

// Any control character in an address or subject could start a header of its own in the message.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Queues a message in the caller's transaction: it is sent if and only if the change that caused it commits. */
@Injectable()
export class MailOutbox {
  async enqueue(tx: EntityManager, message: Message): Promise<string> {
    if (CONTROL.test(message.to) || CONTROL.test(message.subject))
      throw new DomainError('email_invalid', 'The email address contains characters an address may not have.');
    const id = newId('email');
    await tx.insert(OutboundEmail, {
      id,
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
      lastError: null,
      sentAt: null,
    });
    return id;
  }
}
