import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChainModule } from '../chain/index.js';
import { MinerSnapshot } from './miner-snapshot.entity.js';
import { ModelRanking } from './model-ranking.service.js';
import { MinerDirectory } from './miner-directory.service.js';
import { AdminMinersController, ModelsController } from './miners.controller.js';
import { ModelCapabilitiesModule } from '../model-capabilities/index.js';
import { KingReading } from './king-reading.entity.js';
import { KingReader } from './king-reader.service.js';

/** The ranking as dispatch and the API read it. */
@Module({
  imports: [TypeOrmModule.forFeature([MinerSnapshot, KingReading])],
  providers: [ModelRanking],
  exports: [ModelRanking],
})
export class ModelRankingModule {}

@Module({ imports: [ModelRankingModule, ModelCapabilitiesModule], controllers: [AdminMinersController, ModelsController] })
export class MinersModule {}

/** The worker side: reads the chain every tempo and the validators' dashboards. */
@Module({
  imports: [TypeOrmModule.forFeature([MinerSnapshot, KingReading]), ChainModule],
  providers: [MinerDirectory, KingReader],
})
export class MinersWorkerModule {}
