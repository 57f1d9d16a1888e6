import { ApiProperty } from '@nestjs/swagger';

export class PeriodAnchorObject {
  @ApiProperty({ example: 'burn_01j…', description: 'The burn (`burn_…`).' }) burn_id: string;
  @ApiProperty({ example: 'finalized', description: "The burn's status." }) status: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The block that holds its extrinsic; null until it is in a block.' }) block_number: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "The extrinsic's index in that block; null until it is in a block." })
  extrinsic_index: number | null;
}

export class ProofAnchorObject extends PeriodAnchorObject {
  @ApiProperty({ nullable: true, type: String, description: "The extrinsic's hash (hex); null until it is signed." }) extrinsic_hash: string | null;
  @ApiProperty({ description: "The remark the burn carries on chain: its allocations' hash and the period it anchors (statement SHA-256 and Merkle root)." })
  memo: string;
}

export class AllocationBurnShareObject {
  @ApiProperty({ example: 'burn_01j…', description: 'The burn (`burn_…`).' }) burn_id: string;
  @ApiProperty({ example: 'finalized', description: "The burn's status." }) status: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Its block; null until it is in a block.' }) block_number: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Its extrinsic index; null until it is in a block.' }) extrinsic_index: number | null;
  @ApiProperty({ example: 1500, description: "This allocation's share of the burn's funding, minor units." }) amount_minor: number;
  @ApiProperty({ nullable: true, type: String, description: 'Its share of the TAO spent (RAO, rounded down); null until the burn settles.' })
  tao_rao: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Its share of the alpha burned (rounded down); null until the burn settles.' })
  alpha: string | null;
}

export class TreasuryPeriodObject {
  @ApiProperty({ example: 'treasury_period' }) object: 'treasury_period';
  @ApiProperty({ example: '2026-11' }) period: string;
  @ApiProperty() starts_at: string;
  @ApiProperty() ends_at: string;
  @ApiProperty({ description: 'SHA-256 of the statement JSON exactly as served by GET …/statement; the next burn carries it in its memo.' })
  statement_sha256: string;
  @ApiProperty({ description: "Merkle root of the month's allocations (docs/treasury-runbook.md, Answering an auditor)." }) merkle_root: string;
  @ApiProperty() allocation_count: number;
  @ApiProperty({ nullable: true, type: PeriodAnchorObject, description: 'The burn whose on-chain memo carries this period (null until one is planned).' })
  anchored_by: PeriodAnchorObject | null;
  @ApiProperty() closed_by: string;
  @ApiProperty() closed_at: string;
}

export class TreasuryPeriodList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [TreasuryPeriodObject], description: 'Newest first.' }) data: TreasuryPeriodObject[];
}

export class ProofStepObject {
  @ApiProperty({ enum: ['left', 'right'], description: 'left: parent = sha256(0x01 ‖ hash ‖ current); right: sha256(0x01 ‖ current ‖ hash).' }) side:
    | 'left'
    | 'right';
  @ApiProperty({ description: 'A sibling hash on the way to the Merkle root (hex).' }) hash: string;
}

export class AllocationProofObject {
  @ApiProperty({ example: 'alc_01j…', description: 'The allocation (`alc_…`).' }) allocation_id: string;
  @ApiProperty({ example: 'in_1Q…', description: 'The Stripe invoice it came from.' }) invoice_id: string;
  @ApiProperty({ example: 'invoice_paid', description: "`invoice_paid` for a payment; a refund's kind for a refund." }) kind: string;
  @ApiProperty({ example: 1500, description: 'Allocated to buy-and-burn, minor units of `currency` (negative for a refund).' }) amount_minor: number;
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ example: 2, description: 'The burn policy version used (0: before policies were kept).' }) policy_version: number;
  @ApiProperty({ example: '2026-11', description: 'The month (`YYYY-MM`, UTC) it belongs to.' }) period: string;
  @ApiProperty({ description: 'Whether the period is closed; the Merkle fields are null until it is.' }) period_closed: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'sha256(0x00 ‖ leaf text), hex.' }) leaf: string | null;
  @ApiProperty({ nullable: true, type: Number, description: "Position of its leaf in the period's Merkle tree; null until the period closes." }) leaf_index:
    | number
    | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Leaves in that tree; null until the period closes.' }) leaf_count: number | null;
  @ApiProperty({ type: [ProofStepObject], description: 'Siblings from the leaf up to the root.' }) path: ProofStepObject[];
  @ApiProperty({ nullable: true, type: String, description: "The tree's root (hex); null until the period closes." }) merkle_root: string | null;
  @ApiProperty({
    nullable: true,
    type: ProofAnchorObject,
    description: 'The burn whose on-chain memo carries the root: read its remark at block_number, extrinsic_index.',
  })
  anchor: ProofAnchorObject | null;
  @ApiProperty({ type: [AllocationBurnShareObject], description: 'The burns this allocation funded: its share of their TAO and alpha (rounded down).' })
  burns: AllocationBurnShareObject[];
}

export class InvoiceBurnProofObject {
  @ApiProperty({ example: 'invoice_burn_proof', description: "String naming the object's type: always `invoice_burn_proof`." }) object: 'invoice_burn_proof';
  @ApiProperty({ example: 'in_1Q…', description: 'The Stripe invoice proved.' }) invoice_id: string;
  @ApiProperty({ type: [AllocationProofObject], description: 'One per allocation of the invoice (the payment, and any refund).' })
  allocations: AllocationProofObject[];
}
