import type { Actor } from '../audit/index.js';

/** Changes Stripe causes (webhooks, dunning) are audited under this actor. */
export const STRIPE_ACTOR: Actor = { type: 'system', id: 'stripe', requestId: null };
export const DUNNING_ACTOR: Actor = { type: 'system', id: 'billing.dunning', requestId: null };
