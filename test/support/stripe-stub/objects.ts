import { randomBytes } from 'node:crypto';

/**
 * Stripe-shaped objects for the stand-in. Every key Stripe's own example object has is present
 * with a value of the same type (test/billing/stripe-stub-fidelity.test.ts checks that against
 * ../shared/stripe/fixtures3.json); the values are what our calls set, else Stripe's defaults.
 */

type Obj = Record<string, any>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

export const now = () => Math.floor(Date.now() / 1000);

const address = () => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });
const automaticTax = () => ({ enabled: false, liability: null, disabled_reason: null });

export function customer(p: Obj): Obj {
  const id = stripeId('cus', 14);
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: p.description ?? null,
    discount: null,
    email: p.email ?? null,
    invoice_prefix: id.slice(4, 11).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: { ...p.metadata },
    name: p.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function product(p: Obj): Obj {
  return {
    id: p.id ?? stripeId('prod', 14),
    object: 'product',
    active: p.active !== 'false',
    created: now(),
    default_price: null,
    description: p.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: { ...p.metadata },
    name: p.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    unit_label: p.unit_label ?? null,
    updated: now(),
    url: null,
    type: 'service',
  };
}

export function price(p: Obj): Obj {
  const recurring = p.recurring
    ? {
        interval: p.recurring.interval,
        interval_count: Number(p.recurring.interval_count ?? 1),
        meter: p.recurring.meter ?? null,
        usage_type: p.recurring.usage_type ?? 'licensed',
        trial_period_days: null,
      }
    : null;
  const tiers = Array.isArray(p.tiers)
    ? p.tiers.map((t: Obj) => ({
        flat_amount: null,
        flat_amount_decimal: null,
        unit_amount: Number(t.unit_amount ?? 0),
        unit_amount_decimal: String(t.unit_amount ?? 0),
        up_to: t.up_to === 'inf' ? null : Number(t.up_to),
      }))
    : undefined;
  const unit = p.unit_amount !== undefined ? Number(p.unit_amount) : null;
  return {
    id: stripeId('price'),
    object: 'price',
    active: true,
    billing_scheme: p.billing_scheme ?? 'per_unit',
    created: now(),
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: p.lookup_key ?? null,
    metadata: { ...p.metadata },
    nickname: p.nickname ?? null,
    product: p.product,
    recurring,
    tax_behavior: 'unspecified',
    tiers_mode: p.tiers_mode ?? null,
    ...(tiers ? { tiers } : {}),
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unit,
    unit_amount_decimal: unit === null ? null : String(unit),
  };
}

export function meter(p: Obj): Obj {
  return {
    id: stripeId('mtr'),
    object: 'billing.meter',
    created: now(),
    customer_mapping: { event_payload_key: p.customer_mapping?.event_payload_key ?? 'stripe_customer_id', type: 'by_id' },
    default_aggregation: { formula: p.default_aggregation?.formula ?? 'sum' },
    display_name: p.display_name,
    event_name: p.event_name,
    event_time_window: p.event_time_window ?? null,
    livemode: false,
    status: 'active',
    status_transitions: { deactivated_at: null },
    updated: now(),
    value_settings: { event_payload_key: p.value_settings?.event_payload_key ?? 'value' },
  };
}

export function meterEvent(p: Obj): Obj {
  return {
    object: 'billing.meter_event',
    created: now(),
    event_name: p.event_name,
    identifier: p.identifier ?? stripeId('mev'),
    livemode: false,
    payload: { ...p.payload },
    timestamp: p.timestamp !== undefined ? Number(p.timestamp) : now(),
  };
}

export function meterEventSummary(meterId: string, start: number, end: number, value: number): Obj {
  return {
    id: stripeId('mtrusg'),
    object: 'billing.meter_event_summary',
    aggregated_value: value,
    end_time: end,
    livemode: false,
    meter: meterId,
    start_time: start,
  };
}

export function checkoutSession(p: Obj, url: string): Obj {
  const id = stripeId('cs_test', 58);
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: null,
    amount_total: null,
    automatic_tax: { enabled: false, liability: null, status: null, provider: null },
    billing_address_collection: null,
    cancel_url: p.cancel_url ?? null,
    client_reference_id: p.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now(),
    currency: null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: p.customer ?? null,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    discounts: [],
    expires_at: now() + 24 * 3600,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: { ...p.metadata },
    mode: p.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: p.success_url ?? null,
    total_details: null,
    ui_mode: 'hosted',
    url: `${url}/checkout/${id}`,
    wallet_options: null,
  };
}

export function portalSession(p: Obj, url: string): Obj {
  const id = stripeId('bps');
  return {
    id,
    object: 'billing_portal.session',
    configuration: stripeId('bpc'),
    created: now(),
    customer: p.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: p.return_url ?? null,
    url: `${url}/portal/${id}`,
  };
}

