import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { chainEnv } from '../chain/index.js';
import { modelsEnv, type RankedModel } from './models.env.js';
import { MinerSnapshot } from './miner-snapshot.entity.js';
import { KingReading } from './king-reading.entity.js';
import { kingEnv } from './king.env.js';
import type { Challenger } from './dashboard-reading.js';

/** Who is king and where that came from: the dashboards' latest agreed verdict, the chain's derivation, or configuration. */
export interface KingView {
  source: 'dashboards' | 'chain' | 'config';
  /** The reading the king was taken from (the verdict or the chain derivation); null for configuration. */
  reading: KingReading | null;
  /** The latest reading could not single out one king (chain ties; dashboards without a majority). */
  ambiguous: boolean;
}

export interface Ranking {
  source: 'config' | 'chain' | 'dashboards';
  netuid: number;
  /** Block the ranking was read at; null when it comes from configuration. */
  block: number | null;
  blockHash: string | null;
  readAt: Date;
  /** Best first; one entry per miner. */
  entries: (RankedModel & { incentive: number | null })[];
  snapshot: MinerSnapshot | null;
  king: KingView;
}

/**
 * Who is winning. The king first: with KING_DASHBOARD_URLS the latest verdict the validators'
 * dashboards agreed on, ahead of the chain's ranking; otherwise the latest chain snapshot with at
 * least one servable model (its first entry the king as the chain shows it, see chain-king.ts);
 * otherwise MODEL_RANKING (also the fallback until the first reading exists, so a fresh
 * deployment can serve at once).
 */
@Injectable()
export class ModelRanking {
  private readonly bootedAt = new Date();

  constructor(
    @InjectRepository(MinerSnapshot) private readonly snapshots: Repository<MinerSnapshot>,
    @InjectRepository(KingReading) private readonly readings: Repository<KingReading>,
  ) {}

  async current(): Promise<Ranking> {
    const dashboards = kingEnv.get().KING_DASHBOARD_URLS.length > 0;
    const [base, verdicts] = await Promise.all([
      this.base(),
      dashboards ? this.readings.find({ where: { source: 'consensus' }, order: { id: 'DESC' }, take: 1 }) : Promise.resolve([]),
    ]);
    if (!dashboards) {
      const chain = base.source === 'chain' ? await this.readings.findOne({ where: { source: 'chain', roundId: base.snapshot!.id } }) : null;
      return { ...base, king: { source: base.source === 'chain' ? 'chain' : 'config', reading: chain, ambiguous: chain?.ambiguous ?? false } };
    }
    const latest = verdicts[0] ?? null;
    // A round without a majority keeps the king the last agreed round named.
    const agreed =
      latest?.outcome === 'agreed' ? latest : await this.readings.findOne({ where: { source: 'consensus', outcome: 'agreed' }, order: { id: 'DESC' } });
    if (!agreed?.king) return { ...base, king: { source: base.source === 'chain' ? 'chain' : 'config', reading: null, ambiguous: latest?.ambiguous ?? false } };
    const k = agreed.king;
    const king = { model: k.model_repo, model_revision: k.model_digest, miner_hotkey: k.hotkey, miner_uid: k.uid, incentive: null };
    const rest = base.entries.filter((e) => !(e.model === king.model && e.model_revision === king.model_revision));
    return {
      ...base,
      source: 'dashboards',
      block: k.crowned_block ?? base.block,
      blockHash: null,
      readAt: agreed.fetchedAt,
      entries: [king, ...rest],
      king: { source: 'dashboards', reading: agreed, ambiguous: latest?.ambiguous ?? false },
    };
  }

  /** The challengers being judged now: the next possible kings, whose weights are worth fetching ahead. */
  async liveDuels(): Promise<Challenger[]> {
    return (await this.current()).king.reading?.liveDuels ?? [];
  }

  /** The readings behind the current king: the dashboards of the latest round (or the chain's derivation). */
  async latestReadings(): Promise<KingReading[]> {
    const latest = await this.readings.findOne({ where: {}, order: { id: 'DESC' } });
    return latest ? this.readings.find({ where: { roundId: latest.roundId }, order: { id: 'ASC' } }) : [];
  }

  private async base(): Promise<Omit<Ranking, 'king'>> {
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
          entries: latest.ranking.map((m) => ({
            model: m.model,
            model_revision: m.model_revision,
            miner_hotkey: m.hotkey,
            miner_uid: m.uid,
            incentive: m.incentive,
          })),
          snapshot: latest,
        };
      }
    }
    const entries = modelsEnv.get().MODEL_RANKING.map((m) => ({ ...m, incentive: null }));
    return { source: 'config', netuid: env.SUBNET_NETUID, block: null, blockHash: null, readAt: this.bootedAt, entries, snapshot: null };
  }
}
