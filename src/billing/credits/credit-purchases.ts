import { Body, Controller, HttpCode, Injectable, Post, Req, UseInterceptors } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { CurrentTenant, KeyModes, Scopes } from '../../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../../core/auth/principal.js';
import { actorOf, AuditService } from '../../audit/index.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { CreditsService, currency, pricingEnv } from '../../usage/index.js';
import { BillingService } from '../billing.service.js';
import { CatalogService } from '../stripe/catalog.service.js';
import { StripeClient } from '../stripe/stripe-client.js';
import { StripeFailures } from '../stripe/stripe-failures.js';
import { ProblemCodes } from '../../platform/openapi/problem-codes.decorator.js';
import { BillingAccount } from '../billing-account.entity.js';
import { STRIPE_ACTOR } from '../billing-actor.js';
import { billingEnv } from '../billing.env.js';
import { UnmatchedStripeObject } from '../stripe/unmatched-stripe-object.js';
import { RevenueLedgerService } from '../revenue/revenue-ledger.service.js';

export class CreditCheckoutDto {
  @ApiProperty({ description: 'Credit to buy, in minor units of the billing currency (500 = $5.00).', minimum: 500, maximum: 1_000_000, example: 2_000 })
  @IsInt()
  @Min(500)
  @Max(1_000_000)
  amount: number;
}

/** Buying prepaid credit: a Checkout session in payment mode for `amount` one-minor-unit credit prices. */
@ApiTags('billing')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/billing/credits/checkout')
@UseInterceptors(StripeFailures)
export class CreditCheckoutController {
  constructor(
    private readonly billing: BillingService,
    private readonly catalog: CatalogService,
    private readonly stripe: StripeClient,
  ) {}

  @Post()
  @HttpCode(201)
  @Scopes('billing:write')
  @ProblemCodes('billing_not_configured', 'plan_not_for_sale', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation({
    summary: 'A Stripe Checkout URL (payment mode) to buy prepaid credit',
    operationId: 'createCreditCheckout',
    description: 'Paid credit is granted when Stripe reports the session complete; it expires after CREDIT_PURCHASE_VALID_DAYS.',
  })
  async checkout(@CurrentTenant() who: TenantPrincipal, @Body() body: CreditCheckoutDto, @Req() req: Request) {
    const stripe = this.stripe.require();
    const deadline = this.stripe.deadline();
    const price = await this.catalog.creditPrice(stripe, deadline);
    if (!price) throw new DomainError('plan_not_for_sale', 'Credit is not for sale yet; an operator runs `leoma billing sync-catalog` first.');
    const account = await this.billing.ensureCustomer(actorOf(req), who.tenantId, deadline);
    const ret = new URL('?checkout=credits', billingEnv.get().BILLING_RETURN_URL).toString();
    const session = await deadline.call((o) =>
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer: account.stripeCustomerId,
          client_reference_id: who.tenantId,
          line_items: [{ price: price.id, quantity: body.amount }],
          metadata: { kind: 'credits', tenant_id: who.tenantId, amount: String(body.amount) },
          // Credit is granted in the account's currency: the customer pays in it too, never a converted one.
          adaptive_pricing: { enabled: false },
          success_url: ret,
          cancel_url: ret,
        },
        o,
      ),
    );
    return { object: 'checkout_session' as const, id: session.id, url: session.url! };
  }
}

/**
 * Grants the credit of a paid credit Checkout session, once: the grant carries the session id
 * (unique), so the event delivered twice or replayed grants nothing more. The amount granted is
 * what Stripe says was paid, and the tenant is the one owning the customer, not the metadata.
 * A delayed payment method completes the session `unpaid`: it is credited on
 * `checkout.session.async_payment_succeeded` (the session re-read as `paid`), never before, and
 * not at all when the payment fails. Credit exists only in the account's currency: a session paid
 * in another (its currency, or the customer's presentment currency) is not credited and its event
 * is closed as unmatched, which reconciliation lists. The purchase is booked in the revenue ledger
 * (`credit_purchase`); the PaymentIntent is kept on the grant so a refund or lost dispute of it
 * claws the credit back (PaymentEvents).
 */
@Injectable()
export class CreditPurchases {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credits: CreditsService,
    private readonly ledger: RevenueLedgerService,
    private readonly audit: AuditService,
  ) {}

  async fromCheckout(session: Stripe.Checkout.Session): Promise<void> {
    if (session.metadata?.kind !== 'credits' || session.payment_status !== 'paid' || !session.amount_total) return;
    const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
    const account = customerId ? await this.db.getRepository(BillingAccount).findOneBy({ stripeCustomerId: customerId }) : null;
    if (!account) throw new UnmatchedStripeObject(`Stripe customer ${customerId} of credit checkout ${session.id} belongs to no tenant`);
    const ours = currency();
    const paidIn = [session.currency, session.presentment_details?.presentment_currency].filter((c): c is string => Boolean(c) && c !== ours);
    if (paidIn.length) {
      throw new UnmatchedStripeObject(
        `credit checkout ${session.id} of ${account.tenantId} was paid in ${paidIn[0]}, not ${ours}: not credited (refund it, or grant the credit by hand)`,
      );
    }
    const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
    const days = pricingEnv.get().CREDIT_PURCHASE_VALID_DAYS;
    await this.db.transaction(async (tx) => {
      const { grant, created } = await this.credits.grant(
        {
          tenantId: account.tenantId,
          amountMinor: session.amount_total!,
          source: 'purchase',
          expiresAt: new Date(Date.now() + days * 86_400_000),
          checkoutSessionId: session.id,
          paymentIntentId: paymentIntent,
        },
        tx,
      );
      if (!created) return;
      await this.ledger.record(tx, {
        tenantId: account.tenantId,
        kind: 'credit_purchase',
        amountMinor: session.amount_total!,
        currency: ours,
        stripeObjectId: session.id,
        occurredAt: new Date(),
      });
      await this.audit.record(tx, STRIPE_ACTOR, {
        tenantId: account.tenantId,
        action: 'billing.credits_purchased',
        targetType: 'tenant',
        targetId: account.tenantId,
        after: { grant: grant.id, amount: grant.amountMinor, checkout_session: session.id },
      });
    });
  }
}
