import { Injectable } from '@nestjs/common';
import { modelsEnv, type RankedModel } from './models.env.js';

export interface Ranking {
  source: 'config' | 'chain';
  /** Block the ranking was read at; null when it comes from configuration. */
  block: number | null;
  readAt: Date;
  /** Best first; one entry per miner. */
  entries: RankedModel[];
}

/** Who is winning: the source dispatch and provenance read the ranking from. */
@Injectable()
export class ModelRanking {
  private readonly bootedAt = new Date();

  async current(): Promise<Ranking> {
    return { source: 'config', block: null, readAt: this.bootedAt, entries: modelsEnv.get().MODEL_RANKING };
  }
}
