/**
 * Stripe subscription statuses, as our entitlement reads them. Live ones carry their plan (past_due
 * too: dunning decides about those). Ended ones give the tenant the lapsed plan (BILLING_LAPSED_PLAN):
 * canceled and incomplete_expired never bill again; unpaid is Stripe having given up collecting,
 * and comes back to active if the customer pays. `incomplete` (the first payment still pending) is
 * neither: the tenant keeps what it had.
 */
const LIVE = new Set(['active', 'trialing', 'past_due']);
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);
const GONE = new Set(['canceled', 'incomplete_expired']);

export const subscriptionLive = (status: string | null | undefined) => LIVE.has(status ?? '');
export const subscriptionEnded = (status: string | null | undefined) => ENDED.has(status ?? '');
/** Will never bill again: a new subscription may take its place. */
export const subscriptionGone = (status: string | null | undefined) => GONE.has(status ?? '');
export const LIVE_STATUSES = [...LIVE];
