import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly, Public } from '../core/auth/auth.decorators.js';
import { ModelCapabilitiesService, presentCapabilities } from '../model-capabilities/index.js';
import { ModelRanking } from './model-ranking.service.js';
import { KingObject, MinerRankingObject, ModelList } from './dto/ranking.object.js';
import { presentKing } from './king.presenter.js';
import { ROLLOUT_VIEW, type RolloutViewSource } from './rollout-view.js';
import { minersDocs } from './miners.docs.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/miners')
export class AdminMinersController {
  constructor(private readonly ranking: ModelRanking) {}

  @Get()
  @ApiOperation(minersDocs.adminGetMiners)
  @ApiOkResponse({ type: MinerRankingObject })
  async get(): Promise<MinerRankingObject> {
    const r = await this.ranking.current();
    return {
      object: 'miner_ranking',
      source: r.source,
      netuid: r.netuid,
      block_number: r.block,
      block_hash: r.blockHash,
      read_at: r.readAt.toISOString(),
      ranking: r.entries.map((e, i) => ({
        rank: i + 1,
        uid: e.miner_uid,
        hotkey: e.miner_hotkey,
        incentive: e.incentive,
        model: e.model,
        model_revision: e.model_revision,
      })),
      unranked: r.snapshot?.unranked ?? [],
    };
  }
}

/** Public, as the subnet's rankings are: anyone can see who is winning and what it renders before signing up. */
@ApiTags('models')
@Public()
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly ranking: ModelRanking,
    private readonly capabilities: ModelCapabilitiesService,
    @Inject(ROLLOUT_VIEW) private readonly rollout: RolloutViewSource,
  ) {}

  @Get()
  @ApiOperation(minersDocs.listModels)
  @ApiOkResponse({ type: ModelList })
  async list(): Promise<ModelList> {
    const [r, readings, rollout] = await Promise.all([this.ranking.current(), this.ranking.latestReadings(), this.rollout.view()]);
    const seen = new Set<string>();
    const distinct = r.entries.filter((e) => !seen.has(`${e.model}@${e.model_revision}`) && seen.add(`${e.model}@${e.model_revision}`));
    const caps = await this.capabilities.forModels([...new Set(distinct.map((e) => e.model))]);
    return {
      object: 'list',
      data: distinct.map((e, i) => {
        const c = caps.get(e.model)!;
        return {
          object: 'model',
          model: e.model,
          model_revision: e.model_revision,
          rank: i + 1,
          miner_uid: e.miner_uid,
          miner_hotkey: e.miner_hotkey,
          capabilities: presentCapabilities(c.id, e.model, c.source, c.capabilities),
        };
      }),
      has_more: false,
      ranking_block: r.block,
      king: presentKing(r, readings) satisfies KingObject | null,
      served: rollout.served,
      rollouts: rollout.rollouts.map((x) => ({
        object: 'model_rollout' as const,
        repo: x.repo,
        digest: x.digest,
        state: x.state,
        held: x.held,
        served_at: x.servedAt?.toISOString() ?? null,
        replaced_at: x.replacedAt?.toISOString() ?? null,
      })),
    };
  }
}
