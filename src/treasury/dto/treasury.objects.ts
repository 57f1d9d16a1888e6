import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AllocationObject {
  @ApiProperty({ example: 'allocation' }) object: 'allocation';
  @ApiProperty({ example: 'alc_01j…' }) id: string;
  @ApiProperty() revenue_entry_id: string;
  @ApiProperty() tenant_id: string;
  @ApiProperty({ example: 'invoice_paid' }) kind: string;
  @ApiProperty({ nullable: true, type: String }) stripe_invoice_id: string | null;
  @ApiProperty({ example: 10000, description: 'Revenue in minor units (negative for refunds).' }) revenue_minor: number;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ example: 1000 }) share_bps: number;
  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    description: 'The burn policy version whose share was applied (null: made before policies were kept).',
  })
  policy_version: number | null;
  @ApiProperty({ example: 1000, description: 'Allocated to buy-and-burn, minor units.' }) amount_minor: number;
  @ApiProperty() created_at: string;
}

export class FundingObject {
  @ApiProperty({ example: 'funding' }) object: 'funding';
  @ApiProperty({ example: 'fnd_01j…' }) id: string;
  @ApiProperty({ example: '2500000000', description: 'TAO the transfer moved into the treasury coldkey, RAO, as the chain says.' }) amount_rao: string;
  @ApiProperty({ example: 100000, description: 'What the TAO cost, in minor units of `currency`.' }) fiat_minor: number;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ example: '400.00', description: '`currency` per TAO.' }) rate: string;
  @ApiProperty({ example: 'kraken TAO/USD fill', description: 'Where the rate was read.' }) rate_source: string;
  @ApiProperty({ description: 'When the rate was read.' }) rate_read_at: string;
  @ApiProperty() source: string;
  @ApiProperty({ description: "Finance's reference for the fiat side." }) external_reference: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'The transfer into the coldkey (null only for fundings recorded before transfers were proven).',
    properties: {
      block_number: { type: 'integer' },
      extrinsic_index: { type: 'integer' },
      block_hash: { type: 'string' },
      extrinsic_hash: { type: 'string' },
      from: { type: 'string' },
    },
  })
  transfer: { block_number: number; extrinsic_index: number; block_hash: string | null; extrinsic_hash: string | null; from: string | null } | null;
  @ApiProperty({ description: "The transfer's block time." }) received_at: string;
  @ApiProperty() created_by: string;
  @ApiProperty() created_at: string;
}

export class BurnVerificationObject {
  @ApiProperty() ok: boolean;
  @ApiProperty() checked_at: string;
  @ApiProperty() block_hash: string;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { field: { type: 'string' }, recorded: { type: 'string', nullable: true }, on_chain: { type: 'string', nullable: true } },
    },
  })
  mismatches: { field: string; recorded: string | number | null; on_chain: string | number | null }[];
}

