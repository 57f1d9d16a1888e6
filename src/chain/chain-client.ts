import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import { chainEnv } from './chain.env.js';

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

export interface PinnedBlock {
  number: number;
  hash: string;
}

/**
 * One connection to subtensor per process. WsProvider's own reconnect retries at a fixed delay;
 * ours backs off exponentially so a node that is down is not hammered by every worker.
 */
@Injectable()
export class ChainClient implements OnModuleDestroy {
  private readonly logger = new Logger(ChainClient.name);
  private provider?: WsProvider;
  private api?: Promise<ApiPromise>;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private closing = false;

  configured(): boolean {
    return Boolean(chainEnv.get().SUBTENSOR_WS_URL);
  }

  connect(): Promise<ApiPromise> {
    return (this.api ??= this.open().catch((e: unknown) => {
      this.api = undefined;
      throw e;
    }));
  }

  /** Runs `read` against the latest finalized block, so every value it reads comes from one state. */
  async atFinalized<T>(read: (at: ApiDecoration<'promise'>, block: PinnedBlock, api: ApiPromise) => Promise<T>): Promise<T> {
    const api = await this.connect();
    const hash = await api.rpc.chain.getFinalizedHead();
    const header = await api.rpc.chain.getHeader(hash);
    return read(await api.at(hash), { number: header.number.toNumber(), hash: hash.toHex() }, api);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const api = await this.api?.catch(() => undefined);
    await (api ? api.disconnect() : this.provider?.disconnect())?.catch(() => undefined);
  }

  private async open(): Promise<ApiPromise> {
    const provider = new WsProvider(chainEnv.get().SUBTENSOR_WS_URL, false);
    this.provider = provider;
    provider.on('connected', () => (this.failures = 0));
    provider.on('disconnected', () => this.scheduleReconnect(provider));
    provider.on('error', () => this.scheduleReconnect(provider));
    await provider.connect();
    return ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  }

  private scheduleReconnect(provider: WsProvider): void {
    if (this.closing || this.reconnectTimer || provider.isConnected) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures++);
    this.logger.warn(`subtensor connection lost; reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      provider.connect().catch(() => this.scheduleReconnect(provider));
    }, delay);
    this.reconnectTimer.unref();
  }
}
