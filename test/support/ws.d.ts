// `ws` ships no types and @types/ws is not installed; only what the fake subtensor node uses.
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  export class WebSocket extends EventEmitter {
    readonly readyState: number;
    readonly OPEN: number;
    send(data: string): void;
    terminate(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(opts: { port: number; host?: string });
    address(): { port: number };
    clients: Set<WebSocket>;
    close(cb?: () => void): void;
  }
}
