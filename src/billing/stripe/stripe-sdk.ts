import { createRequire } from 'node:module';
import type Stripe from 'stripe';

let sdk: typeof Stripe | undefined;

/**
 * The Stripe SDK, loaded on first use instead of by every process at start: it is ~5 MB of the
 * api's idle heap (issue 36), and a deployment without billing never needs it. Every value use of
 * the SDK in src/ goes through here (types are imported as types), so there is one copy of its
 * classes and `instanceof` on its errors holds.
 */
export function stripeSdk(): typeof Stripe {
  return (sdk ??= createRequire(import.meta.url)('stripe') as typeof Stripe);
}

/** The SDK's error classes, or undefined while it is not loaded: then no error can be one of them. */
export function stripeErrors(): typeof Stripe.errors | undefined {
  return sdk?.errors;
}
