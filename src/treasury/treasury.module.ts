import { Module } from '@nestjs/common';
import { TreasuryGauges } from './treasury.metrics.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { ChainClient } from '../chain/index.js';
import { AllocationsService } from './allocations.service.js';
import { BurnExecutor } from './burn-executor.service.js';
import { BurnScheduler } from './burn-scheduler.service.js';
import { BurnStore } from './burn-store.js';
import { BurnVerifier } from './burn-verifier.service.js';
import { BurnsService } from './burns.service.js';
import { BurnChain } from './chain/burn-chain.js';
import { FundingsService } from './fundings.service.js';
import { PublicBurnsController } from './public-burns.controller.js';
import { treasuryEntities } from './treasury-entities.js';
import { TreasuryController } from './treasury.controller.js';
import { TreasuryReports } from './treasury-reports.service.js';

const core = [ChainClient, BurnChain, BurnStore, BurnExecutor, AllocationsService];

/** The api side: finance's API, the public burns and the page; POST /v1/treasury/burns runs a burn here. */
@Module({
  imports: [TypeOrmModule.forFeature(treasuryEntities), AuditModule],
  controllers: [TreasuryController, PublicBurnsController],
  providers: [...core, FundingsService, BurnsService, BurnVerifier, TreasuryReports],
})
export class TreasuryModule {}

/** The worker side: the scheduled burn job, which reconciles with the chain at start-up. */
@Module({
  imports: [TypeOrmModule.forFeature(treasuryEntities)],
  providers: [...core, BurnScheduler, TreasuryGauges],
})
export class TreasuryWorkerModule {}
