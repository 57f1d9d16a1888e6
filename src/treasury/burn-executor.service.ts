import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ChainUnavailable, chainEnv } from '../chain/index.js';
import { newId } from '../platform/http/ids.js';
import { acquireLease, type HeldLease } from '../platform/database/lease.js';
import { Burn, UNRESOLVED } from './burn.entity.js';
import { AllocationsService } from './allocations.service.js';
import { BurnAllocation } from './burn-allocation.entity.js';
import { anchorOf, nextAnchor } from './burn-anchors.js';
import { BurnAnchor } from './burn-anchor.entity.js';
import { allocationsHash, memoText } from './burn-memo.js';
import { BurnPolicies, CHAIN_MINIMUM_RAO } from './burn-policies.service.js';
import { planBurn } from './burn-planner.js';
import { BurnStore } from './burn-store.js';
import { BurnChain, type Inclusion, type StatusUpdate } from './chain/burn-chain.js';
import { TreasuryKey } from './treasury-key.service.js';
import { burnsLive, treasuryEnv } from './treasury.env.js';

const RAO_PER_ALPHA = 1_000_000_000n;
/** A lease row (platform/database/lease.ts): one burn run at a time across every worker process, behind PgBouncer too. */
const LEASE = 'treasury:burn-run';
/** The failure reason of a burn the node could not be reached for before anything was signed. */
const CHAIN_UNAVAILABLE = 'chain_unavailable';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export interface BurnRun {
  /** The burn this run planned (dry_run or live), or null when nothing was due or another run holds the lease. */
  burn: Burn | null;
  reason: 'planned' | 'nothing_to_burn' | 'busy' | 'waiting_for_unresolved';
  /** Settles when the run is over (the live burn finalized, failed or expired, and its one retry). */
  done: Promise<Burn[]>;
}

/**
 * Runs the buy-and-burn: first reconciles every unresolved burn with the chain, then plans the
 * next one and, when live, quotes, signs (storing hash, nonce and bytes before anything is sent),
 * submits and follows it to finality or to the end of its mortal era.
 */
