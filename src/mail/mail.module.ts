import { Module } from '@nestjs/common';
import { MailOutbox } from './mail-outbox.js';
import { MailRelay } from './mail-relay.service.js';

/** The API side: queueing messages in a caller's transaction. */
@Module({ providers: [MailOutbox], exports: [MailOutbox] })
export class MailModule {}

/** The worker side: the relay that sends them. */
@Module({ providers: [MailRelay] })
export class MailWorkerModule {}