export function subscriptionItem(subscriptionId: string, priceObj: Obj, start: number, end: number, quantity: number | undefined): Obj {
  return {
    id: stripeId('si', 14),
    object: 'subscription_item',
    billing_thresholds: null,
    created: now(),
    current_period_end: end,
    current_period_start: start,
    discounts: [],
    metadata: {},
    plan: plan(priceObj),
    price: priceObj,
    ...(quantity !== undefined ? { quantity } : {}),
    subscription: subscriptionId,
    tax_rates: [],
  };
}

/** The legacy `plan` view Stripe still attaches to subscription items. */
function plan(pr: Obj): Obj {
  return {
    id: pr.id,
    object: 'plan',
    active: pr.active,
    amount: pr.unit_amount,
    amount_decimal: pr.unit_amount_decimal,
    billing_scheme: pr.billing_scheme,
    created: pr.created,
    currency: pr.currency,
    interval: pr.recurring?.interval ?? 'month',
    interval_count: pr.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: {},
    meter: pr.recurring?.meter ?? null,
    nickname: null,
    product: pr.product,
    tiers_mode: pr.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: pr.recurring?.usage_type ?? 'licensed',
  };
}

export function subscription(p: Obj): Obj {
  const created = now();
  return {
    id: stripeId('sub'),
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: automaticTax(),
    billing_cycle_anchor: created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic', updated_at: null },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: p.collection_method ?? 'charge_automatically',
    created,
    currency: p.currency ?? 'usd',
    customer: p.customer,
    customer_account: null,
    days_until_due: p.days_until_due !== undefined ? Number(p.days_until_due) : null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: list([], '/v1/subscription_items'),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...p.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status: 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}

export function invoice(p: Obj): Obj {
  const id = stripeId('in');
  const created = now();
  const amount = Number(p.amount_due ?? 0);
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Leoma (stand-in)',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amount,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { enabled: false, liability: null, status: null, disabled_reason: null, provider: null },
    automatically_finalizes_at: null,
    billing_reason: p.billing_reason ?? 'subscription_cycle',
    collection_method: p.collection_method ?? 'charge_automatically',
    created,
    currency: p.currency ?? 'usd',
    custom_fields: null,
    customer: p.customer,
    customer_account: null,
    customer_address: null,
    customer_email: null,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: p.due_date ?? null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: list([], `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: p.subscription ? { quote_details: null, subscription_details: { metadata: {}, subscription: p.subscription }, type: 'subscription_details' } : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: p.period_end ?? created,
    period_start: p.period_start ?? created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    subscription: p.subscription ?? null,
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export function charge(p: Obj): Obj {
  const id = stripeId('ch');
  return {
    id,
    object: 'charge',
    amount: p.amount,
    amount_captured: p.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: stripeId('txn'),
    billing_details: { address: address(), email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'LEOMA',
    captured: true,
    created: now(),
    currency: p.currency,
    customer: p.customer,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...p.metadata },
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: p.paymentIntent ?? null,
    payment_method: null,
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: list([], `/v1/charges/${id}/refunds`),
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

export function refund(p: Obj): Obj {
  return {
    id: stripeId('re'),
    object: 'refund',
    amount: p.amount,
    balance_transaction: null,
    charge: p.charge,
    created: now(),
    currency: p.currency,
    destination_details: null,
    metadata: { ...p.metadata },
    payment_intent: null,
    reason: p.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    customer: null,
    customer_account: null,
    payment_method: null,
  };
}

const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'enhanced_evidence',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
];

export function dispute(p: Obj): Obj {
  return {
    id: stripeId('dp'),
    object: 'dispute',
    amount: p.amount,
    balance_transactions: [],
    charge: p.charge,
    created: now(),
    currency: p.currency,
    enhanced_eligibility_types: [],
    evidence: Object.fromEntries(EVIDENCE_FIELDS.map((k) => [k, null])),
    evidence_details: { due_by: now() + 7 * 86400, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: null,
    payment_method_details: null,
    reason: p.reason ?? 'general',
    status: p.status ?? 'needs_response',
  };
}

export function event(type: string, object: Obj): Obj {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export function list(data: Obj[], url: string, hasMore = false): Obj {
  return { object: 'list', data, has_more: hasMore, url };
}

export function customerBalanceTransaction(p: Obj, customer: Obj): Obj {
  return {
    id: stripeId('cbtxn'),
    object: 'customer_balance_transaction',
    amount: Number(p.amount),
    created: now(),
    credit_note: null,
    currency: p.currency,
    customer: customer.id,
    description: p.description ?? null,
    ending_balance: customer.balance,
    invoice: null,
    livemode: false,
    metadata: { ...p.metadata },
    type: 'adjustment',
    checkout_session: null,
    customer_account: null,
  };
}

export function paymentIntent(p: Obj): Obj {
  const id = stripeId('pi');
  return {
    id,
    object: 'payment_intent',
    amount: p.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${stripeId('s').slice(2)}`,
    confirmation_method: 'automatic',
    created: now(),
    currency: p.currency,
    customer: p.customer ?? null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...p.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: p.status ?? 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
}

/** Links an invoice to the payment that paid it (Stripe's way since the charge stopped naming the invoice). */
export function invoicePayment(p: { invoice: string; amount: number; currency: string; paymentIntent: string }): Obj {
  const t = now();
  return {
    id: stripeId('inpay'),
    object: 'invoice_payment',
    amount_paid: p.amount,
    amount_requested: p.amount,
    created: t,
    currency: p.currency,
    invoice: p.invoice,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: p.paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: t },
  };
}

export function coupon(p: Obj): Obj {
  return {
    id: p.id ?? stripeId('', 8).slice(1),
    object: 'coupon',
    amount_off: p.amount_off !== undefined ? Number(p.amount_off) : null,
    created: now(),
    currency: p.amount_off !== undefined ? (p.currency ?? null) : null,
    duration: p.duration ?? 'once',
    duration_in_months: p.duration_in_months !== undefined ? Number(p.duration_in_months) : null,
    livemode: false,
    max_redemptions: null,
    metadata: { ...p.metadata },
    name: p.name ?? null,
    percent_off: p.percent_off !== undefined ? Number(p.percent_off) : null,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
  };
}

/** A coupon applied to a subscription (the API now names the coupon under `source`). */
export function discount(p: { coupon: Obj; customer: string; subscription: string }): Obj {
  return {
    id: stripeId('di'),
    object: 'discount',
    checkout_session: null,
    customer: p.customer,
    customer_account: null,
    end: null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    start: now(),
    subscription: p.subscription,
    subscription_item: null,
    source: { coupon: p.coupon.id, type: 'coupon' },
  };
}

export function invoiceItem(p: Obj, customer: string): Obj {
  const t = now();
  const amount = Number(p.amount);
  return {
    id: stripeId('ii'),
    object: 'invoiceitem',
    amount,
    currency: p.currency,
    customer,
    customer_account: null,
    date: t,
    description: p.description ?? null,
    discountable: p.discountable === undefined ? true : p.discountable === 'true',
    discounts: [],
    invoice: p.invoice ?? null,
    livemode: false,
    metadata: { ...p.metadata },
    net_amount: amount,
    parent: p.subscription ? { subscription_details: { subscription: p.subscription }, type: 'subscription_details' } : null,
    period: { end: t, start: t },
    pricing: { type: 'price_details', unit_amount_decimal: String(amount) },
    proration: false,
    quantity: 1,
    quantity_decimal: '1',
    tax_rates: [],
    test_clock: null,
  };
}

/** One line of an invoice: a subscription item's charge for the period, or an invoice item. */
export function lineItem(p: {
  invoice: string;
  amount: number;
  currency: string;
  description: string;
  discountable: boolean;
  period: { start: number; end: number };
  quantity: number;
  subscription: string | null;
  subscriptionItem?: string;
  invoiceItem?: string;
  price?: Obj;
}): Obj {
  const parent = p.invoiceItem
    ? {
        type: 'invoice_item_details',
        invoice_item_details: { invoice_item: p.invoiceItem, proration: false, proration_details: { credited_items: null }, subscription: p.subscription },
        subscription_item_details: null,
      }
    : {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: p.subscription,
          subscription_item: p.subscriptionItem ?? null,
        },
      };
  return {
    id: stripeId('il'),
    object: 'line_item',
    amount: p.amount,
    currency: p.currency,
    description: p.description,
    discount_amounts: [],
    discountable: p.discountable,
    discounts: [],
    invoice: p.invoice,
    livemode: false,
    metadata: {},
    parent,
    period: { ...p.period },
    pretax_credit_amounts: null,
    pricing: p.price
      ? { type: 'price_details', price_details: { price: p.price.id, product: p.price.product }, unit_amount_decimal: p.price.unit_amount_decimal }
      : { type: 'price_details', unit_amount_decimal: null },
    quantity: p.quantity,
    quantity_decimal: String(p.quantity),
    subscription: p.subscription,
    subtotal: p.amount,
    taxes: null,
  };
}

/** What a price charges for `quantity` units: per unit, or graduated tiers added up as Stripe does (we use no volume tiers). */
export function priceAmount(pr: Obj, quantity: number): number {
  if (pr.billing_scheme !== 'tiered') return (pr.unit_amount ?? 0) * quantity;
  let left = quantity;
  let from = 0;
  let total = 0;
  for (const t of pr.tiers as Obj[]) {
    const upTo = t.up_to === null ? Infinity : t.up_to;
    const n = Math.max(0, Math.min(left, upTo - from));
    total += n * t.unit_amount + (n > 0 ? (t.flat_amount ?? 0) : 0);
    left -= n;
    from = upTo;
    if (left <= 0) break;
  }
  return total;
}
