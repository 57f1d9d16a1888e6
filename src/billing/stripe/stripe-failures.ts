import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { stripeErrors } from './stripe-sdk.js';
import { DomainError } from '../../platform/http/domain-error.js';

export const stripeTimeout = () =>
  new DomainError('stripe_timeout', 'Stripe did not answer in time; nothing was changed on our side. Retry shortly.', {}, { 'Retry-After': '5' });

const stripeUnavailable = () =>
  new DomainError('stripe_unavailable', 'Stripe could not be reached or failed; nothing was changed on our side. Retry shortly.', {}, { 'Retry-After': '5' });

/** The call did not get an answer in time (the SDK's ETIMEDOUT). */
function isTimeout(e: unknown): boolean {
  const errors = stripeErrors();
  return !!errors && e instanceof errors.StripeConnectionError && (e.detail as { code?: string } | undefined)?.code === 'ETIMEDOUT';
}

/**
 * Stripe is down, overloaded or unreachable, as opposed to refusing this call: a connection
 * error or timeout, a 5xx, 429 or 409 (lock), or our key refused. Retrying later may succeed.
 */
export function isStripeUnreachable(e: unknown): boolean {
  const errors = stripeErrors();
  if (!errors || !(e instanceof errors.StripeError)) return false;
  if (e instanceof errors.StripeConnectionError || e instanceof errors.StripeAPIError || e instanceof errors.StripeRateLimitError) return true;
  if (e instanceof errors.StripeAuthenticationError || e instanceof errors.StripePermissionError) return true;
  const status = e.statusCode ?? 0;
  return status >= 500 || status === 429 || status === 409;
}

/**
 * On the billing controllers: Stripe being down or slow is answered 502 stripe_unavailable or
 * 504 stripe_timeout (problem+json, Retry-After), not a 500. A Stripe refusal of a request we
 * built (invalid request) stays a 500: that is our bug.
 */
@Injectable()
export class StripeFailures implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (isTimeout(e)) throw stripeTimeout();
        if (isStripeUnreachable(e)) throw stripeUnavailable();
        throw e;
      }),
    );
  }
}