@Injectable()
export class BurnExecutor implements OnModuleDestroy {
  private readonly logger = new Logger(BurnExecutor.name);
  private stopping = false;
  /** The lease of the run in progress in this process: planning a burn is fenced with it. */
  private lease: HeldLease | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: BurnStore,
    private readonly chain: BurnChain,
    private readonly allocations: AllocationsService,
    private readonly key: TreasuryKey,
    private readonly policies: BurnPolicies,
  ) {}

  /**
   * A burn being followed is left as it is: the next start reconciles it with the chain. The lease
   * goes at once, so another worker need not wait for it to expire (a killed worker's lease does expire).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.lease?.release();
  }

  /** Live only with TREASURY_BURNS_LIVE, a chain endpoint and a hotkey (the key was checked at start); otherwise every burn is a dry run. */
  live(): boolean {
    return burnsLive(this.chain.configured());
  }

  async run(): Promise<BurnRun> {
    const lease = await acquireLease(this.db, LEASE);
    if (!lease) return { burn: null, reason: 'busy', done: Promise.resolve([]) };
    this.lease = lease;
    const unlock = async () => {
      if (this.lease === lease) this.lease = null;
      await lease.release();
    };
    try {
      await this.allocations.sweep();
      if (!this.live()) {
        const burn = await this.plan('dry_run', null);
        await unlock();
        return { burn, reason: burn ? 'planned' : 'nothing_to_burn', done: Promise.resolve(burn ? [burn] : []) };
      }
      const { unresolved, retry } = await this.reconcile();
      if (unresolved.length) {
        // Nothing new is signed while an older transaction may still land: follow those to the end first.
        const done = (async () => {
          for (const b of unresolved) await this.follow(b);
          return [] as Burn[];
        })().finally(unlock);
        done.catch((e: Error) => this.logger.error(`reconciling stopped: ${e.message}; the next run continues`));
        return { burn: null, reason: 'waiting_for_unresolved', done };
      }
      // Nothing is planned while the node cannot be reached: the funds stay free and the caller hears why.
      await this.chain.reachable();
      const burn = await this.plan('planned', retry);
      if (!burn) {
        await unlock();
        return { burn: null, reason: 'nothing_to_burn', done: Promise.resolve([]) };
      }
      const done = this.executeWithRetry(burn).finally(unlock);
      done.catch((e: Error) => this.logger.error(`burn ${burn.id} stopped: ${e.message}; the next run reconciles it`));
      return { burn, reason: 'planned', done };
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /**
   * Settles every burn that has (or may have) a transaction: found on chain → its outcome; provably
   * dead (era over, not in any block it could have entered) → expired. Returns those that may
   * still be included, and an expired first attempt to retry.
   */
  async reconcile(): Promise<{ unresolved: Burn[]; retry: Burn | null }> {
    let retry: Burn | null = null;
    const unresolved: Burn[] = [];
    for (const planned of await this.store.inStates(['planned'])) {
      // Planned but never signed (a crash before signing): nothing can be on chain, so it is released.
      await this.store.transition(planned.id, ['planned'], 'failed', { failureReason: 'abandoned_before_signing' });
    }
    for (const burn of await this.store.inStates(UNRESOLVED)) {
      // With the node unreachable it stays unresolved: following it waits for the node.
      const settled = await this.settleFromChain(burn).catch((e: unknown) => {
        if (e instanceof ChainUnavailable) return burn;
        throw e;
      });
      if (UNRESOLVED.includes(settled.status)) unresolved.push(settled);
      else if (settled.status === 'expired' && settled.attempt === 1 && !(await this.db.getRepository(Burn).existsBy({ retryOf: settled.id }))) retry = settled;
    }
    return { unresolved, retry };
  }

  private async executeWithRetry(first: Burn): Promise<Burn[]> {
    const out = [await this.execute(first)];
    let last = out[0]!;
    if (last.status === 'failed' && last.failureReason?.startsWith(CHAIN_UNAVAILABLE)) {
      // Nothing was signed, so its funds are free again: plan them anew once the node answers.
      await this.waitForChain();
      const again = await this.plan('planned', null);
      if (!again) return out;
      out.push((last = await this.execute(again)));
    }
    if (last.status === 'expired' && last.attempt === 1) {
      const again = await this.plan('planned', last);
      if (again) out.push(await this.execute(again));
    }
    return out;
  }

  /**
   * Plans and records the next burn with the allocations it covers, in one transaction; a live one
   * also takes the oldest closed period not yet on chain, whose statement and Merkle root its memo carries.
   */
  private plan(status: 'dry_run' | 'planned', retryOf: Burn | null): Promise<Burn | null> {
    const env = treasuryEnv.get();
    const lease = this.lease;
    return this.db.transaction(async (manager) => {
      // Only the lease's current holder commits funds to a burn: a run that lost it (paused past its expiry) plans nothing.
      if (!lease) throw new Error('a burn is planned only within a run');
      await lease.fenced(manager);
      const policy = await this.policies.inEffect(manager);
      const floor = CHAIN_MINIMUM_RAO + env.TREASURY_FEE_RESERVE_RAO;
      const minimum = BigInt(policy.minBurnRao) > floor ? BigInt(policy.minBurnRao) : floor;
      const plan = await planBurn(manager, minimum, env.TREASURY_MAX_BURN_RAO);
      if (!plan) return null;
      const id = newId('burn');
      const burn = manager.getRepository(Burn).create({
        id,
        status,
        attempt: retryOf ? retryOf.attempt + 1 : 1,
        retryOf: retryOf?.id ?? null,
        amountRao: plan.amountRao.toString(),
        coveredMinor: plan.coveredMinor.toString(),
        currency: plan.currency,
        netuid: chainEnv.get().SUBNET_NETUID,
        hotkey: env.TREASURY_HOTKEY ?? null,
        memoHash: allocationsHash(plan.allocations),
      });
      await manager.insert(Burn, burn);
      if (plan.allocations.length)
        await manager.insert(
          BurnAllocation,
          plan.allocations.map((a) => ({ burnId: id, allocationId: a.allocationId, amountMinor: a.amountMinor.toString() })),
        );
      const anchor = status === 'planned' && env.TREASURY_ONCHAIN_MEMO ? await nextAnchor(manager) : null;
      if (anchor) await manager.insert(BurnAnchor, { burnId: id, ...anchor });
      return manager.getRepository(Burn).findOneByOrFail({ id });
    });
  }

  private async execute(burn: Burn): Promise<Burn> {
    let prepared: Burn;
    try {
      prepared = await this.quoteAndSign(burn);
    } catch (e) {
      if (!(e instanceof ChainUnavailable)) throw e;
      // Nothing was signed, so nothing can land: the burn ends here with the reason and its funds are released.
      return this.store.transition(burn.id, ['planned'], 'failed', { failureReason: `${CHAIN_UNAVAILABLE}: ${e.message}` });
    }
    return prepared.status === 'signed' ? this.follow(prepared) : prepared;
  }

  /** Quotes, checks and signs; the bytes, hash and nonce are stored (status signed) before anything is sent. */
  private async quoteAndSign(burn: Burn): Promise<Burn> {
    const env = treasuryEnv.get();
    const { pair, real } = this.key.get();
    const coldkey = real ?? pair.address;
    const amount = BigInt(burn.amountRao);
    const quote = await this.chain.quote(burn.netuid, amount);
    const { maxSlippageBps } = await this.policies.inEffect();
    const limit = (quote.priceRao * BigInt(10_000 + maxSlippageBps)) / 10_000n;
    const quoted = {
      signer: pair.address,
      coldkey: real,
      priceRao: quote.priceRao.toString(),
      limitPriceRao: limit.toString(),
      expectedAlpha: quote.expectedAlpha.toString(),
      specVersion: quote.specVersion,
    };
    const simulatedPrice = quote.expectedAlpha > 0n ? (amount * RAO_PER_ALPHA) / quote.expectedAlpha : null;
    if (simulatedPrice === null || simulatedPrice > limit)
      return this.store.transition(burn.id, ['planned'], 'failed', { ...quoted, failureReason: 'simulated_slippage_too_high' });
    // The coldkey pays the burn; the signer pays the fee (the same account when the coldkey signs itself).
    const free = await this.chain.freeBalance(coldkey);
    const needed = real ? amount : amount + env.TREASURY_FEE_RESERVE_RAO;
    if (free < needed) return this.store.transition(burn.id, ['planned'], 'failed', { ...quoted, failureReason: `insufficient_balance: free ${free} RAO` });
    if (real) {
      const fees = await this.chain.freeBalance(pair.address);
      if (fees < env.TREASURY_FEE_RESERVE_RAO)
        return this.store.transition(burn.id, ['planned'], 'failed', {
          ...quoted,
          failureReason: `insufficient_fee_balance: proxy ${pair.address} has ${fees} RAO`,
        });
    }
    const memo = env.TREASURY_ONCHAIN_MEMO ? memoText(burn.id, burn.memoHash!, await anchorOf(this.db.manager, burn.id)) : null;
    // A retry takes its expired attempt's nonce: were that attempt alive after all, only one of the two could land.
    const original = burn.retryOf ? await this.store.get(burn.retryOf) : null;
    const nonce = original?.nonce ?? undefined;
    const signed = await this.chain.sign(pair, {
      hotkey: burn.hotkey!,
      netuid: burn.netuid,
      amountRao: amount,
      limitPriceRao: limit,
      memo,
      real,
      eraPeriod: env.TREASURY_ERA_PERIOD,
      nonce,
    });
    return this.store.transition(burn.id, ['planned'], 'signed', {
      ...quoted,
      nonce: signed.nonce,
      extrinsicHash: signed.hash,
      signedExtrinsic: signed.hex,
      eraBirthBlock: String(signed.eraBirth),
      expiresAtBlock: String(signed.expiresAt),
    });
  }

  /** Polls until the node answers; nothing is at stake meanwhile (no transaction exists). */
  private async waitForChain(): Promise<void> {
    for (;;) {
      if (this.stopping) throw new Error('shutting down while waiting for the chain');
      if (!this.lease || this.lease.lost) throw new Error('the burn run lease was lost while waiting for the chain');
      try {
        return await this.chain.reachable();
      } catch (e) {
        if (!(e instanceof ChainUnavailable)) throw e;
      }
      await pause(treasuryEnv.get().TREASURY_POLL_MS);
    }
  }

  /**
   * Sends the stored bytes and waits until the chain settles the burn: finalized, failed or
   * expired. The bytes are sent again on every new connection — after a restart of ours, or when
   * the node dropped the connection: the transaction's watch is gone with the old connection, and a
   * node that restarted may have lost it from its pool. One transaction and one nonce can land only
   * once, so sending it again never burns twice. While the node is unreachable it keeps waiting.
   */
  private async follow(burn: Burn): Promise<Burn> {
    if (burn.status === 'signed') burn = await this.store.transition(burn.id, ['signed'], 'submitted');
    let finalizedIn: string | null = null;
    const onStatus = (u: StatusUpdate) => {
      if (u.kind === 'in_block') void this.markInBlock(burn, u.blockHash).catch(() => undefined);
      if (u.kind === 'finalized') finalizedIn = u.blockHash;
    };
    let sentOn: number | null = null;
    let unwatch = () => {};
    let unreachable = false;
    try {
      for (;;) {
        try {
          const connection = this.chain.connection();
          if (sentOn !== connection) {
            unwatch();
            unwatch = await this.send(burn, sentOn === null ? onStatus : null);
            sentOn = connection;
          }
          const settled = await this.settleFromChain((await this.store.get(burn.id))!, finalizedIn);
          if (!UNRESOLVED.includes(settled.status)) return settled;
          unreachable = false;
        } catch (e) {
          if (!(e instanceof ChainUnavailable)) throw e;
          if (!unreachable) this.logger.warn(`burn ${burn.id}: ${e.message}; following it again once the node answers`);
          unreachable = true;
        }
        await pause(treasuryEnv.get().TREASURY_POLL_MS);
        if (this.stopping) throw new Error('shutting down while following the burn');
        // Another worker holds the run now and follows this burn itself.
        if (!this.lease || this.lease.lost) throw new Error('the burn run lease was lost while following the burn');
      }
    } finally {
      unwatch();
    }
  }

  /**
   * Sends with a watch the first time, and without one after that: @polkadot/api answers an
   * identical watch from its cache for a while after the last one was dropped, so the bytes would
   * never reach the node again. A refusal is the node's answer (already included, already in its
   * pool, or dead): the chain is followed instead.
   */
  private async send(burn: Burn, onStatus: ((u: StatusUpdate) => void) | null): Promise<() => void> {
    try {
      if (onStatus) return await this.chain.submit(burn.signedExtrinsic!, onStatus);
      await this.chain.resend(burn.signedExtrinsic!);
      return () => undefined;
    } catch (e) {
      if (e instanceof ChainUnavailable) throw e;
      this.logger.warn(`burn ${burn.id}: node refused the submission (${(e as Error).message}); following the chain`);
      return () => undefined;
    }
  }

  private async markInBlock(burn: Burn, blockHash: string): Promise<void> {
    const number = await this.chain.blockNumber(blockHash);
    const found = await this.chain.find((await this.transactionsOf(burn)).hashes, number, number);
    if (found)
      await this.store.transition(burn.id, ['submitted'], 'in_block', {
        blockNumber: String(found.blockNumber),
        blockHash: found.blockHash,
        extrinsicIndex: found.index,
        extrinsicHash: found.hash,
      });
  }

  /**
   * The transactions that can settle `burn`: its own, and for a retry also its expired attempt's
   * (same nonce, so at most one lands); the blocks either could enter, and the block from which
   * neither can.
   */
  private async transactionsOf(burn: Burn): Promise<{ hashes: string[]; from: number; expiresAt: number }> {
    const original = burn.retryOf ? await this.store.get(burn.retryOf) : null;
    const own = { hashes: [burn.extrinsicHash!], from: Number(burn.eraBirthBlock), expiresAt: Number(burn.expiresAtBlock) };
    if (!original?.extrinsicHash || original.nonce !== burn.nonce) return own;
    return {
      hashes: [...own.hashes, original.extrinsicHash],
      from: Math.min(own.from, Number(original.eraBirthBlock)),
      expiresAt: Math.max(own.expiresAt, Number(original.expiresAtBlock)),
    };
  }

  /**
   * Asks the chain about one burn: included in a finalized block → its outcome is recorded; not in
   * any finalized block of its era and the era is over → expired. Otherwise it is left as it is.
   * A retry is settled by whichever of its transaction and its expired attempt's landed.
   */
  private async settleFromChain(burn: Burn, finalizedIn: string | null = null): Promise<Burn> {
    const head = await this.chain.finalizedNumber();
    const { hashes, from, expiresAt } = await this.transactionsOf(burn);
    let inclusion: Inclusion | null = null;
    if (finalizedIn) {
      const number = await this.chain.blockNumber(finalizedIn);
      inclusion = await this.chain.find(hashes, number, number);
    }
    inclusion ??= await this.chain.find(hashes, from, Math.min(head, expiresAt - 1));
    if (inclusion) return this.record(burn, inclusion);
    if (head >= expiresAt) return this.store.transition(burn.id, UNRESOLVED, 'expired', { failureReason: `not included before block ${expiresAt}` });
    return burn;
  }

  /** Records what landed; for a retry that may be its first attempt's transaction, whose hash it then carries. */
  private async record(burn: Burn, at: Inclusion): Promise<Burn> {
    const o = await this.chain.outcome(at.blockHash, at.index);
    const common = {
      blockNumber: String(at.blockNumber),
      blockHash: at.blockHash,
      extrinsicIndex: at.index,
      extrinsicHash: at.hash,
      feeRao: o.feeRao,
      specVersion: o.specVersion,
    };
    if (!o.success) return this.store.transition(burn.id, UNRESOLVED, 'failed', { ...common, failureReason: o.failureReason ?? 'extrinsic_failed' });
    return this.store.transition(burn.id, UNRESOLVED, 'finalized', {
      ...common,
      taoSpentRao: o.taoSpentRao,
      alphaBought: o.alphaBought,
      alphaBurned: o.alphaBurned,
      finalizedAt: new Date(),
    });
  }
}
