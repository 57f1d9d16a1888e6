import type { Call, Extrinsic } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import type { FakeBlock, FakeSubtensor } from './fake-subtensor.js';

/** What the node does with the next submitted extrinsic. */
export type Behaviour =
  /** ready → inBlock → finalized. */
  | 'include'
  /** Included in a block a moment later, but the submitter hears only 'ready' (its process "crashes" before it records more). */
  | 'include-silently'
  /** 'ready', then it stays in the pool until its era ends and is never included. */
  | 'never'
  /** 'ready', then it waits in the pool, valid until its era ends, until `release()`: a node slow to include it. */
  | 'hold';

/** A transaction the pool accepted and has not included. */
export interface Pooled {
  ex: Extrinsic;
  hex: string;
  hash: string;
  signer: string;
  nonce: number;
  /** The first block it can no longer be included in. */
  death: number;
  behaviour: Exclude<Behaviour, 'include-silently'>;
  update: (status: unknown) => void;
}

export interface Submission {
  hash: string;
  hex: string;
  signer: string;
  nonce: number;
  call: string;
}

const FEE_RAO = 123_456n;
/**
 * The proxy types of subtensor 424 whose filter lets SubtensorModule::add_stake_burn through
 * (runtime/src/lib.rs, define_proxy_filters!): Any, and the deny lists that do not name it.
 */
const PASSES_BURN = new Set(['Any', 'NonTransfer', 'NonFungible', 'NonCritical']);

type ModuleFailure = { pallet: string; error: string };

const isBurn = (c: Call) => c.section === 'subtensorModule' && c.method === 'addStakeBurn';

/** A MultiAddress argument as SS58 (its Id variant). */
function addressOf(address: Codec): string {
  const json = address.toJSON() as { id?: string } | string;
  return typeof json === 'object' && json?.id ? json.id : address.toString();
}
const RAO = 1_000_000_000n;

/**
 * The transaction side of the fake node: checks a submitted extrinsic the way a node's pool would
 * (signature over the real signing payload, era, nonce), then includes it in a new block with the
 * events subtensor 424 emits for add_stake_burn, encoded with the real types.
 */
export class FakeAuthor {
  /** Behaviours for the next submissions, in order; 'include' once they run out. */
  readonly next: Behaviour[] = [];
  readonly submissions: Submission[] = [];
  /** RAO per alpha. */
  price = 5_000_000n;
  /** How far a swap of any size moves the price, in basis points (what sim_swap reports). */
  impactBps = 30n;
  /** An extra move between simulation and inclusion for the next transactions (a market that ran away). */
  moveBeforeInclusionBps = 0n;
  private readonly accounts = new Map<string, { free: bigint; nonce: number }>();
  /** Transactions accepted and not (yet) included, with who watches them. */
  private readonly pool: Pooled[] = [];
  /** Included transactions whose watchers still wait to hear they are finalized. */
  private readonly unfinalized: { block: FakeBlock; update: (status: unknown) => void }[] = [];

  constructor(private readonly node: FakeSubtensor) {
    const swap = node.metadata.asLatest.apis.find((a) => a.name.toString() === 'SwapRuntimeApi')!;
    const simType = node.registry.createLookupType(swap.methods.find((m) => m.name.toString() === 'sim_swap_tao_for_alpha')!.output);
    node.onRuntimeCall('SwapRuntimeApi_current_alpha_price', () => this.encode('u64', this.price));
    node.onRuntimeCall('SwapRuntimeApi_sim_swap_tao_for_alpha', (args) => {
      const [, tao] = this.decodeArgs(args, ['u16', 'u64']);
      const alpha = this.alphaFor(BigInt(tao!.toString()), 0n);
      return this.encode(simType, { taoAmount: tao, alphaAmount: alpha, taoFee: 0, alphaFee: 0, taoSlippage: 0, alphaSlippage: 0 });
    });
  }

  /** Sets the free balance of `address` (and keeps its nonce). */
  fund(address: string, free: bigint): void {
    const account = this.accounts.get(address) ?? { free: 0n, nonce: 0 };
    account.free = free;
    this.accounts.set(address, account);
    this.writeAccount(address);
  }

  balanceOf(address: string): bigint {
    return this.accounts.get(address)?.free ?? 0n;
  }

  nonceOf(address: string): number {
    return this.accounts.get(address)?.nonce ?? 0;
  }

  /** system_accountNextIndex: the account's nonce, plus each of its transactions waiting in the pool with the nonces that follow. */
  nextIndex(address: string): number {
    let next = this.nonceOf(address);
    while (this.pool.some((p) => p.signer === address && p.nonce === next)) next++;
    return next;
  }

