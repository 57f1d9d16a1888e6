import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DatabaseModule } from './database/database.module.js';
import { RedisModule } from '../platform/redis/redis.module.js';
import { StorageModule } from '../platform/storage/storage.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { OutboxModule } from '../platform/outbox/outbox.module.js';
import { ProblemFilter } from '../platform/http/problem.filter.js';
import { ErrorStatuses } from '../platform/http/error-catalogue.js';
import { apiValidationPipe } from '../platform/http/validation.js';
import { OperatorSpecController } from './operator-spec.controller.js';
import { ApiVersionInterceptor } from '../platform/http/api-version.interceptor.js';
import { EdgeInputInterceptor } from '../platform/http/edge-input.interceptor.js';
import { GlobalInterceptor } from './global.interceptor.js';
import { ReadBodyGuard } from '../platform/http/request-body.js';
import { ApiAuthGuard } from '../core/auth/auth.guard.js';
import { BearerAuthenticator } from '../core/auth/bearer-authenticator.js';
import { FailedAuthThrottle } from '../core/auth/failed-auth-throttle.js';
import { KeysModule } from '../keys/keys.module.js';
import { LimitsModule } from '../limits/limits.module.js';
import { RateLimitGuard } from '../limits/rate-limit.guard.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { OperatorsModule } from '../operators/index.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { FilesModule } from '../files/files.module.js';
import { VideosModule } from '../videos/videos.module.js';
import { HealthModule } from '../health/index.js';
import { BackendsModule } from '../backends/backends.module.js';
import { MinersModule } from '../miners/miners.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { DestinationsModule } from '../destinations/index.js';
import { AccountModule } from '../account/index.js';
import { ModelsApiModule } from '../model-capabilities/index.js';
import { BillingModule } from '../billing/billing.module.js';
import { PricingApiModule } from '../usage/pricing-api.module.js';
import { TreasuryModule } from '../treasury/index.js';
import { BatchesModule } from '../batches/index.js';
import { RetentionModule } from '../retention/index.js';
import { ContractsModule } from '../contracts/index.js';
import { statusOfCode } from './error-codes.js';
import { LifecycleModule } from '../platform/lifecycle/draining.js';
import { RolloutModule } from '../rollout/index.js';
import { PeopleModule } from '../people/index.js';

/** The `api` role: HTTP only; it enqueues work and never waits on a GPU. */
@Module({
  controllers: [OperatorSpecController],
  imports: [
    LifecycleModule,
    DatabaseModule,
    RedisModule.forRole('fail-fast'),
    StorageModule,
    QueueModule,
    OutboxModule,
    KeysModule,
    LimitsModule,
    TenantsModule,
    OperatorsModule,
    IdempotencyModule,
    FilesModule,
    VideosModule,
    HealthModule,
    AccountModule,
    BackendsModule,
    MinersModule,
    ModelsApiModule,
    WebhooksModule,
    DestinationsModule,
    BillingModule,
    TreasuryModule,
    BatchesModule,
    PricingApiModule,
    RetentionModule,
    RolloutModule,
    ContractsModule,
    PeopleModule,
  ],
  providers: [
    { provide: ErrorStatuses, useValue: { of: statusOfCode() } satisfies ErrorStatuses },
    { provide: APP_FILTER, useFactory: (statuses: ErrorStatuses) => new ProblemFilter((code) => statuses.of(code)), inject: [ErrorStatuses] },
    { provide: APP_PIPE, useFactory: apiValidationPipe },
    BearerAuthenticator,
    FailedAuthThrottle,
    // Order matters: who is calling first, then how fast they may call, and only then their body.
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ReadBodyGuard },
    // The edge checks, the API version, then idempotency: one interceptor that calls them in turn.
    EdgeInputInterceptor,
    ApiVersionInterceptor,
    { provide: APP_INTERCEPTOR, useClass: GlobalInterceptor },
  ],
})
export class ApiModule {}
