import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { expandMetadata, Metadata, TypeRegistry, unwrapStorageType } from '@polkadot/types';
import type { StorageEntry } from '@polkadot/types/primitive/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { FakeAuthor } from './fake-subtensor-author.js';

/** The real subtensor runtime metadata (see ../shared/chain/README.md); never copied into this repo. */
export const METADATA_FILE = resolve(process.env.SUBTENSOR_METADATA_FILE ?? '../shared/chain/subtensor-metadata-v16-spec424.scale');
export const hasMetadata = () => existsSync(METADATA_FILE);

export const GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const RUNTIME = {
  specName: 'node-subtensor',
  implName: 'node-subtensor',
  authoringVersion: 1,
  specVersion: 424,
  implVersion: 1,
  apis: [],
  transactionVersion: 1,
  stateVersion: 1,
};
const SUBSCRIPTIONS: Record<string, string> = {
  state_subscribeRuntimeVersion: 'state_runtimeVersion',
  chain_subscribeNewHeads: 'chain_newHead',
  chain_subscribeNewHead: 'chain_newHead',
  chain_subscribeFinalizedHeads: 'chain_finalizedHead',
  chain_subscribeAllHeads: 'chain_allHead',
};

export interface FakeBlock {
  number: number;
  hash: string;
  parentHash: string;
  extrinsicsRoot: string;
  /** Extrinsics as SCALE hex, the timestamp inherent first as on a real chain. */
  extrinsics: string[];
  /** System.Events at this block, encoded `Vec<FrameSystemEventRecord>`. */
  events: string | null;
}

export interface FakeSubtensorOptions {
  /**
   * Produce a block every `blockMs` on a timer, as a real node does: a submitted transaction waits
   * in the pool for the next block instead of being included at once. Without it every inclusion
   * (and `advance`) makes its own block at once.
   */
  blockMs?: number;
  /** Blocks between the best head and the finalized head (with `blockMs`); 0 finalizes each block as it is made. */
  finalityLag?: number;
}

export type Reply = (result: unknown) => void;
export type Notify = (method: string, subscription: string, result: unknown) => void;

/**
 * A subtensor node as far as @polkadot/api can tell: JSON-RPC over WebSocket with the real
 * runtime metadata and storage values SCALE-encoded with the real types. Storage is seeded
 * per key; what is not seeded reads as absent (the runtime default), so seed what a test reads.
 * It keeps the blocks it produces (with their extrinsics and events) so later reads by number
 * or hash see the same chain; `author` accepts, checks and includes signed extrinsics.
 */
export class FakeSubtensor {
  readonly registry = new TypeRegistry();
  readonly metadata: Metadata;
  readonly decorated: ReturnType<typeof expandMetadata>;
  readonly author: FakeAuthor;
  private readonly metadataHex: string;
  private readonly storage = new Map<string, string>();
  private readonly blocks: FakeBlock[] = [];
  private readonly eventsKey: string;
  private readonly runtimeCalls = new Map<string, (args: string) => string>();
  private server?: WebSocketServer;
  private nextSub = 1;
  /** The finalized head. */
  block = { number: 4_199_990, hash: '' };
  /** The best (newest) block; ahead of `block` by up to the finality lag. */
  best = { number: 4_199_990, hash: '' };
  /** While set, new blocks are not finalized on an untimed node: `finalize` moves the head. */
  finalityHeld = false;
  /** The block hash every storage read asked for, in order. */
  readonly readsAt: unknown[] = [];
  /** Every JSON-RPC method called, in order. */
  readonly calls: string[] = [];
  /** WebSocket connections accepted since the node was made, over every start. */
  connections = 0;
  /** One-shot outages armed by `goDownOn`, checked on every request. */
  private readonly traps: { match: (method: string, params: unknown[]) => boolean; when: 'before' | 'after'; down: () => void }[] = [];
  /** One-shot actions armed by `afterAnswer`. */
  private readonly hooks: { match: (method: string, params: unknown[]) => boolean; run: () => void }[] = [];
  private port = 0;
  private timer?: NodeJS.Timeout;
  /** Block 0's timestamp (Unix ms); each block is 12 s after its parent. `dateBlocksFrom` moves it. */
  private epoch = 1_790_000_000_000;

