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
 * ours backs off exponentially so a node that is down is not hammered by every worker. While the
 * node is unreachable, reads wait for it rather than fail: the last snapshot stays in use.
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
    if (!this.api) {
      const provider = new WsProvider(chainEnv.get().SUBTENSOR_WS_URL, false);
      this.provider = provider;
      provider.on('connected', () => (this.failures = 0));
      provider.on('disconnected', () => this.scheduleReconnect());
      provider.on('error', () => this.scheduleReconnect());
      provider.connect().catch(() => this.scheduleReconnect());
      this.api = ApiPromise.create({ provider, noInitWarn: true });
    }
    return this.api;
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
    await this.provider?.disconnect().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    const provider = this.provider;
    if (!provider || this.closing || this.reconnectTimer || provider.isConnected) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures++);
    this.logger.warn(`subtensor unreachable; reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      provider.connect().catch(() => this.scheduleReconnect());
    }, delay);
    this.reconnectTimer.unref();
  }
}
