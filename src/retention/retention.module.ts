import { Module } from '@nestjs/common';
import { VideoContentModule } from '../videos/index.js';
import { FilesModule } from '../files/index.js';
import { TenantsModule } from '../tenants/index.js';
import { AuditModule } from '../audit/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { AdminErasureController } from './admin-erasure.controller.js';
import { TenantErasure } from './tenant-erasure.service.js';
import { RetentionSweepJob } from './retention-sweep.job.js';
import { Clock, systemClock } from './clock.js';

/** The api side: an operator's erasure of a tenant's content. */
@Module({
  imports: [VideoContentModule, FilesModule, TenantsModule, AuditModule],
  controllers: [AdminErasureController],
  providers: [TenantErasure],
})
export class RetentionModule {}

/** The worker side: the scheduled retention sweep. */
@Module({
  imports: [VideoContentModule, FilesModule, QueueModule],
  providers: [RetentionSweepJob, { provide: Clock, useValue: systemClock }],
  exports: [RetentionSweepJob],
})
export class RetentionWorkerModule {}
