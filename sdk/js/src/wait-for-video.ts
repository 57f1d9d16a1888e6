import { isEventStream, readEventStream, sleep } from './event-stream.js';
import type { components } from './schema.js';

export type Video = components['schemas']['VideoObject'];

export const TERMINAL_STATUSES = new Set(['succeeded', 'failed', 'canceled', 'expired']);

export interface WaitOptions {
  /** Give up (throw) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Between GETs when polling. Default 1 s. */
  pollIntervalMs?: number;
  /** 'auto' follows the event stream and polls when it is unavailable; 'poll' only polls. */
  transport?: 'auto' | 'poll';
  /** Called with the video each time it is read (initially, after each event, and on each poll), e.g. to show progress. */
  onUpdate?: (video: Video) => void;
  signal?: AbortSignal;
}

/** What waitForVideo needs from the client; the stream goes through the retrying fetch too. */
export interface WaitDeps {
  get(id: string): Promise<Video>;
  openStream(id: string, lastEventId: string | undefined, signal: AbortSignal): Promise<Response>;
}

/** The caller's signal, bounded by the wait's own deadline. */
export function deadlineSignal(timeoutMs: number | undefined, signal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs ?? 600_000);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/**
 * Resolves with the video once it is succeeded, failed, canceled or expired (it waited for a slot past its `start_by`). Follows its Server-Sent
 * Events (resuming with Last-Event-ID when a stream's lifetime ends); when streams are not
 * available (too many open, a proxy that buffers, an error) it polls instead.
 */
export async function waitForVideo(deps: WaitDeps, id: string, options: WaitOptions = {}): Promise<Video> {
  const signal = deadlineSignal(options.timeoutMs, options.signal);
  const read = async () => {
    const video = await deps.get(id);
    options.onUpdate?.(video);
    return video;
  };
  let video = await read();
  if (TERMINAL_STATUSES.has(video.status)) return video;
  if ((options.transport ?? 'auto') === 'auto') {
    let lastEventId: string | undefined;
    for (let streams = 0; streams < 100; streams++) {
      const outcome = await followStream(deps, id, lastEventId, signal, options.onUpdate ? read : undefined).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return { ended: 'broken' as const, lastEventId };
      });
      lastEventId = outcome.lastEventId;
      if (outcome.ended === 'terminal') return read();
      if (outcome.ended === 'broken') break;
    }
  }
  while (!TERMINAL_STATUSES.has(video.status)) {
    await sleep(options.pollIntervalMs ?? 1_000, signal);
    video = await read();
  }
  return video;
}

/** Reads one event stream to its end: 'terminal' after a final event, 'lifetime' when the server ended it early. */
async function followStream(
  deps: WaitDeps,
  id: string,
  lastEventId: string | undefined,
  signal: AbortSignal,
  onEvent: (() => Promise<Video>) | undefined,
): Promise<{ ended: 'terminal' | 'lifetime' | 'broken'; lastEventId: string | undefined }> {
  const response = await deps.openStream(id, lastEventId, signal);
  if (!isEventStream(response)) {
    await response.body?.cancel();
    return { ended: 'broken', lastEventId };
  }
  let last = lastEventId;
  const terminal = await readEventStream(response, (message) => {
    last = message.id ?? last;
    if (message.event && TERMINAL_STATUSES.has(message.event.split('.').pop()!)) return true;
    void onEvent?.().catch(() => {});
    return false;
  });
  return { ended: terminal ? 'terminal' : 'lifetime', lastEventId: last };
}
