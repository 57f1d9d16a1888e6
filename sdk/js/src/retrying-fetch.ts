import { sleep } from './event-stream.js';

export interface RetryOptions {
  /** Attempts after the first; 0 turns retrying off. Default 3. */
  maxRetries?: number;
  /** First backoff; doubled per attempt, with full jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** A Retry-After longer than this is not waited for (e.g. a monthly quota): the answer is returned. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Called before each retry, e.g. for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error?: unknown; url: string }) => void;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Retry-After in milliseconds: delay-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A fetch that retries 429 and 5xx answers, network errors and attempts that ran out of time,
 * with exponential backoff, waiting what Retry-After says when the server says it. Only safe for
 * POSTs that carry an Idempotency-Key (the client adds one to every POST), so a retried create
 * never runs twice. `timeoutMs` bounds each attempt until its answer's headers arrive (a stream's
 * body may then take as long as it takes); 0 means no limit.
 */
export function retryingFetch(inner: typeof fetch, options: RetryOptions = {}, timeoutMs = 0): (input: Request) => Promise<Response> {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.random() * base * 2 ** attempt;
      let response: Response | undefined;
      try {
        response = await attemptOnce(inner, request, timeoutMs);
      } catch (error) {
        if (attempt >= maxRetries || request.signal?.aborted) throw error;
        options.onRetry?.({ attempt: attempt + 1, delayMs: backoff, error, url: request.url });
        await sleep(backoff, request.signal);
        continue;
      }
      if (!RETRYABLE.has(response.status) || attempt >= maxRetries) return response;
      const told = retryAfterMs(response.headers.get('retry-after'));
      if (told !== undefined && told > maxRetryAfter) return response;
      const delayMs = told ?? backoff;
      await response.body?.cancel();
      options.onRetry?.({ attempt: attempt + 1, delayMs, status: response.status, url: request.url });
      await sleep(delayMs, request.signal);
    }
  };
}

/** One attempt on a copy of the request (a body can be read once), aborted if its headers take longer than `timeoutMs`. */
async function attemptOnce(inner: typeof fetch, request: Request, timeoutMs: number): Promise<Response> {
  if (timeoutMs <= 0) return inner(request.clone());
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new LeomaTimeoutError(`no answer from ${request.url} within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await inner(new Request(request.clone(), { signal: AbortSignal.any([timer.signal, request.signal]) }));
  } catch (error) {
    throw timer.signal.aborted ? timer.signal.reason : error;
  } finally {
    clearTimeout(timeout);
  }
}

/** An attempt (or a wait) that ran out of time. */
export class LeomaTimeoutError extends Error {
  override name = 'LeomaTimeoutError';
}