  /** Transactions waiting in the pool (held, never to be included, or waiting for an earlier nonce). */
  pooled(): readonly Pooled[] {
    return this.pool;
  }

  /** Lets every held transaction be included, as a node would in its next blocks. */
  release(): void {
    for (const p of this.pool) if (p.behaviour === 'hold') p.behaviour = 'include';
    if (!this.node.timed) this.drain();
  }

  /**
   * Checks and accepts `hex`; returns the pool's refusal, or null and reports status through
   * `update`. `record` false keeps it out of `submissions` and `next` (a test's own transfer, not the treasury's).
   */
  submit(hex: string, update: (status: unknown) => void, record = true): string | null {
    const ex = this.node.registry.createType('Extrinsic', hex);
    if (!ex.isSigned) return 'Invalid Transaction: unsigned';
    const signer = ex.signer.toString();
    const current = this.node.best.number;
    const era = ex.era.isMortalEra ? ex.era.asMortalEra : null;
    const birth = era ? this.node.blockAt(era.birth(current)) : this.node.blockAt(this.node.best.hash);
    // An era past its end names a newer birth block, so its signature fails below, as on a real node.
    if (!birth) return 'Invalid Transaction: Transaction has an ancient birth block';
    if (!this.signatureValid(ex, era ? birth.hash : (this.node.blockAt(this.node.best.number) ?? birth).hash))
      return 'Invalid Transaction: Transaction has a bad signature';
    const nonce = ex.nonce.toNumber();
    const hash = ex.hash.toHex();
    if (nonce < this.nonceOf(signer)) return 'Invalid Transaction: Transaction is outdated';
    if (nonce > this.nextIndex(signer)) return 'Invalid Transaction: Transaction will be valid in the future';
    // The same bytes again replace their pool entry (the tests' way of saying the node lost and re-accepted them).
    const same = this.pool.findIndex((p) => p.hash === hash);
    if (same >= 0) this.pool.splice(same, 1);
    // Another transaction with a nonce already in the pool: a node keeps the first unless the new one pays more.
    if (this.pool.some((p) => p.signer === signer && p.nonce === nonce)) return 'Priority is too low: (1 vs 1)';
    if (record) this.submissions.push({ hash, hex, signer, nonce, call: `${ex.method.section}.${ex.method.method}` });
    // The behaviours armed for the treasury's transactions are not spent on a test's own transfer.
    const behaviour = (record ? this.next.shift() : undefined) ?? 'include';
    const entry: Pooled = {
      ex,
      hex,
      hash,
      signer,
      nonce,
      death: era ? era.death(current) : Number.MAX_SAFE_INTEGER,
      behaviour: behaviour === 'include-silently' ? 'hold' : behaviour,
      update,
    };
    this.pool.push(entry);
    setImmediate(() => {
      update('ready');
      if (behaviour === 'include-silently') {
        // Its submitter hears nothing more: the watch is dropped before the block.
        entry.update = () => undefined;
        setTimeout(() => {
          entry.behaviour = 'include';
          if (!this.node.timed) this.drain();
        }, 200);
        return;
      }
      if (!this.node.timed) this.drain();
    });
    return null;
  }

  /**
   * Includes every pool transaction that may go in now (behaviour 'include', its nonce the
   * account's next), each in a block of its own, until none is left; a transaction whose nonce was
   * used meanwhile is dropped as a node drops it. Returns how many were included.
   */
  drain(): number {
    let made = 0;
    for (;;) {
      const stale = this.pool.findIndex((p) => p.nonce < this.nonceOf(p.signer));
      if (stale >= 0) {
        const [gone] = this.pool.splice(stale, 1);
        gone!.update('invalid');
        continue;
      }
      const ready = this.pool.findIndex((p) => p.behaviour === 'include' && p.nonce === this.nonceOf(p.signer));
      if (ready < 0) return made;
      const [entry] = this.pool.splice(ready, 1);
      const block = this.include(entry!.ex);
      made++;
      entry!.update({ inBlock: block.hash });
      if (this.node.block.number >= block.number) entry!.update({ finalized: block.hash });
      else this.unfinalized.push({ block, update: entry!.update });
    }
  }

  /** The finalized head moved to `head`: the watchers of transactions in blocks up to it hear so. */
  onFinalized(head: FakeBlock): void {
    for (let i = 0; i < this.unfinalized.length; ) {
      const u = this.unfinalized[i]!;
      if (u.block.number > head.number) i++;
      else {
        this.unfinalized.splice(i, 1);
        u.update({ finalized: u.block.hash });
      }
    }
  }

