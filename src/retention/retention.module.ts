import { Module } from '@nestjs/common';
import { PURGE_CLOCK, RetentionPurge } from './retention-purge.service.js';

/** The worker's purge of idempotency keys, events and webhook deliveries past their windows. */
@Module({
  providers: [RetentionPurge, { provide: PURGE_CLOCK, useValue: () => new Date() }],
})
export class RetentionWorkerModule {}
