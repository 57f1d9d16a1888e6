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

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * A fetch that retries 429 and 5xx answers and network errors with exponential backoff, waiting
 * what Retry-After says when the server says it. Only safe to use for POSTs that carry an
 * Idempotency-Key (the client adds one to every POST), so a retried create never runs twice.
 */
export function retryingFetch(inner: typeof fetch, options: RetryOptions = {}): (input: Request) => Promise<Response> {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.random() * base * 2 ** attempt;
      let response: Response | undefined;
      try {
        // A Request's body can be read once: every attempt sends a copy.
        response = await inner(request.clone());
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
