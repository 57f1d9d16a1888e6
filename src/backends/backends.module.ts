import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GpuBackend } from './gpu-backend.entity.js';
import { BackendsRedis } from './redis-client.js';
import { BackendPool } from './backend-pool.service.js';
import { ConcurrencySlots } from './concurrency-slots.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { HealthChecker } from './backend-health.js';
import { HealthStore } from './health-store.js';
import { CandidatePicker } from './candidate-picker.js';
import { Dispatcher } from './dispatcher.service.js';
import { BackendsAdminService } from './backends-admin.service.js';
import { AdminBackendsController } from './admin-backends.controller.js';
import { ModelRankingModule } from '../miners/index.js';
import { BackendGauges } from './backend-metrics.js';
import { AuditModule } from '../audit/index.js';
import { BackendFleet } from './backend-fleet.service.js';

const shared = [BackendsRedis, BackendPool, ConcurrencySlots, CircuitBreaker, HealthStore, BackendGauges];

/** The `api` side of the pool: the operators' routing table. */
@Module({
  imports: [TypeOrmModule.forFeature([GpuBackend]), ModelRankingModule, AuditModule],
  controllers: [AdminBackendsController],
  providers: [...shared, BackendsAdminService],
})
export class BackendsModule {}

/** The `worker` side: dispatch and the scheduled health checks. */
@Module({
  imports: [TypeOrmModule.forFeature([GpuBackend]), ModelRankingModule],
  providers: [...shared, CandidatePicker, Dispatcher, HealthChecker],
  exports: [Dispatcher],
})
export class BackendsWorkerModule {}

/** What the rollout reads of the pool: each backend's health and in-flight calls. */
@Module({
  imports: [TypeOrmModule.forFeature([GpuBackend])],
  providers: [...shared, BackendFleet],
  exports: [BackendFleet],
})
export class BackendFleetModule {}