  constructor(readonly options: FakeSubtensorOptions = {}) {
    const bytes = readFileSync(METADATA_FILE);
    this.metadata = new Metadata(this.registry, bytes);
    this.registry.setMetadata(this.metadata);
    this.metadataHex = u8aToHex(bytes);
    this.decorated = expandMetadata(this.registry, this.metadata);
    this.eventsKey = this.storageKey('system', 'events', []);
    this.author = new FakeAuthor(this);
    // A short history, so a parent header and a recent era birth block can be read.
    for (let i = 0; i <= 10; i++) this.produce([]);
  }

  storageKey(pallet: string, item: string, args: unknown[]): string {
    const entry = this.decorated.query[pallet]![item] as StorageEntry;
    return u8aToHex(compactStripLength(entry(...args))[1]);
  }

  /** Sets `pallet.item(args)` to `value`, encoded with the item's own type from the metadata. */
  set(pallet: string, item: string, args: unknown[], value: unknown): void {
    const entry = this.decorated.query[pallet]![item] as StorageEntry;
    // toU8a, not toHex: a number's toHex is big-endian, storage holds SCALE (little-endian).
    this.storage.set(this.storageKey(pallet, item, args), u8aToHex(this.registry.createType(unwrapStorageType(this.registry, entry.meta.type), value).toU8a()));
  }

  /** Answers the runtime API `method` (e.g. SwapRuntimeApi_current_alpha_price) with `answer(argsHex)` → SCALE hex. */
  onRuntimeCall(method: string, answer: (args: string) => string): void {
    this.runtimeCalls.set(method, answer);
  }

  /** `by` new empty blocks on top (finalized at once unless the node runs on a timer). */
  advance(by = 1): void {
    for (let i = 0; i < by; i++) this.produce([]);
  }

  /**
   * Dates the next block's timestamp inherent at `ms` (Unix ms) and each after it 12 s later, e.g.
   * to make a transfer land in a given month. Earlier blocks keep their dates.
   */
  dateBlocksFrom(ms: number): void {
    this.epoch = ms - (this.best.number + 1) * 12_000;
  }

  /** Whether blocks come from the running timer: the pool then waits for the next tick. */
  get timed(): boolean {
    return Boolean(this.timer);
  }

  /** Moves the finalized head up to block `number` (never back). */
  finalize(number: number): void {
    const target = this.blockAt(Math.min(number, this.best.number));
    if (!target || target.number <= this.block.number) return;
    this.block = { number: target.number, hash: target.hash };
    this.author.onFinalized(target);
  }

  /**
   * Runs `run` once, just after the node has answered the next request `match` accepts: e.g. a
   * block finalized between two reads of the finalized head.
   */
  afterAnswer(match: string | ((method: string, params: unknown[]) => boolean), run: () => void): void {
    this.hooks.push({ match: typeof match === 'string' ? (m: string) => m === match : match, run });
  }

  /** One timer tick: the pool's ready transactions go into blocks (or an empty block is made), then finality follows at its lag. */
  private tick(): void {
    if (!this.author.drain()) this.produce([]);
    this.finalize(this.best.number - (this.options.finalityLag ?? 0));
  }

