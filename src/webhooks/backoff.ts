/** Exponential backoff with ±50% jitter, so receivers coming back up are not hit in lockstep. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(maxMs, exp * (0.5 + random())));
}

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable.
 * Capped at `maxMs`: a receiver's absurd value (9e12 s is past the largest Date) must still give a
 * retry time we can store, and anything past the retry window ends the delivery the normal way.
 */
export function parseRetryAfterMs(value: string | undefined, maxMs: number, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(maxMs, Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.min(maxMs, Math.max(0, date - now));
}
