import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { anchorOf } from './burn-anchors.js';
import type { Burn, BurnVerification } from './burn.entity.js';
import { BurnStore } from './burn-store.js';
import { memoText } from './burn-memo.js';
import { BurnChain } from './chain/burn-chain.js';
import { treasuryProblems } from './treasury-problems.js';

/**
 * Re-reads a burn's block, decodes the extrinsic at its recorded index and its events, and compares
 * them field by field with what we recorded; the result is stored on the burn.
 */
@Injectable()
export class BurnVerifier {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: BurnStore,
    private readonly chain: BurnChain,
  ) {}

  async verify(id: string): Promise<Burn> {
    const burn = await this.store.get(id);
    if (!burn) throw treasuryProblems.burnNotFound();
    if (!burn.blockHash || burn.extrinsicIndex === null) throw treasuryProblems.burnNotOnChain(burn.status);
    if (!this.chain.configured()) throw treasuryProblems.chainNotConfigured();
    const o = await this.chain.outcome(burn.blockHash, burn.extrinsicIndex);
    const pairs: [string, string | number | null, string | number | null][] = [
      ['block_number', burn.blockNumber, String(o.blockNumber)],
      ['extrinsic_hash', burn.extrinsicHash, o.hash],
      ['signer', burn.signer, o.signer],
      ['coldkey', burn.coldkey, o.real],
      ['nonce', burn.nonce, o.nonce],
      ['hotkey', burn.hotkey, o.hotkey],
      ['netuid', burn.netuid, o.netuid],
      ['amount_rao', burn.amountRao, o.amountRao],
      ['limit_price_rao', burn.limitPriceRao, o.limitPriceRao],
      ['status', burn.status, o.success ? 'finalized' : 'failed'],
      ['tao_spent_rao', burn.taoSpentRao, o.taoSpentRao],
      ['alpha_bought', burn.alphaBought, o.alphaBought],
      ['alpha_burned', burn.alphaBurned, o.alphaBurned],
      ['fee_rao', burn.feeRao, o.feeRao],
      ['spec_version', burn.specVersion, o.specVersion],
    ];
    if (o.remarkHash !== null) {
      // Loaded on use: the chain libraries cost the API process most of its memory, and only verify needs this one.
      const { blake2AsHex } = await import('@polkadot/util-crypto');
      pairs.push(['memo', blake2AsHex(Buffer.from(memoText(burn.id, burn.memoHash ?? '', await anchorOf(this.db.manager, burn.id)), 'utf8')), o.remarkHash]);
    }
    const mismatches = pairs.filter(([, a, b]) => String(a) !== String(b)).map(([field, recorded, on_chain]) => ({ field, recorded, on_chain }));
    const verification: BurnVerification = { ok: mismatches.length === 0, checked_at: new Date().toISOString(), block_hash: burn.blockHash, mismatches };
    return this.store.transition(burn.id, [burn.status], burn.status, { verification });
  }
}
