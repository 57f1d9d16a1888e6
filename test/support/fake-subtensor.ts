import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { expandMetadata, Metadata, TypeRegistry, unwrapStorageType } from '@polkadot/types';
import type { StorageEntry } from '@polkadot/types/primitive/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { compactStripLength, u8aToHex } from '@polkadot/util';

/** The real subtensor runtime metadata (see ../shared/chain/README.md); never copied into this repo. */
export const METADATA_FILE = resolve(process.env.SUBTENSOR_METADATA_FILE ?? '../shared/chain/subtensor-metadata-v16-spec424.scale');
export const hasMetadata = () => existsSync(METADATA_FILE);

const GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const RUNTIME = { specName: 'node-subtensor', implName: 'node-subtensor', authoringVersion: 1, specVersion: 424, implVersion: 1, apis: [], transactionVersion: 1, stateVersion: 1 };
const SUBSCRIPTIONS: Record<string, string> = {
  state_subscribeRuntimeVersion: 'state_runtimeVersion',
  chain_subscribeNewHeads: 'chain_newHead',
  chain_subscribeNewHead: 'chain_newHead',
  chain_subscribeFinalizedHeads: 'chain_finalizedHead',
  chain_subscribeAllHeads: 'chain_allHead',
};

/**
 * A subtensor node as far as @polkadot/api can tell: JSON-RPC over WebSocket with the real
 * runtime metadata and storage values SCALE-encoded with the real types. Storage is seeded
 * per key; what is not seeded reads as absent (the runtime default), so seed what a test reads.
 */
export class FakeSubtensor {
  readonly registry = new TypeRegistry();
  private readonly metadataHex: string;
  private readonly query: ReturnType<typeof expandMetadata>['query'];
  private readonly storage = new Map<string, string>();
  private server?: WebSocketServer;
  private nextSub = 1;
  block = { number: 4_200_000, hash: '' };
  /** The block hash every storage read asked for, in order. */
  readonly readsAt: unknown[] = [];

  constructor() {
    const bytes = readFileSync(METADATA_FILE);
    const metadata = new Metadata(this.registry, bytes);
    this.registry.setMetadata(metadata);
    this.metadataHex = u8aToHex(bytes);
    this.query = expandMetadata(this.registry, metadata).query;
    this.advance(0);
  }

  /** Sets `pallet.item(args)` to `value`, encoded with the item's own type from the metadata. */
  set(pallet: string, item: string, args: unknown[], value: unknown): void {
    const entry = this.query[pallet]![item] as StorageEntry;
    const [, key] = compactStripLength(entry(...args));
    // toU8a, not toHex: a number's toHex is big-endian, storage holds SCALE (little-endian).
    this.storage.set(u8aToHex(key), u8aToHex(this.registry.createType(unwrapStorageType(this.registry, entry.meta.type), value).toU8a()));
  }

  /** A new finalized block on top. */
  advance(by = 1): void {
    this.block = { number: this.block.number + by, hash: blake2AsHex(`block-${this.block.number + by}`) };
  }

  /** Listens on `port` (default: any free one); a stopped node can start again on the same port. */
  async start(port = 0): Promise<string> {
    this.server = new WebSocketServer({ port, host: '127.0.0.1' });
    await new Promise((r) => this.server!.once('listening', r));
    this.server.on('connection', (socket: WebSocket) => socket.on('message', (data: Buffer) => this.answer(socket, data.toString())));
    return `ws://127.0.0.1:${this.server.address().port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.server?.clients ?? []) c.terminate();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private header() {
    return { parentHash: blake2AsHex(`block-${this.block.number - 1}`), number: `0x${this.block.number.toString(16)}`, stateRoot: blake2AsHex('state'), extrinsicsRoot: blake2AsHex('extrinsics'), digest: { logs: [] } };
  }

  private answer(socket: WebSocket, raw: string): void {
    const { id, method, params = [] } = JSON.parse(raw) as { id: number; method: string; params?: unknown[] };
    const reply = (result: unknown) => socket.send(JSON.stringify({ jsonrpc: '2.0', id, result }));
    const notification = SUBSCRIPTIONS[method];
    if (notification) {
      const sub = `0x${(this.nextSub++).toString(16)}`;
      reply(sub);
      const result = method === 'state_subscribeRuntimeVersion' ? RUNTIME : this.header();
      socket.send(JSON.stringify({ jsonrpc: '2.0', method: notification, params: { subscription: sub, result } }));
      return;
    }
    if (method.includes('_unsubscribe')) return reply(true);
    const read = (key: unknown) => this.storage.get(String(key)) ?? null;
    if (method === 'state_queryStorageAt' || method === 'state_getStorage') this.readsAt.push(params[1]);
    const results: Record<string, () => unknown> = {
      chain_getBlockHash: () => (params[0] === 0 ? GENESIS : this.block.hash),
      chain_getFinalizedHead: () => this.block.hash,
      chain_getHeader: () => this.header(),
      state_getRuntimeVersion: () => RUNTIME,
      state_getMetadata: () => this.metadataHex,
      system_chain: () => 'Bittensor',
      system_name: () => 'fake-subtensor',
      system_version: () => '0.0.0',
      system_properties: () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }),
      rpc_methods: () => ({ methods: [...Object.keys(results), ...Object.keys(SUBSCRIPTIONS)] }),
      state_queryStorageAt: () => [{ block: params[1] ?? this.block.hash, changes: (params[0] as string[]).map((k) => [k, read(k)]) }],
      state_getStorage: () => read(params[0]),
    };
    const run = results[method];
    if (run) return reply(run());
    socket.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } }));
  }
}