  /** A new block on top holding `extrinsics` after the timestamp inherent; finalized at once unless the node runs on a timer. */
  produce(extrinsics: string[], events: string | null = null): FakeBlock {
    const parent = this.blocks.at(-1);
    const number = parent ? parent.number + 1 : this.block.number;
    const timestamp = this.registry.createType('Extrinsic', this.decorated.tx.timestamp!.set!(this.epoch + number * 12_000)).toHex();
    const all = [timestamp, ...extrinsics];
    const parentHash = parent?.hash ?? blake2AsHex('before the fake chain');
    const extrinsicsRoot = blake2AsHex(all.join(''));
    // A real block hash: blake2-256 of the SCALE header, as @polkadot/api computes it when signing.
    const hash = this.registry.createType('Header', { parentHash, number, stateRoot: blake2AsHex('state'), extrinsicsRoot, digest: { logs: [] } }).hash.toHex();
    const block: FakeBlock = { number, hash, parentHash, extrinsicsRoot, extrinsics: all, events };
    this.blocks.push(block);
    this.best = { number, hash };
    // Without a running timer (the constructor's history, an untimed node) a block is final as soon as it exists.
    if (!this.timer && !this.finalityHeld) this.block = { number, hash };
    this.author.onBlock(block);
    return block;
  }

  blockAt(numberOrHash: number | string): FakeBlock | undefined {
    return this.blocks.find((b) => b.number === numberOrHash || b.hash === numberOrHash);
  }

  /** Listens on `port` (default: any free one); a stopped node can start again on the same port. */
  async start(port = 0): Promise<string> {
    this.server = new WebSocketServer({ port, host: '127.0.0.1' });
    await new Promise((r) => this.server!.once('listening', r));
    this.server.on('connection', (socket: WebSocket) => {
      this.connections++;
      socket.on('message', (data: Buffer) => this.answer(socket, data.toString()));
    });
    this.port = this.server.address().port;
    if (this.options.blockMs && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.options.blockMs);
      this.timer.unref();
    }
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Starts again on the port it last listened on, after `stop` or a trap of `goDownOn`. */
  restart(): Promise<string> {
    return this.start(this.port);
  }

  /**
   * Arms a one-shot outage: the next request `match` accepts (a method name, or a test of method
   * and params) stops the node — every connection cut, the port closed — either before it is
   * handled (the request is lost) or just after (its answer and the status updates it starts are
   * sent first). Resolves once the node is down; `restart` brings it back with its blocks and
   * accounts.
   */
  goDownOn(match: string | ((method: string, params: unknown[]) => boolean), when: 'before' | 'after'): Promise<void> {
    const test = typeof match === 'string' ? (m: string) => m === match : match;
    return new Promise((down) => this.traps.push({ match: test, when, down }));
  }

  /** Whether a request reads System.Events (what a submitter reads to learn a transaction's outcome). */
  readsEvents(method: string, params: unknown[]): boolean {
    const keys = method === 'state_queryStorageAt' ? (params[0] as string[]) : method === 'state_getStorage' ? [params[0]] : [];
    return keys.includes(this.eventsKey);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.server?.clients ?? []) c.terminate();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private header(block: FakeBlock = this.blockAt(this.best.hash)!) {
    return {
      parentHash: block.parentHash,
      number: `0x${block.number.toString(16)}`,
      stateRoot: blake2AsHex('state'),
      extrinsicsRoot: block.extrinsicsRoot,
      digest: { logs: [] },
    };
  }

  private read(key: unknown, at: unknown): string | null {
    if (key === this.eventsKey) return this.blockAt(String(at ?? this.block.hash))?.events ?? null;
    return this.storage.get(String(key)) ?? null;
  }

