import { ApiProperty } from '@nestjs/swagger';

export class TreasurySummaryObject {
  @ApiProperty({ example: 'treasury_summary' }) object: 'treasury_summary';
  @ApiProperty({ description: 'Net revenue in the ledger (paid invoices minus refunds and lost disputes), minor units.' }) revenue_minor: number;
  @ApiProperty() allocated_minor: number;
  @ApiProperty() funded_minor: number;
  @ApiProperty({ description: 'Allocated but not yet funded (negative when refunds arrived after funding).' }) unfunded_minor: number;
  @ApiProperty() funded_rao: string;
  @ApiProperty({ description: 'TAO spent by finalized burns (AddStakeBurn), RAO.' }) burned_tao_rao: string;
  @ApiProperty({ description: 'Alpha burned by finalized burns (AlphaBurned).' }) burned_alpha: string;
  @ApiProperty({ description: 'TAO in burns signed and not yet settled, RAO.' }) in_flight_rao: string;
  @ApiProperty({ description: 'Funded TAO neither burned nor in flight, RAO.' }) pending_rao: string;
  @ApiProperty({ description: 'Transaction fees paid by the treasury coldkey, RAO.' }) fees_rao: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) burns_by_status: Record<string, number>;
  @ApiProperty() dry_run: boolean;
}

export class ReconciliationCheck {
  @ApiProperty() name: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'The identity checked, with the figures.' }) detail: string;
}

export class ReconciliationObject {
  @ApiProperty({ example: 'treasury_reconciliation' }) object: 'treasury_reconciliation';
  @ApiProperty() balanced: boolean;
  @ApiProperty({ type: [ReconciliationCheck] }) checks: ReconciliationCheck[];
  @ApiProperty() generated_at: string;
}
