import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { JobRegistryModule } from '../queue/job-registry.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { VideosWorkerModule } from '../videos/videos-worker.module.js';
import { WebhooksWorkerModule } from '../webhooks/webhooks-worker.module.js';
import { BillingWorkerModule } from '../billing/billing-worker.module.js';
import { MinersWorkerModule } from '../miners/miners.module.js';

/** The `worker` role: BullMQ processors only, no HTTP. */
@Module({
  imports: [DatabaseModule, StorageModule, JobRegistryModule, VideosWorkerModule, MinersWorkerModule, WebhooksWorkerModule, BillingWorkerModule],
})
export class WorkerModule {}
