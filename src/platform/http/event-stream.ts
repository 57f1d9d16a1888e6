import type { Response } from 'express';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/**
 * What may wait unsent for a client that stopped reading; past it the stream ends (the client
 * resumes when it reads again) rather than the events piling up in this process's memory.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Sends the headers of a Server-Sent Events response at once, so the client knows the stream is on before the first event. */
export function beginEventStream(res: Response): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
  res.flushHeaders();
}

/** One open stream, as its feature writes to it. */
export interface EventStream {
  /** Writes one message. */
  send(id: string, event: string, data: string): void;
  /** Ends the stream (nothing more will come); safe to call twice. */
  end(): void;
  readonly ended: boolean;
}

export interface FollowOptions {
  /** The stream's lifetime; once over it ends with a `retry:` hint and the client reconnects. */
  maxMs: number;
  /** The `retry:` hint, in milliseconds. */
  retryMs: number;
  /** A comment written before the hint, telling the client how to go on. */
  resumeNote?: string;
  /** Called when the connection breaks with an error (the stream then ends). */
  onError?: (e: Error) => void;
  /** Writes what the client should have at once; may end the stream. */
  start: (stream: EventStream) => void;
  /** Unless `start` ended it, subscribes the stream to its feed; returns the unsubscribe, called when the stream ends. */
  subscribe: (stream: EventStream) => () => void;
}

/**
 * The open event streams of one controller: each lives until its feature ends it, the client
 * leaves, or its lifetime is over, with a heartbeat meanwhile. `endAll` ends them with the retry
 * hint, for shutdown or drain, so clients resume on another replica instead of holding this one open.
 */
export class EventStreams {
  private readonly open = new Set<(lifetimeOver: boolean) => void>();

  endAll(): void {
    for (const end of this.open) end(true);
  }

  /** Runs one stream on a response whose headers `beginEventStream` sent; resolves once it has ended. */
  follow(res: Response, options: FollowOptions): Promise<void> {
    return new Promise<void>((resolve) => {
      let unsubscribe = () => {};
      let ended = false;
      const end = (lifetimeOver: boolean) => {
        if (ended) return;
        ended = true;
        unsubscribe();
        clearTimeout(lifetime);
        clearInterval(heartbeat);
        this.open.delete(end);
        if (lifetimeOver) res.write(`${options.resumeNote ? `: ${options.resumeNote}\n` : ''}retry: ${options.retryMs}\n\n`);
        res.end();
        resolve();
      };
      const write = (chunk: string) => {
        if (ended) return;
        res.write(chunk);
        if (res.writableLength > MAX_BUFFERED_BYTES) end(false);
      };
      const stream: EventStream = {
        send: (id, event, data) => write(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`),
        end: () => end(false),
        get ended() {
          return ended;
        },
      };
      const lifetime = setTimeout(() => end(true), options.maxMs);
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
      this.open.add(end);
      // The response's close, not the request's: a request 'closes' once its (empty) body is read.
      res.on('close', () => end(false));
      const { onError } = options;
      if (onError) {
        res.on('error', (e) => {
          onError(e);
          end(false);
        });
      }
      options.start(stream);
      if (!ended) unsubscribe = options.subscribe(stream);
    });
  }
}
