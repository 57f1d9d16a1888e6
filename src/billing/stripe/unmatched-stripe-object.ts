/**
 * A Stripe object that belongs to no tenant of ours (a customer created by hand in the dashboard,
 * another integration on the same account). Retrying cannot help, so the event is closed with this
 * reason and shown to operators instead of failing its job over and over.
 */
export class UnmatchedStripeObject extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnmatchedStripeObject';
  }
}
