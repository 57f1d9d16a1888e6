import { Module } from '@nestjs/common';
import { TreasuryGauges } from './treasury.metrics.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { ChainModule } from '../chain/index.js';
import { AllocationsService } from './allocations.service.js';
import { BurnPolicies } from './burn-policies.service.js';
import { AllocationSweeper } from './allocation-sweeper.service.js';
import { BurnExecutor } from './burn-executor.service.js';
import { BurnScheduler } from './burn-scheduler.service.js';
import { BurnRunQueue } from './burn-run-queue.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { RunBurnsJob } from './run-burns.job.js';
import { TreasuryKey } from './treasury-key.service.js';
import { TreasuryProcessor } from './treasury.processor.js';
import { BurnStore } from './burn-store.js';
import { BurnVerifier } from './burn-verifier.service.js';
import { BurnsService } from './burns.service.js';
import { BurnChain } from './chain/burn-chain.js';
import { FundingsService } from './fundings.service.js';
import { FundingTransfers } from './funding-transfer.js';
import { PublicBurnsController } from './public-burns.controller.js';
import { treasuryEntities } from './treasury-entities.js';
import { TreasuryController } from './treasury.controller.js';
import { TreasuryCloseController } from './treasury-close.controller.js';
import { InvoiceProofsController } from './invoice-proofs.controller.js';
import { InvoiceProofs } from './invoice-proofs.service.js';
import { PeriodClose } from './period-close.service.js';
import { TreasuryReports } from './treasury-reports.service.js';

const core = [BurnChain, BurnStore, AllocationsService, BurnPolicies];

/**
 * The api side: finance's API, the public burns and the page. It never signs and never reads the
 * signing secret: POST /v1/treasury/burns queues a run for a worker.
 */
@Module({
  imports: [TypeOrmModule.forFeature(treasuryEntities), ChainModule, AuditModule, QueueModule],
  controllers: [TreasuryController, PublicBurnsController, TreasuryCloseController, InvoiceProofsController],
  providers: [...core, FundingsService, FundingTransfers, BurnsService, BurnVerifier, TreasuryReports, BurnRunQueue, PeriodClose, InvoiceProofs],
})
export class TreasuryModule {}

/** The worker side, with the signing key: burn runs (scheduled, and queued by the API), reconciling with the chain at start-up; the allocation sweep. */
@Module({
  imports: [TypeOrmModule.forFeature(treasuryEntities), ChainModule, AuditModule, QueueModule],
  providers: [...core, AllocationSweeper, TreasuryKey, BurnExecutor, BurnScheduler, RunBurnsJob, TreasuryProcessor, TreasuryGauges],
})
export class TreasuryWorkerModule {}
