import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { VideosWorkerModule } from '../videos/videos-worker.module.js';
import { WebhooksWorkerModule } from '../webhooks/webhooks-worker.module.js';
import { MinersWorkerModule } from '../miners/miners.module.js';

/** The `worker` role: BullMQ processors only, no HTTP. */
@Module({
  imports: [DatabaseModule, StorageModule, VideosWorkerModule, MinersWorkerModule, WebhooksWorkerModule],
})
export class WorkerModule {}
