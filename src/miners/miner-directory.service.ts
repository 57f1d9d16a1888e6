import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ChainClient } from '../chain/index.js';
import { chainEnv } from '../chain/index.js';
import { readSubnet } from '../chain/index.js';
import { newId } from '../platform/http/ids.js';
import { MinerSnapshot } from './miner-snapshot.entity.js';
import { rankMiners } from './rank-miners.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

const BLOCK_MS = 12_000;
const RETRY_MS = 30_000;

/**
 * Reads the subnet every tempo (or MINER_REFRESH_INTERVAL_MS) in the worker role and stores a
 * snapshot. Every worker may do it; a block already snapshotted is not stored twice.
 */
@Injectable()
export class MinerDirectory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MinerDirectory.name);
  private readonly loop = new PollLoop({
    name: 'miner directory refresh',
    run: () => this.refresh(),
    next: (s) => chainEnv.get().MINER_REFRESH_INTERVAL_MS || Math.max(1, s.tempo) * BLOCK_MS,
    afterError: () => Math.min(RETRY_MS, chainEnv.get().MINER_REFRESH_INTERVAL_MS || RETRY_MS),
    logLevel: 'warn',
  });

  constructor(private readonly chain: ChainClient, @InjectRepository(MinerSnapshot) private readonly snapshots: Repository<MinerSnapshot>) {}

  onApplicationBootstrap(): void {
    if (this.chain.configured()) this.loop.start();
  }

  /** Stops scheduling; a refresh in flight ends with the chain client, which closes in its own destroy hook. */
  onModuleDestroy(): void {
    void this.loop.stop();
  }

  async refresh(): Promise<MinerSnapshot> {
    const netuid = chainEnv.get().SUBNET_NETUID;
    const reading = await this.chain.atFinalized((at, block) => readSubnet(at, block, netuid));
    const existing = await this.snapshots.findOneBy({ netuid, blockHash: reading.block.hash });
    if (existing) return existing;
    const { ranking, unranked } = rankMiners(reading);
    const row = this.snapshots.create({ id: newId('minerSnapshot'), netuid, blockNumber: String(reading.block.number), blockHash: reading.block.hash, tempo: reading.tempo, ranking, unranked });
    await this.snapshots.insert(row);
    this.logger.log(`miner snapshot at block ${reading.block.number}: ${ranking.length} ranked, top ${ranking[0]?.model ?? 'none'}`);
    return row;
  }
}
