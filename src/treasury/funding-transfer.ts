import { Injectable } from '@nestjs/common';
import { ChainUnavailable } from '../chain/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { BurnChain } from './chain/burn-chain.js';
import { treasuryEnv } from './treasury.env.js';

/** A transfer into the treasury coldkey, as the chain has it. */
export interface ProvenTransfer {
  blockNumber: number;
  blockHash: string;
  index: number;
  hash: string;
  /** The sender (the first, when several transfers in one extrinsic pay the coldkey). */
  from: string;
  /** Every Balances.Transfer of the extrinsic to the coldkey, summed. */
  amountRao: bigint;
  at: Date | null;
}

/** Each refusal with its stable code: a funding is taken only from a finalized transfer into the coldkey. */
const refuse = {
  notFound: (n: number, i: number, why: string) => new DomainError('funding_transfer_not_found', `No transfer at block ${n}, extrinsic ${i}: ${why}.`),
  hashMismatch: (onChain: string) =>
    new DomainError('funding_transfer_hash_mismatch', `The extrinsic at that block and index has hash ${onChain}, not transfer_extrinsic_hash.`, {
      extrinsic_hash: onChain,
    }),
  notToTreasury: (coldkey: string) =>
    new DomainError('funding_transfer_not_to_treasury', `The extrinsic transfers TAO, but none to the treasury coldkey ${coldkey}.`),
  notFinalized: (n: number) =>
    new DomainError('funding_transfer_not_finalized', `Block ${n} is not finalized yet; record the funding once it is.`, {}, { 'Retry-After': '30' }),
  noColdkey: () =>
    new DomainError('treasury_coldkey_not_configured', 'TREASURY_COLDKEY is not set: there is no treasury coldkey to check the transfer against.'),
  noChain: () => new DomainError('chain_not_configured', 'No chain endpoint is configured (SUBTENSOR_WS_URL): the transfer cannot be read.'),
  unavailable: () =>
    new DomainError('chain_unavailable', 'The subtensor node cannot be reached right now; nothing was recorded. Try again later.', {}, { 'Retry-After': '30' }),
};

/** Reads a funding's transfer from the chain and checks it pays the treasury coldkey in a finalized block. */
@Injectable()
export class FundingTransfers {
  constructor(private readonly chain: BurnChain) {}

  async prove(blockNumber: number, index: number, expectedHash: string | undefined): Promise<ProvenTransfer> {
    if (!this.chain.configured()) throw refuse.noChain();
    const coldkey = treasuryEnv.get().TREASURY_COLDKEY;
    if (!coldkey) throw refuse.noColdkey();
    const tx = await this.chain.transfer(blockNumber, index).catch((e: unknown) => {
      throw e instanceof ChainUnavailable ? refuse.unavailable() : e;
    });
    if (!tx) throw refuse.notFound(blockNumber, index, 'the chain has no such block or extrinsic');
    if (expectedHash && expectedHash.toLowerCase() !== tx.hash.toLowerCase()) throw refuse.hashMismatch(tx.hash);
    if (!tx.finalized) throw refuse.notFinalized(blockNumber);
    if (!tx.success || tx.transfers.length === 0)
      throw refuse.notFound(blockNumber, index, tx.success ? 'it emitted no Balances.Transfer' : 'the extrinsic failed');
    const mine = tx.transfers.filter((t) => t.to === coldkey);
    if (!mine.length) throw refuse.notToTreasury(coldkey);
    return {
      blockNumber,
      blockHash: tx.blockHash,
      index,
      hash: tx.hash,
      from: mine[0]!.from,
      amountRao: mine.reduce((a, t) => a + t.amountRao, 0n),
      at: tx.at,
    };
  }
}
