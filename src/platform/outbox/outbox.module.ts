import { Global, Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox.js';

/** One outbox per process, for every module that records events and every consumer of them. */
@Global()
@Module({
  providers: [EventOutbox],
  exports: [EventOutbox],
})
export class OutboxModule {}