  private answer(socket: WebSocket, raw: string): void {
    const { id, method, params = [] } = JSON.parse(raw) as { id: number; method: string; params?: unknown[] };
    this.calls.push(method);
    const trap = this.traps.findIndex((t) => t.match(method, params));
    if (trap >= 0) {
      const [{ when, down }] = this.traps.splice(trap, 1) as [(typeof this.traps)[number]];
      const stop = () => void this.stop().then(down);
      if (when === 'before') return stop();
      // After the answer and the status updates it schedules (setImmediate) have gone out.
      setTimeout(stop, 20);
    }
    const hook = this.hooks.findIndex((h) => h.match(method, params));
    const after = hook >= 0 ? this.hooks.splice(hook, 1)[0]!.run : null;
    const reply: Reply = (result) => {
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, result }));
      after?.();
    };
    const fail = (code: number, message: string) => socket.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
    const notify: Notify = (m, subscription, result) =>
      socket.readyState === socket.OPEN && socket.send(JSON.stringify({ jsonrpc: '2.0', method: m, params: { subscription, result } }));
    const notification = SUBSCRIPTIONS[method];
    if (notification) {
      const sub = `0x${(this.nextSub++).toString(16)}`;
      reply(sub);
      const result =
        method === 'state_subscribeRuntimeVersion'
          ? RUNTIME
          : method === 'chain_subscribeFinalizedHeads'
            ? this.header(this.blockAt(this.block.hash))
            : this.header();
      notify(notification, sub, result);
      return;
    }
    if (method.includes('_unsubscribe') || method === 'author_unwatchExtrinsic') return reply(true);
    if (method === 'author_submitAndWatchExtrinsic') {
      const sub = `0x${(this.nextSub++).toString(16)}`;
      const refused = this.author.submit(String(params[0]), (result) => notify('author_extrinsicUpdate', sub, result));
      if (refused) return fail(1010, refused);
      return reply(sub);
    }
    if (method === 'author_submitExtrinsic') {
      const refused = this.author.submit(String(params[0]), () => undefined);
      return refused ? fail(1010, refused) : reply(this.registry.createType('Extrinsic', String(params[0])).hash.toHex());
    }
    if (method === 'state_queryStorageAt' || method === 'state_getStorage') this.readsAt.push(params[1]);
    const byNumberOrHash = (p: unknown) =>
      this.blockAt(typeof p === 'string' && !p.startsWith('0x') ? Number(p) : typeof p === 'string' ? p : Number(p ?? this.block.number));
    const results: Record<string, () => unknown> = {
      chain_getBlockHash: () =>
        params[0] === 0 ? GENESIS : params[0] === undefined || params[0] === null ? this.best.hash : (byNumberOrHash(params[0])?.hash ?? null),
      chain_getFinalizedHead: () => this.block.hash,
      chain_getHeader: () => {
        const b = params[0] ? this.blockAt(String(params[0])) : this.blockAt(this.best.hash);
        return b ? this.header(b) : null;
      },
      chain_getBlock: () => {
        const b = params[0] ? this.blockAt(String(params[0])) : this.blockAt(this.best.hash);
        return b ? { block: { header: this.header(b), extrinsics: b.extrinsics }, justifications: null } : null;
      },
      state_getRuntimeVersion: () => RUNTIME,
      state_getMetadata: () => this.metadataHex,
      state_call: () => {
        const answer = this.runtimeCalls.get(String(params[0]));
        if (!answer) throw new Error(`runtime call not seeded: ${String(params[0])}`);
        return answer(String(params[1] ?? '0x'));
      },
      system_chain: () => 'Bittensor',
      system_name: () => 'fake-subtensor',
      system_version: () => '0.0.0',
      system_properties: () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }),
      // As a node does: the account's nonce plus its transactions waiting in the pool.
      system_accountNextIndex: () => this.author.nextIndex(String(params[0])),
      rpc_methods: () => ({ methods: [...Object.keys(results), ...Object.keys(SUBSCRIPTIONS), 'author_submitAndWatchExtrinsic', 'author_submitExtrinsic'] }),
      state_queryStorageAt: () => [{ block: params[1] ?? this.block.hash, changes: (params[0] as string[]).map((k) => [k, this.read(k, params[1])]) }],
      state_getStorage: () => this.read(params[0], params[1]),
    };
    const run = results[method];
    if (!run) return fail(-32601, `Method not found: ${method}`);
    try {
      reply(run());
    } catch (e) {
      fail(-32000, (e as Error).message);
    }
  }
}
