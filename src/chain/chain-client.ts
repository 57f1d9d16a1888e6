import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ApiPromise, WsProvider } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import { chainEnv } from './chain.env.js';
import { chainRpcCalls } from './chain-metrics.js';

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** How long `ready` waits for a node that has not answered yet since the process started. */
const FIRST_CONNECT_WAIT_MS = 10_000;
/** What WsProvider rejects requests with when the socket is gone, closes under them or never answers. */
const TRANSPORT_ERROR = /^(WebSocket is not connected|disconnected from |No response received from RPC endpoint)/;

/** The node cannot be reached now; what failed can be tried again once it is back. */
export class ChainUnavailable extends Error {}

/**
 * WsProvider without its call cache. The cache keeps a request's promise even when it was
 * rejected because the connection dropped, and every hit renews its 30 s lifetime: a read at one
 * block (a burn's events) that failed once during a drop would fail from the cache for as long as
 * it is asked again, so the burn would never be recorded. (Its `cacheCapacity` of 0 does not turn
 * the cache off in 16.5.) Made from the loaded class, since @polkadot/api is loaded on first use.
 */
function uncached(Base: typeof WsProvider): typeof WsProvider {
  return class UncachedWsProvider extends Base {
    override async send<T = unknown>(method: string, params: unknown[], _isCacheable?: boolean, subscription?: Parameters<WsProvider['send']>[3]): Promise<T> {
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await super.send<T>(method, params, false, subscription);
      } catch (e) {
        outcome = TRANSPORT_ERROR.test((e as Error)?.message ?? '') ? 'transport_error' : 'rpc_error';
        throw e;
      } finally {
        chainRpcCalls.observe({ method, outcome }, (performance.now() - started) / 1000);
      }
    }
  };
}

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
  private connections = 0;

  configured(): boolean {
    return Boolean(chainEnv.get().SUBTENSOR_WS_URL);
  }

  connect(): Promise<ApiPromise> {
    // @polkadot/api is loaded here, on first use, not at start: its import alone costs a process
    // over 200 MB, and the API process needs the chain only for a few operator requests.
    this.api ??= import('@polkadot/api').then(({ ApiPromise, WsProvider }) => {
      const provider = new (uncached(WsProvider))(chainEnv.get().SUBTENSOR_WS_URL, false);
      this.provider = provider;
      provider.on('connected', () => {
        this.failures = 0;
        this.connections++;
      });
      provider.on('disconnected', () => this.scheduleReconnect());
      provider.on('error', () => this.scheduleReconnect());
      provider.connect().catch(() => this.scheduleReconnect());
      return ApiPromise.create({ provider, noInitWarn: true });
    });
    return this.api;
  }

  /**
   * The API for work that must not wait on a node that is down (a burn, an operator's request):
   * throws ChainUnavailable at once while the connection is down, or after FIRST_CONNECT_WAIT_MS
   * when the node has not been reached since the process started.
   */
  async ready(): Promise<ApiPromise> {
    const api = this.connect();
    if (this.connections > 0 && !this.provider!.isConnected) throw new ChainUnavailable('subtensor is not connected');
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChainUnavailable(`subtensor not reached within ${FIRST_CONNECT_WAIT_MS} ms`)), FIRST_CONNECT_WAIT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([api, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts the connections made so far: when it changes, subscriptions made before (a transaction's watch) are gone. */
  connection(): number {
    return this.connections;
  }

  /**
   * `error` as ChainUnavailable when it came from the connection rather than from the node's
   * answer (a JSON-RPC error such as a pool refusal is the node speaking); otherwise unchanged.
   */
  classify(error: unknown): unknown {
    if (error instanceof ChainUnavailable) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (TRANSPORT_ERROR.test(message) || (this.provider && !this.provider.isConnected)) return new ChainUnavailable(message.split('\n')[0]);
    return error;
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
