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

export class ModelList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ModelObject] }) data: ModelObject[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Chain block the ranking was read at.' }) ranking_block: number | null;
}
