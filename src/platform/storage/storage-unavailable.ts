import { DomainError } from '../http/domain-error.js';

/** Socket-level failures: the store is down, restarting or unreachable, not refusing the request. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * The object store could not be reached or answered 5xx/429 (after the SDK's own retries): a
 * passing outage, not a fault of the request. Over HTTP it is `503 service_unavailable` with
 * Retry-After; a video job waits it out (whileStorageUnavailable) instead of failing the attempt.
 */
export class StorageUnavailable extends DomainError {
  constructor(cause: unknown) {
    super('service_unavailable', 'File storage is unavailable right now; nothing was stored. Retry shortly.', {}, { 'Retry-After': '5' });
    this.name = 'StorageUnavailable';
    this.cause = cause;
  }
}

/** Whether an error of the S3 client is the store being unavailable (as opposed to e.g. NoSuchKey or AccessDenied). */
export function isUnavailable(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; code?: string; name?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  if ((e.code && NETWORK_CODES.has(e.code)) || (e.name && TIMEOUT_NAMES.has(e.name))) return true;
  return e.cause !== undefined && e.cause !== e && isUnavailable(e.cause);
}
