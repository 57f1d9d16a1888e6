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
  @ApiProperty({ enum: ['dashboards', 'chain', 'config'] }) source: string;
  @ApiProperty() netuid: number;
  @ApiProperty({ type: Number, nullable: true }) block_number: number | null;
  @ApiProperty({ type: String, nullable: true }) block_hash: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the ranking was read (process start for a config ranking).' }) read_at: string;
  @ApiProperty({ type: [RankedMinerObject] }) ranking: RankedMinerObject[];
  @ApiProperty({ type: [UnrankedMinerObject] }) unranked: UnrankedMinerObject[];
}

export class ChallengerObject {
  @ApiProperty({ description: "The challenger's model repository." }) model: string;
  @ApiProperty({ description: 'Snapshot digest (`sha256:…` or `hf:…`).' }) model_revision: string;
  @ApiProperty({ type: String, nullable: true, description: 'SS58 hotkey of its miner; null when unknown.' }) miner_hotkey: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Subnet uid of its miner; null when unknown.' }) miner_uid: number | null;
}

export class KingReadingObject {
  @ApiProperty({ enum: ['dashboard', 'consensus', 'chain'], description: 'One validator dashboard, the verdict over them, or the chain.' }) source: string;
  @ApiProperty({ type: String, nullable: true, description: 'The dashboard read (no query string).' }) url: string | null;
  @ApiProperty({
    enum: ['answered', 'refused', 'agreed', 'no_majority', 'none_answered', 'derived'],
    description: 'For a dashboard: `answered` or `refused`; for the verdict: `agreed`, `no_majority` or `none_answered`; for the chain: `derived`.',
  })
  outcome: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['timeout', 'too_large', 'private_address', 'invalid_url', 'unreachable', 'bad_shape'],
    description: 'Why a dashboard was refused.',
  })
  reason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Free-text detail of the outcome; null when none.' }) detail: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The king this reading names; null when it named none.' }) model: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its snapshot digest; null when unknown.' }) model_revision: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Crowned block (dashboards) or block read (chain).' }) block_number: number | null;
  @ApiProperty({ type: Boolean, description: 'Whether this reading could not single out one king.' }) ambiguous: boolean;
  @ApiProperty({ format: 'date-time', description: 'When it was read.' }) fetched_at: string;
}

export class KingObject {
  @ApiProperty({ enum: ['king'], description: "String naming the object's type: always `king`." }) object: 'king';
  @ApiProperty({ description: "The king's model repository: the model new videos are made with." }) model: string;
  @ApiProperty({ type: String, nullable: true, description: 'The crowned snapshot digest new videos are made with.' }) model_revision: string | null;
  @ApiProperty({ type: String, nullable: true, description: "SS58 hotkey of the king's miner; null when unknown." }) miner_hotkey: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "Subnet uid of the king's miner; null when unknown." }) miner_uid: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Known from dashboards only.' }) reign_number: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Known from dashboards only.' }) crowned_at: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Known from dashboards only.' }) crowned_block: number | null;
  @ApiProperty({
    enum: ['dashboards', 'chain', 'config'],
    description:
      "Where the king was read: validators' dashboards (a majority of those that answered), the chain (incentive and reveals; see `ambiguous`), or configuration.",
  })
  source: string;
  @ApiProperty({
    description:
      'The latest reading could not single out one king: incentive ties at the top of the chain, or dashboards without a majority (the last agreed king is kept).',
  })
  ambiguous: boolean;
  @ApiProperty({ type: [ChallengerObject], description: 'Challengers being judged now: the next possible kings.' }) live_duels: ChallengerObject[];
  @ApiProperty({ type: [KingReadingObject], description: 'The latest readings: each dashboard and the verdict, or the chain derivation.' })
  readings: KingReadingObject[];
}

export class ModelObject {
  @ApiProperty({ enum: ['model'], description: "String naming the object's type: always `model`." }) object: 'model';
  @ApiProperty({ example: 'leoma/reference-i2v', description: 'Model repository.' }) model: string;
  @ApiProperty({ type: String, nullable: true, description: 'Snapshot digest (`sha256:…` or `hf:…`); null when unknown.' }) model_revision: string | null;
  @ApiProperty({ description: '1 is the winner, the model new videos are made with.' }) rank: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Subnet uid of the miner who submitted it; null when the ranking came from configuration.' })
  miner_uid: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SS58 hotkey of that miner; null when unknown.' }) miner_hotkey: string | null;
  @ApiProperty({
    type: ModelCapabilitiesObject,
    description: 'Sizes, fps, frame counts and honoured inputs; `source` says whether an operator override or the defaults apply.',
  })
  capabilities: ModelCapabilitiesObject;
}

export class ServedModelObject {
  @ApiProperty({ example: 'leoma/wan2.2-i2v-a14b-diffusers', description: 'Repository of the model making new videos now.' }) repo: string;
  @ApiProperty({ example: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e', description: 'Its snapshot digest.' }) digest: string;
}

export class ModelRolloutSummary {
  @ApiProperty({ enum: ['model_rollout'], description: "String naming the object's type: always `model_rollout`." }) object: 'model_rollout';
  @ApiProperty({ description: 'Model repository.' }) repo: string;
  @ApiProperty({ description: 'Snapshot digest this rollout is for.' }) digest: string;
  @ApiProperty({
    enum: ['desired', 'fetching', 'loading', 'warming', 'ready', 'serving', 'draining', 'retired', 'failed'],
    description:
      '`serving`: makes new videos now; `ready` after having served: an earlier king kept for rollback and pins; `fetching`/`loading`/`warming`: the next king being brought up while the served one keeps serving.',
  })
  state: string;
  @ApiProperty({ description: 'Held by an operator: not made the served model until released.' }) held: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it started making new videos; null if it never has.' }) served_at:
    | string
    | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When a newer model took over; null while serving or never served.' })
  replaced_at: string | null;
}

export class ModelList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [ModelObject], description: 'This page of items, newest first.' }) data: ModelObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Chain block the ranking was read at (the crowned block when the king comes from dashboards).' })
  ranking_block: number | null;
  @ApiProperty({ type: KingObject, nullable: true, description: 'Who is king and where each reading came from; null only while nothing ranks.' })
  king: KingObject | null;
  @ApiProperty({
    type: ServedModelObject,
    nullable: true,
    description:
      'The model new videos are made by now. During a rollover it is the previous king until the new one is READY on enough backends; null before any king has been rolled out (rank 1 is used).',
  })
  served: ServedModelObject | null;
  @ApiProperty({ type: [ModelRolloutSummary], description: 'Each digest being brought up, served, kept or drained (retired ones left out).' })
  rollouts: ModelRolloutSummary[];
}
