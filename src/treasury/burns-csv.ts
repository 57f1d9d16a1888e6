import { toCsv } from '../platform/http/csv.js';
import type { Burn } from './burn.entity.js';
import { explorerUrl } from './burn-presenter.js';

const COLUMNS = [
  'id', 'status', 'attempt', 'retry_of', 'created_at', 'finalized_at', 'netuid', 'hotkey', 'signer', 'coldkey', 'amount_rao', 'currency', 'covered_minor', 'price_rao', 'limit_price_rao',
  'expected_alpha', 'tao_spent_rao', 'alpha_bought', 'alpha_burned', 'fee_rao', 'block_number', 'block_hash', 'extrinsic_index', 'extrinsic_hash', 'nonce',
  'spec_version', 'memo_hash', 'failure_reason', 'invoices', 'explorer_url',
] as const;

export function burnsCsv(burns: Burn[], invoices: Map<string, string[]>): string {
  return toCsv(COLUMNS, burns.map((b): Record<(typeof COLUMNS)[number], unknown> => ({
    id: b.id, status: b.status, attempt: b.attempt, retry_of: b.retryOf, created_at: b.createdAt, finalized_at: b.finalizedAt, netuid: b.netuid, hotkey: b.hotkey,
    signer: b.signer, coldkey: b.coldkey, amount_rao: b.amountRao, currency: b.currency, covered_minor: b.coveredMinor, price_rao: b.priceRao, limit_price_rao: b.limitPriceRao, expected_alpha: b.expectedAlpha,
    tao_spent_rao: b.taoSpentRao, alpha_bought: b.alphaBought, alpha_burned: b.alphaBurned, fee_rao: b.feeRao, block_number: b.blockNumber, block_hash: b.blockHash,
    extrinsic_index: b.extrinsicIndex, extrinsic_hash: b.extrinsicHash, nonce: b.nonce, spec_version: b.specVersion, memo_hash: b.memoHash,
    failure_reason: b.failureReason, invoices: (invoices.get(b.id) ?? []).join(' '), explorer_url: explorerUrl(b),
  })));
}
