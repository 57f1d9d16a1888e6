import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { chainEnv } from '../chain/index.js';
import { modelsEnv, type RankedModel } from './models.env.js';
import { MinerSnapshot } from './miner-snapshot.entity.js';

export interface Ranking {
  source: 'config' | 'chain';
  netuid: number;
  /** Block the ranking was read at; null when it comes from configuration. */
  block: number | null;
  blockHash: string | null;
  readAt: Date;
  /** Best first; one entry per miner. */
  entries: (RankedModel & { incentive: number | null })[];
  snapshot: MinerSnapshot | null;
}

/**
 * Who is winning: the latest chain snapshot with at least one servable model when a chain is
 * configured, otherwise MODEL_RANKING (also the fallback until the first snapshot exists, so a
 * fresh deployment can serve at once).
 */
@Injectable()
export class ModelRanking {
  private readonly bootedAt = new Date();

  constructor(@InjectRepository(MinerSnapshot) private readonly snapshots: Repository<MinerSnapshot>) {}

  async current(): Promise<Ranking> {
    const env = chainEnv.get();
    if (env.SUBTENSOR_WS_URL) {
      // A read where no miner names a servable model says nothing about who to serve: keep the last one that did.
      const latest = await this.snapshots
        .createQueryBuilder('s')
        .where('s.netuid = :netuid', { netuid: env.SUBNET_NETUID })
        .andWhere('jsonb_array_length(s.ranking) > 0')
        .orderBy('s.id', 'DESC')
        .getOne();
      if (latest) {
        return {
          source: 'chain',
          netuid: latest.netuid,
          block: Number(latest.blockNumber),
          blockHash: latest.blockHash,
          readAt: latest.createdAt,
          entries: latest.ranking.map((m) => ({ model: m.model, model_revision: m.model_revision, miner_hotkey: m.hotkey, miner_uid: m.uid, incentive: m.incentive })),
          snapshot: latest,
        };
      }
    }
    const entries = modelsEnv.get().MODEL_RANKING.map((m) => ({ ...m, incentive: null }));
    return { source: 'config', netuid: env.SUBNET_NETUID, block: null, blockHash: null, readAt: this.bootedAt, entries, snapshot: null };
  }
}
