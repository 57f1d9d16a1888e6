import { Module } from '@nestjs/common';
import { DatabaseModule } from './database/database.module.js';
import { RedisModule } from '../platform/redis/redis.module.js';
import { JobRegistryModule } from '../platform/queue/job-registry.module.js';
import { StorageModule } from '../platform/storage/storage.module.js';
import { OutboxModule } from '../platform/outbox/outbox.module.js';
import { VideosWorkerModule } from '../videos/videos-worker.module.js';
import { WebhooksWorkerModule } from '../webhooks/webhooks-worker.module.js';
import { DestinationsWorkerModule } from '../destinations/index.js';
import { BillingWorkerModule } from '../billing/billing-worker.module.js';
import { MinersWorkerModule } from '../miners/miners.module.js';
import { TreasuryWorkerModule } from '../treasury/index.js';
import { BatchesWorkerModule } from '../batches/index.js';
import { LifecycleModule } from '../platform/lifecycle/draining.js';
import { RetentionWorkerModule } from '../retention/index.js';
import { RolloutWorkerModule } from '../rollout/index.js';
import { ContractsWorkerModule } from '../contracts/index.js';
import { MailWorkerModule } from '../mail/index.js';

/** The `worker` role: BullMQ processors only, no HTTP. */
@Module({
  imports: [
    LifecycleModule,
    DatabaseModule,
    RedisModule.forRole('wait'),
    StorageModule,
    JobRegistryModule,
    OutboxModule,
    VideosWorkerModule,
    MinersWorkerModule,
    WebhooksWorkerModule,
    DestinationsWorkerModule,
    BillingWorkerModule,
    TreasuryWorkerModule,
    RetentionWorkerModule,
    BatchesWorkerModule,
    RolloutWorkerModule,
    ContractsWorkerModule,
    MailWorkerModule,
  ],
})
export class WorkerModule {}
