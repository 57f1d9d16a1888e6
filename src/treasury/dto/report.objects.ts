import { ApiProperty } from '@nestjs/swagger';

/** One currency's figures: fiat in that currency's minor units, and the TAO bought with it. */
export class CurrencyFiguresObject {
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ description: 'Net revenue in the ledger in this currency (paid invoices minus refunds and lost disputes), minor units.' })
  revenue_minor: number;
  @ApiProperty({ description: 'Allocated to buy-and-burn, minor units.' }) allocated_minor: number;
  @ApiProperty({ description: 'Paid for TAO by fundings in this currency, minor units.' }) funded_minor: number;
  @ApiProperty({ description: 'Allocated but not yet funded (negative when refunds arrived after funding).' }) unfunded_minor: number;
  @ApiProperty({ description: 'Covered by burns planned, in flight or finalized, minor units.' }) covered_minor: number;
  @ApiProperty({ description: 'TAO funded with this currency, RAO.' }) funded_rao: string;
  @ApiProperty({ description: 'TAO spent by finalized burns drawn on this currency (AddStakeBurn), RAO.' }) burned_tao_rao: string;
  @ApiProperty({ description: 'TAO in burns signed and not yet settled, RAO.' }) in_flight_rao: string;
  @ApiProperty({ description: 'Funded TAO neither burned nor in flight, RAO.' }) pending_rao: string;
}

export class TreasurySummaryObject {
  @ApiProperty({ example: 'treasury_summary' }) object: 'treasury_summary';
  @ApiProperty({ type: [CurrencyFiguresObject], description: 'Per currency, by currency code: two currencies are never added together.' })
  currencies: CurrencyFiguresObject[];
  @ApiProperty({ description: 'TAO funded, all currencies, RAO.' }) funded_rao: string;
  @ApiProperty({ description: 'TAO spent by finalized burns (AddStakeBurn), RAO.' }) burned_tao_rao: string;
  @ApiProperty({ description: 'Alpha burned by finalized burns (AlphaBurned).' }) burned_alpha: string;
  @ApiProperty({ description: 'TAO in burns signed and not yet settled, RAO.' }) in_flight_rao: string;
  @ApiProperty({ description: 'Funded TAO neither burned nor in flight, RAO.' }) pending_rao: string;
  @ApiProperty({ description: 'Transaction fees paid by the burn signer, RAO.' }) fees_rao: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) burns_by_status: Record<string, number>;
  @ApiProperty() dry_run: boolean;
}

export class ReconciliationCheck {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, description: 'The currency whose pool the check is about; null for checks across the whole treasury.' })
  currency: string | null;
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'The identity checked, with the figures.' }) detail: string;
}

export class ReconciliationObject {
  @ApiProperty({ example: 'treasury_reconciliation' }) object: 'treasury_reconciliation';
  @ApiProperty() balanced: boolean;
  @ApiProperty({ type: [ReconciliationCheck] }) checks: ReconciliationCheck[];
  @ApiProperty() generated_at: string;
}
