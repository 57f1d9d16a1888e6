import { Injectable } from '@nestjs/common';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Codec } from '@polkadot/types/types';
import type { ExtrinsicStatus } from '@polkadot/types/interfaces';
import { ChainClient } from '../../chain/index.js';
import { readOutcome, type ChainOutcome } from './chain-outcome.js';
import { readTransfer, type ChainTransfer } from './funding-transfer.js';
import { burnExtrinsic, type BurnCallArgs } from './proxy-signer.js';

export interface Quote {
  priceRao: bigint;
  expectedAlpha: bigint;
  specVersion: number;
}

export interface BurnArgs extends BurnCallArgs {
  eraPeriod: number;
  /** A retry's nonce: its expired attempt's, so at most one of the two can ever be included. Otherwise the account's next. */
  nonce?: number;
}

export interface SignedBurn {
  hex: string;
  hash: string;
  nonce: number;
  eraBirth: number;
  /** The first block number at which the transaction can no longer be included. */
  expiresAt: number;
}

export interface Inclusion {
  blockNumber: number;
  blockHash: string;
  index: number;
  /** Which of the hashes looked for was found. */
  hash: string;
}

export type StatusUpdate = { kind: 'ready' | 'broadcast' | 'gone' } | { kind: 'in_block' | 'finalized'; blockHash: string };

/**
 * The chain operations a burn needs, on the process's one subtensor connection. None waits on a
 * node that is down: each fails with ChainUnavailable instead, so the caller can record why and
 * try again once the connection is back.
 */
@Injectable()
export class BurnChain {
  constructor(private readonly client: ChainClient) {}

  configured(): boolean {
    return this.client.configured();
  }

  /** Changes whenever the connection is made anew: a transaction's watch from before is gone. */
  connection(): number {
    return this.client.connection();
  }

  /** Resolves once the node answers; ChainUnavailable while it does not. */
  async reachable(): Promise<void> {
    await this.guard(() => this.client.ready());
  }

  async finalizedNumber(): Promise<number> {
    return this.guard(async (api) => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber());
  }

  async blockNumber(blockHash: string): Promise<number> {
    return this.guard(async (api) => (await api.rpc.chain.getHeader(blockHash)).number.toNumber());
  }

  /** The pool's price (RAO per alpha, weight-adjusted by the runtime) and the alpha `amount` would buy now. */
  quote(netuid: number, amountRao: bigint): Promise<Quote> {
    return this.guard(async (api) => {
      const swap = api.call.swapRuntimeApi!;
      const [price, sim] = await Promise.all([swap.currentAlphaPrice!(netuid), swap.simSwapTaoForAlpha!(netuid, amountRao)]);
      const alpha = (sim as unknown as { alphaAmount: Codec }).alphaAmount;
      return { priceRao: BigInt(price.toString()), expectedAlpha: BigInt(alpha.toString()), specVersion: api.runtimeVersion.specVersion.toNumber() };
    });
  }

  freeBalance(address: string): Promise<bigint> {
    return this.guard(async (api) => {
      const account = (await api.query.system!.account!(address)) as unknown as { data: { free: Codec } };
      return BigInt(account.data.free.toString());
    });
  }

  /**
   * Signs without sending: the caller stores hash, nonce and bytes first. The era is built from the
   * finalized header read here and the signature names that header's hash, so the era recorded is
   * the era signed: left to itself, signAsync reads its own header a moment later, and a block
   * finalized in between would make the recorded expiry one period early.
   */
  sign(pair: KeyringPair, args: BurnArgs): Promise<SignedBurn> {
    return this.guard(async (api) => {
      const tx = burnExtrinsic(api, args);
      const nonce = args.nonce ?? (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
      const header = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
      const current = header.number.toNumber();
      const era = api.createType('ExtrinsicEra', { current, period: args.eraPeriod });
      await tx.signAsync(pair, { era, blockHash: header.hash, nonce });
      const mortal = tx.era.asMortalEra;
      return { hex: tx.toHex(), hash: tx.hash.toHex(), nonce, eraBirth: mortal.birth(current), expiresAt: mortal.death(current) };
    });
  }

  /**
   * Sends the stored bytes and reports the pool's status updates; the promise settles when the
   * node has accepted or refused (a refusal is the node's RPC error), or fails with
   * ChainUnavailable when the request may not have reached it.
   */
  submit(hex: string, onStatus: (update: StatusUpdate) => void): Promise<() => void> {
    return this.guard((api) =>
      api.rpc.author.submitAndWatchExtrinsic(api.createType('Extrinsic', hex), (status: ExtrinsicStatus) => onStatus(toUpdate(status))),
    );
  }

  /** Sends the stored bytes without watching them (author_submitExtrinsic); a refusal is the node's RPC error. */
  async resend(hex: string): Promise<void> {
    await this.guard((api) => api.rpc.author.submitExtrinsic(api.createType('Extrinsic', hex)));
  }

  /** Looks for an extrinsic with one of `hashes` in the blocks `from`..`to` (inclusive); block number + index identify it. */
  find(hashes: string[], from: number, to: number): Promise<Inclusion | null> {
    return this.guard(async (api) => {
      for (let n = from; n <= to; n++) {
        const blockHash = (await api.rpc.chain.getBlockHash(n)).toHex();
        const block = await api.rpc.chain.getBlock(blockHash);
        const index = block.block.extrinsics.findIndex((ex) => hashes.includes(ex.hash.toHex()));
        if (index >= 0) return { blockNumber: n, blockHash, index, hash: block.block.extrinsics[index]!.hash.toHex() };
      }
      return null;
    });
  }

  outcome(blockHash: string, index: number): Promise<ChainOutcome> {
    return this.guard((api) => readOutcome(api, blockHash, index));
  }

  /** The Balances.Transfer events of the extrinsic at `blockNumber`-`index`, and whether that block is finalized. */
  transfer(blockNumber: number, index: number): Promise<ChainTransfer | null> {
    return this.guard((api) => readTransfer(api, blockNumber, index));
  }

  private async guard<T>(work: (api: ApiPromise) => Promise<T>): Promise<T> {
    try {
      return await work(await this.client.ready());
    } catch (error) {
      throw this.client.classify(error);
    }
  }
}

function toUpdate(status: ExtrinsicStatus): StatusUpdate {
  if (status.isInBlock) return { kind: 'in_block', blockHash: status.asInBlock.toHex() };
  if (status.isFinalized) return { kind: 'finalized', blockHash: status.asFinalized.toHex() };
  if (status.isReady || status.isFuture) return { kind: 'ready' };
  if (status.isBroadcast) return { kind: 'broadcast' };
  // Dropped, invalid, usurped, retracted or a finality timeout: only the chain can say what happened.
  return { kind: 'gone' };
}