  /** Called for every new block: transactions whose era ended leave the pool unincluded. */
  onBlock(block: FakeBlock): void {
    for (let i = this.pool.length - 1; i >= 0; i--) if (block.number >= this.pool[i]!.death) this.pool.splice(i, 1);
  }

  private signatureValid(ex: Extrinsic, blockHash: string): boolean {
    const sig = ex.inner.signature as unknown as Record<string, Codec | undefined>;
    const payload = this.node.registry.createType(
      'ExtrinsicPayload',
      {
        method: ex.method.toHex(),
        era: ex.era,
        nonce: ex.nonce,
        tip: ex.tip,
        mode: sig.mode,
        assetId: sig.assetId,
        specVersion: 424,
        transactionVersion: 1,
        genesisHash: this.node.registry.createType('Hash', '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03'),
        blockHash,
      },
      { version: ex.type },
    );
    const bytes = payload.toU8a({ method: true });
    const message = bytes.length > 256 ? blake2AsU8a(bytes) : bytes;
    return signatureVerify(message, ex.signature.toU8a(), ex.signer.toString()).isValid;
  }

  /** Includes `ex` (its nonce the account's next: the caller checked) in a new block. */
  private include(ex: Extrinsic): FakeBlock {
    const signer = ex.signer.toString();
    const account = this.accounts.get(signer) ?? { free: 0n, nonce: 0 };
    account.nonce += 1;
    this.accounts.set(signer, account);
    const index = 1;
    const phase = { ApplyExtrinsic: index };
    const records: unknown[] = [{ phase: { ApplyExtrinsic: 0 }, event: this.event('system', 'ExtrinsicSuccess', [{}]), topics: [] }];
    const push = (section: string, method: string, args: unknown[]) => records.push({ phase, event: this.event(section, method, args), topics: [] });
    const fee = FEE_RAO;
    account.free -= fee;
    let failure: ModuleFailure | null = null;
    const calls = ex.method.section === 'utility' ? (ex.method.args[0] as unknown as Call[]) : [ex.method as unknown as Call];
    for (const call of calls) {
      if (call.section === 'proxy' && call.method === 'proxy') {
        const [realArg, forceType, inner] = call.args as unknown as [Codec, Codec, Call];
        const real = addressOf(realArg);
        const wanted = forceType.toJSON() as string | null;
        const proxy = this.proxiesOf(real).find((p) => p.delegate === signer && (wanted === null || p.type === wanted));
        // Not a proxy (or not of the forced type): the outer call fails, as pallet_proxy's NotProxy does.
        if (!proxy) {
          failure = { pallet: 'proxy', error: 'NotProxy' };
          break;
        }
        // The proxy pallet dispatches the inner call filtered by the proxy type; ProxyExecuted carries its result.
        const innerFailure = PASSES_BURN.has(proxy.type) || !isBurn(inner) ? this.apply(inner, real, push) : { pallet: 'system', error: 'CallFiltered' };
        push('proxy', 'ProxyExecuted', [innerFailure ? { Err: this.moduleError(innerFailure) } : { Ok: null }]);
        continue;
      }
      failure = this.apply(call, signer, push);
      if (failure) break;
    }
    if (failure) {
      // The call (and a batch_all with it) is reverted: only the fee and the failure remain.
      records.splice(1);
      push('transactionPayment', 'TransactionFeePaid', [signer, fee, 0]);
      push('system', 'ExtrinsicFailed', [this.moduleError(failure), {}]);
    } else {
      push('transactionPayment', 'TransactionFeePaid', [signer, fee, 0]);
      push('system', 'ExtrinsicSuccess', [{}]);
    }
    for (const a of this.accounts.keys()) this.writeAccount(a);
    const events = u8aToHex(this.node.registry.createType('Vec<FrameSystemEventRecord>', records).toU8a());
    return this.node.produce([ex.toHex()], events);
  }

  /** Coldkeys' proxies, as Proxy.add_proxy records them (delegate, proxy type). */
  private readonly proxies = new Map<string, { delegate: string; type: string }[]>();

  /** Registers `delegate` as a `type` proxy of `real` (what Proxy.add_proxy signed by `real` does). */
  addProxy(real: string, delegate: string, type: string): void {
    this.proxies.set(real, [...this.proxiesOf(real), { delegate, type }]);
  }

  /** Proxy.remove_proxy: the delegate can no longer act for `real`. */
  removeProxy(real: string, delegate: string): void {
    this.proxies.set(
      real,
      this.proxiesOf(real).filter((p) => p.delegate !== delegate),
    );
  }

  private proxiesOf(real: string) {
    return this.proxies.get(real) ?? [];
  }

