import { WeightFetchError } from './errors.js';

export interface RequestOptions {
  authorization?: string | null;
  accept?: string;
  /** First byte wanted (an HTTP Range from there to the end, or to `to`). */
  from?: number;
  /** Last byte wanted (inclusive). */
  to?: number;
  signal: AbortSignal;
  /** How long to wait for the response head (not the body). */
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;

/**
 * GET with redirects followed by hand: Hugging Face answers LFS files with a redirect to its CDN,
 * and the token must reach only the origin it was issued for, never the host a redirect names.
 */
export async function get(url: string, options: RequestOptions): Promise<Response> {
  let current = new URL(url);
  const origin = current.origin;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {};
    if (options.authorization && current.origin === origin) headers.authorization = options.authorization;
    if (options.accept) headers.accept = options.accept;
    if (options.from || options.to !== undefined) headers.range = `bytes=${options.from ?? 0}-${options.to ?? ''}`;
    // The timeout covers the response head only: a shard's body may flow for many minutes (a
    // silent body is the caller's stall watchdog's business).
    const head = new AbortController();
    const timer = setTimeout(() => head.abort(new DOMException(`no response head in ${options.timeoutMs} ms`, 'TimeoutError')), options.timeoutMs);
    const response = await fetch(current, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.any([options.signal, head.signal]),
    })
      .catch((error: unknown) => {
        throw requestFailure(error, current, options.signal);
      })
      .finally(() => clearTimeout(timer));
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new WeightFetchError('remote_error', `too many redirects fetching ${describe(url)}`);
      current = new URL(location, current);
      continue;
    }
    return response;
  }
}

/** An aborted signal is the caller's cancel; anything else (refused, reset, timed out) is the remote's fault. */
export function requestFailure(error: unknown, url: URL | string, signal: AbortSignal): WeightFetchError {
  if (signal.aborted) return new WeightFetchError('aborted', 'the fetch was cancelled');
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return new WeightFetchError('timeout', `no answer in time from ${describe(url)}`);
  const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new WeightFetchError('remote_error', `request to ${describe(url)} failed: ${reason}`);
}

/** A URL for messages: no query string (a CDN's signed URL carries credentials there). */
export function describe(url: URL | string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export async function expectOk(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  await response.body?.cancel();
  throw new WeightFetchError('remote_error', `${what}: HTTP ${response.status}${response.url ? ` from ${describe(response.url)}` : ''}`);
}

/** Reads a small body (a listing, a manifest, a token), refusing one over `limit` bytes or slower than `timeoutMs`. */
export async function readLimited(response: Response, limit: number, what: string, timeoutMs = 60_000): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel();
    throw new WeightFetchError('too_large', `${what} is ${declared} bytes, over the ${limit}-byte limit`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    void reader.cancel().catch(() => undefined);
  }, timeoutMs);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await reader.read().catch((error: unknown) => {
        if (late) return { done: true as const, value: undefined };
        throw error;
      });
      if (late) throw new WeightFetchError('timeout', `${what} did not arrive within ${timeoutMs} ms`);
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new WeightFetchError('too_large', `${what} is over the ${limit}-byte limit`);
      }
      chunks.push(Buffer.from(next.value));
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}
