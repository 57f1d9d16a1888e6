import { ApiProperty } from '@nestjs/swagger';
import { ModelCapabilitiesObject } from '../../model-capabilities/index.js';

export class RankedMinerObject {
  @ApiProperty() rank: number;
  @ApiProperty({ type: Number, nullable: true }) uid: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SS58 hotkey.' }) hotkey: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'On-chain incentive (u16; 65535 is the whole subnet).' }) incentive: number | null;
  @ApiProperty() model: string;
  @ApiProperty({ type: String, nullable: true }) model_revision: string | null;
}

export class UnrankedMinerObject {
  @ApiProperty() uid: number;
  @ApiProperty() hotkey: string;
  @ApiProperty() incentive: number;
  @ApiProperty({ enum: ['owner_uid', 'no_commitment', 'commitment_unparseable', 'stale_format', 'author_hotkey_mismatch'] }) reason: string;
}

export class MinerRankingObject {
  @ApiProperty({ enum: ['miner_ranking'] }) object: 'miner_ranking';
  @ApiProperty({ enum: ['chain', 'config'] }) source: string;
  @ApiProperty() netuid: number;
  @ApiProperty({ type: Number, nullable: true }) block_number: number | null;
  @ApiProperty({ type: String, nullable: true }) block_hash: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the ranking was read (process start for a config ranking).' }) read_at: string;
  @ApiProperty({ type: [RankedMinerObject] }) ranking: RankedMinerObject[];
  @ApiProperty({ type: [UnrankedMinerObject] }) unranked: UnrankedMinerObject[];
}

export class ModelObject {
  @ApiProperty({ enum: ['model'] }) object: 'model';
  @ApiProperty({ example: 'leoma/reference-i2v' }) model: string;
  @ApiProperty({ type: String, nullable: true }) model_revision: string | null;
  @ApiProperty({ description: '1 is the winner, the model new videos are made with.' }) rank: number;
  @ApiProperty({ type: Number, nullable: true }) miner_uid: number | null;
  @ApiProperty({ type: String, nullable: true }) miner_hotkey: string | null;
  @ApiProperty({ type: ModelCapabilitiesObject, description: 'Sizes, fps, frame counts and honoured inputs; `source` says whether an operator override or the defaults apply.' }) capabilities: ModelCapabilitiesObject;
}

export class ServedModelObject {
  @ApiProperty({ example: 'leoma/wan2.2-i2v-a14b-diffusers' }) repo: string;
  @ApiProperty({ example: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' }) digest: string;
}

export class ModelRolloutSummary {
  @ApiProperty({ enum: ['model_rollout'] }) object: 'model_rollout';
  @ApiProperty() repo: string;
  @ApiProperty() digest: string;
  @ApiProperty({ enum: ['desired', 'fetching', 'loading', 'warming', 'ready', 'serving', 'draining', 'retired', 'failed'], description: '`serving`: makes new videos now; `ready` after having served: an earlier king kept for rollback and pins; `fetching`/`loading`/`warming`: the next king being brought up while the served one keeps serving.' }) state: string;
  @ApiProperty({ description: 'Held by an operator: not made the served model until released.' }) held: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) served_at: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) replaced_at: string | null;
}

export class ModelList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ModelObject] }) data: ModelObject[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Chain block the ranking was read at.' }) ranking_block: number | null;
  @ApiProperty({ type: ServedModelObject, nullable: true, description: 'The model new videos are made by now. During a rollover it is the previous king until the new one is READY on enough backends; null before any king has been rolled out (rank 1 is used).' }) served: ServedModelObject | null;
  @ApiProperty({ type: [ModelRolloutSummary], description: 'Each digest being brought up, served, kept or drained (retired ones left out).' }) rollouts: ModelRolloutSummary[];
}
