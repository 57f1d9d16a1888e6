import { Module } from '@nestjs/common';
import { VideoContentModule } from '../videos/index.js';
import { FilesModule } from '../files/index.js';
import { TenantsModule } from '../tenants/index.js';
import { AuditModule } from '../audit/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { AdminErasureController } from './admin-erasure.controller.js';
import { TenantErasure } from './tenant-erasure.service.js';
import { RetentionSweepJob } from './retention-sweep.job.js';
import { PURGE_CLOCK, RetentionPurge } from './retention-purge.service.js';

/** The api side: an operator's erasure of a tenant's content. */
@Module({
  imports: [VideoContentModule, FilesModule, TenantsModule, AuditModule],
  controllers: [AdminErasureController],
  providers: [TenantErasure],
})
export class RetentionModule {}

/**
 * The worker side: the purge of idempotency keys, events and webhook deliveries past their
 * windows, and the sweep of tenants' content past their plan's retention; both read "now" from
 * one injectable clock.
 */
@Module({
  imports: [VideoContentModule, FilesModule, QueueModule],
  providers: [RetentionPurge, RetentionSweepJob, { provide: PURGE_CLOCK, useValue: () => new Date() }],
  exports: [RetentionSweepJob],
})
export class RetentionWorkerModule {}