/** On-chain facts only: what the public view shows. */
export class PublicBurnObject {
  @ApiProperty({ example: 'burn', description: "String naming the object's type: always `burn`." }) object: 'burn';
  @ApiProperty({ example: 'brn_01j…', description: 'Unique identifier of the burn (`brn_…`).' }) id: string;
  @ApiProperty({
    enum: ['dry_run', 'planned', 'signed', 'submitted', 'in_block', 'finalized', 'failed', 'expired'],
    description: 'Progress: `planned` → `signed` → `submitted` → `in_block` → `finalized`; `dry_run`: computed but never sent.',
  })
  status: string;
  @ApiProperty({ description: 'The subnet whose alpha was bought and burned.' }) netuid: number;
  @ApiProperty({ nullable: true, type: String, description: 'Hotkey the stake was added to (SS58); null before planning.' }) hotkey: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who signed: a proxy of the coldkey, or the coldkey itself.' }) signer: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The coldkey whose TAO was burned, when a proxy signed (Proxy.proxy).' }) coldkey: string | null;
  @ApiProperty({ example: 'usd', description: 'The currency of the revenue this burn is paid from: each burn draws on one currency’s funded pool.' })
  currency: string;
  @ApiProperty({ example: '2500000000', description: 'TAO planned for this burn, RAO.' }) amount_rao: string;
  @ApiProperty({ nullable: true, type: String, description: 'TAO spent on chain (AddStakeBurn), RAO.' }) tao_spent_rao: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Alpha bought (StakeAdded), 1e-9 units.' }) alpha_bought: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Alpha burned (AlphaBurned), 1e-9 units.' }) alpha_burned: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Transaction fee paid, RAO; null until in a block.' }) fee_rao: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'RAO per alpha from SwapRuntimeApi.current_alpha_price.' }) price_rao: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Highest price accepted, RAO per alpha; null when none was set.' }) limit_price_rao: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Block that included it; null until then.' }) block_number: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of that block; null until then.' }) block_hash: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Index of the extrinsic in the block; null until then.' }) extrinsic_index: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the extrinsic; null until signed.' }) extrinsic_hash: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Runtime spec version it was signed for; null until signed.' }) spec_version: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'sha256 of the allocations covered (the on-chain memo when enabled).' }) memo_hash: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A block explorer page for it; null until in a block.' }) explorer_url: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When its block was finalized; null until then.' }) finalized_at: string | null;
  @ApiProperty({ description: 'When the burn was created (ISO 8601, UTC).' }) created_at: string;
}

export class BurnObject extends PublicBurnObject {
  @ApiProperty() attempt: number;
  @ApiProperty({ nullable: true, type: String }) retry_of: string | null;
  @ApiProperty({ example: 100000, description: 'Allocated money this burn pays for, in minor units of `currency`.' }) covered_minor: number;
  @ApiProperty({ nullable: true, type: String }) expected_alpha: string | null;
  @ApiProperty({ nullable: true, type: Number }) nonce: number | null;
  @ApiProperty({ nullable: true, type: Number }) era_birth_block: number | null;
  @ApiProperty({ nullable: true, type: Number }) expires_at_block: number | null;
  @ApiProperty({ nullable: true, type: String }) failure_reason: string | null;
  @ApiPropertyOptional({ type: BurnVerificationObject, nullable: true }) verification: BurnVerificationObject | null;
  @ApiPropertyOptional({
    type: 'array',
    items: {
      type: 'object',
      properties: { allocation_id: { type: 'string' }, stripe_invoice_id: { type: 'string', nullable: true }, amount_minor: { type: 'integer' } },
    },
  })
  allocations?: { allocation_id: string; stripe_invoice_id: string | null; amount_minor: number }[];
}

export class BurnRunObject {
  @ApiProperty({ example: 'burn_run' }) object: 'burn_run';
  @ApiProperty({
    enum: ['planned', 'nothing_to_burn', 'waiting_for_unresolved', 'queued'],
    description:
      'What the worker did with the run: planned a burn (returned in `burn`), found nothing to burn, waits for an earlier burn to resolve first; or `queued`: no worker planned it within TREASURY_RUN_WAIT_MS, it runs when one is free.',
  })
  result: string;
  @ApiProperty({ example: true, description: 'Burns are planned and recorded only (TREASURY_BURNS_LIVE off, or no chain endpoint or hotkey).' })
  dry_run: boolean;
  @ApiProperty({
    type: BurnObject,
    nullable: true,
    description: 'The burn this run planned, with the allocations it covers; null unless `result` is `planned`.',
  })
  burn: BurnObject | null;
}

export class AllocationList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [AllocationObject] }) data: AllocationObject[];
  @ApiProperty() has_more: boolean;
}

export class FundingList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [FundingObject] }) data: FundingObject[];
  @ApiProperty() has_more: boolean;
}

export class BurnList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [BurnObject] }) data: BurnObject[];
  @ApiProperty() has_more: boolean;
}
