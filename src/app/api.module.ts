import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DatabaseModule } from '../database/database.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminModule } from '../admin/admin.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { FilesModule } from '../files/files.module.js';
import { VideosModule } from '../videos/videos.module.js';
import { HealthModule } from '../health/health.module.js';
import { BackendsModule } from '../backends/backends.module.js';
import { MinersModule } from '../miners/miners.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AccountModule } from '../account/account.module.js';
import { ModelsApiModule } from '../models/models.module.js';
import { ProblemFilter } from '../common/problem.filter.js';
import { apiValidationPipe } from '../common/validation.js';
import { EdgeInputInterceptor } from '../common/edge-input.interceptor.js';

/** The `api` role: HTTP only; it enqueues work and never waits on a GPU. */
@Module({
  imports: [DatabaseModule, StorageModule, QueueModule, AuthModule, TenantsModule, AdminModule, IdempotencyModule, FilesModule, VideosModule, HealthModule, AccountModule, BackendsModule, MinersModule, ModelsApiModule, WebhooksModule],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useFactory: apiValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: EdgeInputInterceptor },
  ],
})
export class ApiModule {}