  /**
   * Dispatches one call as `who`: add_stake_burn (alpha bought and burned), a balance transfer, or a
   * remark; returns the module error it fails with, with no effect. Events go through `push`.
   */
  private apply(call: Call, who: string, push: (section: string, method: string, args: unknown[]) => void): ModuleFailure | null {
    const account = this.accounts.get(who) ?? { free: 0n, nonce: 0 };
    this.accounts.set(who, account);
    if (isBurn(call)) {
      const [hotkeyArg, netuidArg, amountArg, limitArg] = call.args as unknown as Codec[];
      const hotkey = hotkeyArg!.toString();
      const amount = BigInt(amountArg!.toString());
      const netuid = Number(netuidArg!.toString());
      const limitJson = limitArg!.toJSON();
      const limit = limitJson === null ? null : BigInt(String(limitJson));
      const alpha = this.alphaFor(amount, this.moveBeforeInclusionBps);
      const effectivePrice = alpha > 0n ? (amount * RAO) / alpha : 0n;
      if (account.free < amount) return { pallet: 'subtensorModule', error: 'NotEnoughBalanceToStake' };
      if (amount < 2_000_000n) return { pallet: 'subtensorModule', error: 'AmountTooLow' };
      if (limit !== null && effectivePrice > limit) return { pallet: 'subtensorModule', error: 'SlippageTooHigh' };
      account.free -= amount;
      push('subtensorModule', 'StakeAdded', [who, hotkey, amount, alpha, netuid, 0]);
      push('subtensorModule', 'AlphaBurned', [who, hotkey, alpha, netuid]);
      push('subtensorModule', 'AddStakeBurn', [netuid, hotkey, amount, alpha]);
      return null;
    }
    if (call.section === 'balances' && (call.method === 'transferKeepAlive' || call.method === 'transferAllowDeath')) {
      const [dest, value] = call.args as unknown as Codec[];
      const to = addressOf(dest!);
      const amount = BigInt(value!.toString());
      if (account.free < amount) return { pallet: 'balances', error: 'InsufficientBalance' };
      account.free -= amount;
      const target = this.accounts.get(to) ?? { free: 0n, nonce: 0 };
      target.free += amount;
      this.accounts.set(to, target);
      push('balances', 'Transfer', [who, to, amount]);
      return null;
    }
    if (call.section === 'system' && call.method === 'remarkWithEvent')
      push('system', 'Remarked', [who, u8aToHex(blake2AsU8a((call.args[0] as Codec).toU8a(true)))]);
    return null;
  }

  /** A DispatchError::Module for `failure`, with the pallet and error indices of the real metadata. */
  private moduleError(failure: ModuleFailure) {
    const pallet = this.node.metadata.asLatest.pallets.find((p) => p.name.toString().toLowerCase() === failure.pallet.toLowerCase())!;
    const errorIndex = this.node.decorated.errors[failure.pallet]![failure.error]!.meta.index.toNumber();
    return { Module: { index: pallet.index.toNumber(), error: u8aToHex(new Uint8Array([errorIndex, 0, 0, 0])) } };
  }

  /** Alpha bought for `tao` RAO: at the price moved by the swap's own impact and `extraBps`. */
  private alphaFor(tao: bigint, extraBps: bigint): bigint {
    const moved = (this.price * (10_000n + this.impactBps) * (10_000n + extraBps)) / 100_000_000n;
    return (tao * RAO) / moved;
  }

  private event(section: string, method: string, args: unknown[]): Uint8Array {
    const meta = this.node.decorated.events[section]![method]!.meta;
    const pallet = this.node.metadata.asLatest.pallets.find((p) => p.name.toString().toLowerCase() === section.toLowerCase())!;
    const fields = meta.fields.map((f, i) => this.node.registry.createTypeUnsafe(this.node.registry.createLookupType(f.type), [args[i]]).toU8a());
    return u8aConcat(new Uint8Array([pallet.index.toNumber(), meta.index.toNumber()]), ...fields);
  }

  private encode(type: string, value: unknown): string {
    return u8aToHex(this.node.registry.createTypeUnsafe(type, [value]).toU8a());
  }

  private decodeArgs(hex: string, types: string[]): Codec[] {
    return this.node.registry.createType(`(${types.join(',')})` as 'u8', hex) as unknown as Codec[];
  }

  private writeAccount(address: string): void {
    const a = this.accounts.get(address)!;
    this.node.set('system', 'account', [address], {
      nonce: a.nonce,
      consumers: 0,
      providers: 1,
      sufficients: 0,
      data: { free: a.free, reserved: 0, frozen: 0, flags: 0 },
    });
  }
}
