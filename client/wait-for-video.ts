import type { components } from './schema.js';

export type Video = components['schemas']['VideoObject'];

export const TERMINAL_STATUSES = new Set(['succeeded', 'failed', 'canceled']);

export interface WaitOptions {
  /** Give up (throw) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Between GETs when polling. Default 1 s. */
  pollIntervalMs?: number;
  /** 'auto' follows the event stream and polls when it is unavailable; 'poll' only polls. */
  transport?: 'auto' | 'poll';
  signal?: AbortSignal;
}

/** What waitForVideo needs from the client; the stream goes through the retrying fetch too. */
export interface WaitDeps {
  get(id: string): Promise<Video>;
  openStream(id: string, lastEventId: string | undefined, signal: AbortSignal): Promise<Response>;
}

/**
 * Resolves with the video once it is succeeded, failed or canceled. Follows its Server-Sent
 * Events (resuming with Last-Event-ID when a stream's lifetime ends); when streams are not
 * available (too many open, a proxy that buffers, an error) it polls instead.
 */
export async function waitForVideo(deps: WaitDeps, id: string, options: WaitOptions = {}): Promise<Video> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 600_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let video = await deps.get(id);
  if (TERMINAL_STATUSES.has(video.status)) return video;
  if ((options.transport ?? 'auto') === 'auto') {
    let lastEventId: string | undefined;
    for (let streams = 0; streams < 100; streams++) {
      const outcome = await followStream(deps, id, lastEventId, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return { ended: 'broken' as const, lastEventId };
      });
      lastEventId = outcome.lastEventId;
      if (outcome.ended === 'terminal') return deps.get(id);
      if (outcome.ended === 'broken') break;
    }
  }
  const interval = options.pollIntervalMs ?? 1_000;
  while (!TERMINAL_STATUSES.has(video.status)) {
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, interval);
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
    video = await deps.get(id);
  }
  return video;
}

/** Reads one event stream to its end: 'terminal' after a final event, 'lifetime' when the server ended it early. */
async function followStream(
  deps: WaitDeps,
  id: string,
  lastEventId: string | undefined,
  signal: AbortSignal,
): Promise<{ ended: 'terminal' | 'lifetime' | 'broken'; lastEventId: string | undefined }> {
  const response = await deps.openStream(id, lastEventId, signal);
  if (!response.ok || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { ended: 'broken', lastEventId };
  }
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        message
          .split('\n')
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      lastEventId = field('id') ?? lastEventId;
      const type = field('event');
      if (type && TERMINAL_STATUSES.has(type.split('.').pop()!)) {
        await reader.cancel().catch(() => {});
        return { ended: 'terminal', lastEventId };
      }
    }
  }
  return { ended: 'lifetime', lastEventId };
}
