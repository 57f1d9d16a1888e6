import { DomainError } from '../platform/http/domain-error.js';

/**
 * Limits fail closed: without Redis nothing can be counted, so the request is refused with a
 * retryable 503 rather than let through unmetered or answered with a bare 500.
 */
export async function limitsCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('service_unavailable', 'Limits cannot be checked right now; nothing was counted. Retry shortly.', {}, { 'Retry-After': '2' });
  }
}
