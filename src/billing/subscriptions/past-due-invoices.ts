import type Stripe from 'stripe';

/**
 * Whether the customer still owes an invoice that is past due: open and either a payment attempt
 * failed or its due date has passed. Paying one invoice ends dunning only when this is false, so a
 * small paid invoice does not clear a failed one still open.
 */
export async function hasPastDueInvoice(stripe: Stripe, customerId: string, now = Date.now()): Promise<boolean> {
  for await (const i of stripe.invoices.list({ customer: customerId, status: 'open', limit: 100 })) {
    if (i.attempt_count > 0 || (i.due_date !== null && i.due_date * 1000 < now)) return true;
  }
  return false;
}
