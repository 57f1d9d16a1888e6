import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads a Server-Sent Events response to its end, handing each message to `onMessage`; a `true`
 * from it stops reading (and closes the stream). Returns whether it was stopped that way. The
 * parsing is eventsource-parser's (multi-line data, comments, CRLF), not a hand-rolled split.
 */
export async function readEventStream(response: Response, onMessage: (message: EventSourceMessage) => boolean | undefined): Promise<boolean> {
  if (!response.body) return false;
  let stop = false;
  const parser = createParser({
    onEvent(message) {
      if (!stop && onMessage(message)) stop = true;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return stop;
      parser.feed(value);
      if (stop) return true;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Whether an answer really is an event stream (a buffering proxy or an error answers something else). */
export const isEventStream = (response: Response): boolean =>
  response.ok && response.body !== null && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

/** Waits `ms`, or rejects when `signal` aborts first. */
export const sleep = (ms: number, signal?: AbortSignal | null): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
