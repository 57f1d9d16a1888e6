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
import { chainKing } from './chain-king.js';
import { KingReading } from './king-reading.entity.js';
import { kingEnv } from './king.env.js';
import { kingAmbiguous } from './king-metrics.js';

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

  constructor(
    private readonly chain: ChainClient,
    @InjectRepository(MinerSnapshot) private readonly snapshots: Repository<MinerSnapshot>,
  ) {}

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
    const ranked = rankMiners(reading);
    const previous = await this.snapshots
      .createQueryBuilder('s')
      .where('s.netuid = :netuid', { netuid })
      .andWhere('jsonb_array_length(s.ranking) > 0')
      .orderBy('s.id', 'DESC')
      .getOne();
    const { ranking, ambiguous, challenger } = chainKing(ranked.ranking, previous?.ranking ?? null);
    const row = this.snapshots.create({
      id: newId('minerSnapshot'),
      netuid,
      blockNumber: String(reading.block.number),
      blockHash: reading.block.hash,
      tempo: reading.tempo,
      ranking,
      unranked: ranked.unranked,
    });
    const king = ranking[0];
    // With dashboards configured they say who is king; the chain's derivation is recorded only when it is the one used.
    const derived = king && kingEnv.get().KING_DASHBOARD_URLS.length === 0;
    await this.snapshots.manager.transaction(async (tx) => {
      await tx.getRepository(MinerSnapshot).insert(row);
      if (!derived) return;
      await tx.getRepository(KingReading).insert({
        id: newId('kingReading'),
        roundId: row.id,
        source: 'chain',
        outcome: 'derived',
        king: {
          hotkey: king.hotkey,
          uid: king.uid,
          model_repo: king.model,
          model_digest: king.model_revision ?? '',
          reign_number: null,
          crowned_at: null,
          crowned_block: null,
        },
        liveDuels: challenger
          ? [{ hotkey: challenger.hotkey, uid: challenger.uid, model_repo: challenger.model, model_digest: challenger.model_revision ?? '' }]
          : [],
        blockNumber: String(reading.block.number),
        ambiguous,
        fetchedAt: new Date(),
      });
    });
    if (derived) kingAmbiguous.set(ambiguous ? 1 : 0);
    this.logger.log(`miner snapshot at block ${reading.block.number}: ${ranking.length} ranked, top ${ranking[0]?.model ?? 'none'}`);
    return row;
  }
}
