import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import Stripe from 'stripe';
import * as O from './objects.js';

type Obj = Record<string, any>;

export interface StripeStubOptions {
  port?: number;
  /** Where signed events are POSTed (our /v1/stripe/webhooks), and the whsec_ they are signed with. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** The sk_test_ key Leoma must send (a test that greps for it plants a unique one). */
  secretKey?: string;
  /**
   * Adaptive Pricing when a Checkout session does not say (Stripe takes the dashboard setting,
   * which may be on): a session with it may be paid in the customer's currency. Default true.
   */
  adaptivePricingByDefault?: boolean;
}

/** The stand-in's own clock for what Stripe forgets after 24 hours (idempotency keys, meter identifiers). */
export interface StubClock {
  now(): number;
  /** Moves the stand-in's clock forward (the rest of the world keeps real time). */
  advance(ms: number): void;
}

/** A way the next meter-event calls go wrong, to exercise the relay. */
export type MeterFault =
  /** Stripe stores the event, then the connection drops: the caller cannot know it was accepted. */
  | 'accept_then_drop'
  /** Stripe answers 500 without storing anything. */
  | 'error';

/** How the stand-in answers every API call an outage matches, until it is lifted. */
export type Outage =
  /** Accepts the connection and never answers (nothing is done). */
  | 'hang'
  /** Does the work, then answers only after `slowMs`: later than the caller waits. */
  | 'slow'
  /** 500 without doing anything. */
  | 'error'
  /** 503 without doing anything. */
  | 'unavailable'
  /** 400 invalid_request_error: Stripe refuses the call as built, and will every time. */
  | 'refuse';

export interface OutageOptions {
  /** Which calls (method and path under /v1/) it hits; all of them when absent. */
  match?: (call: { method: string; path: string }) => boolean;
  /** For 'slow': how long the answer is held back (default 3 s). */
  slowMs?: number;
}

export interface StripeStub {
  url: string;
  host: string;
  port: number;
  /** SDK options that point the real `stripe` package at this server. */
  sdkOptions: { host: string; port: number; protocol: 'http' };
  secretKey: string;
  webhookSecret: string;
  /** The environment that points the api and worker at this server (keys, host, port, protocol). */
  serviceEnv(): Record<string, string>;
  store: Record<string, Map<string, Obj>>;
  /** Accepted meter events, keyed by identifier (a resend of the same identifier is counted once). */
  meterEvents: Map<string, Obj>;
  /** Every POST /v1/billing/meter_events, resends included. */
  meterEventCalls: number;
  /**
   * Every meter event Stripe counted, in order: an identifier resent within 24 hours is counted
   * once, one resent later is counted again (Stripe forgets identifiers after 24 hours).
   */
  meterEventsCounted: Obj[];
  clock: StubClock;
  /** Every object this server has returned, for the fidelity check. */
  returned: Obj[];
  faultMeterEvents(fault: MeterFault, count: number): void;
  /** Starts an outage (null lifts it); `outageHits` counts the calls it answered or left hanging. */
  outage(mode: Outage | null, opts?: OutageOptions): void;
  outageHits: number;
  setWebhookTarget(url: string, secret?: string): void;
  /** Builds (but does not send) a signed Stripe event; `send` posts it. */
  event(type: string, object: Obj): Obj;
  send(event: Obj, opts?: { secret?: string }): Promise<globalThis.Response>;
  /**
   * Pays a session as the browser would. `async`: a delayed payment method (bank debit): the session
   * completes `unpaid` and `settleAsyncPayment` decides later. `presentmentCurrency`: the customer
   * picks this currency (only where the session has Adaptive Pricing; it stays in ours otherwise).
   */
  completeCheckout(sessionId: string, opts?: { async?: boolean; presentmentCurrency?: string }): Promise<Obj>;
  /** The delayed payment of an `unpaid` completed session succeeds or fails (async_payment_succeeded / _failed). */
  settleAsyncPayment(sessionId: string, succeeded: boolean): Promise<Obj>;
  /**
   * The subscription's period ends, as Stripe's billing cycle does: a draft invoice of its items
   * (licensed at their quantity, metered at the period's meter usage through their tiers) and the
   * customer's pending invoice items, `invoice.created` sent, and the subscription moved to its next
   * period. Finalize it with `finalizeInvoice` (or POST /v1/invoices/:id/finalize).
   */
  closePeriod(subscriptionId: string): Promise<Obj>;
  /** Finalizes a draft: discounts, the customer's balance, totals; `invoice.finalized` sent. */
  finalizeInvoice(invoiceId: string): Promise<Obj>;
  /** Every subscription update that changed something, in order (what a retry must not repeat). */
  subscriptionUpdates: { subscription: string; idempotencyKey: string | undefined; prices: string[]; discounts: string[] }[];
  /** A finalized invoice on the subscription's customer (emits invoice.finalized). */
  openInvoice(subscriptionId: string, amount: number): Promise<Obj>;
  payInvoice(invoiceId: string): Promise<Obj>;
  failInvoice(invoiceId: string): Promise<Obj>;
  refund(chargeId: string, amount: number): Promise<Obj>;
  dispute(chargeId: string, status: 'needs_response' | 'lost' | 'won'): Promise<Obj>;
  /** A dispute is decided (charge.dispute.closed). */
  closeDispute(disputeId: string, status: 'lost' | 'won'): Promise<Obj>;
  close(): Promise<void>;
}

const SECRET_KEY = 'sk_test_stub_0000000000000000000000';
/** How long Stripe remembers an idempotency key and a meter event identifier. */
const DEDUPE_MS = 24 * 3600 * 1000;

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}
const missing = (kind: string, id: string) => new StripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', 'id');
const required = (param: string) => new StripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);

/**
 * A local stand-in for the Stripe endpoints Leoma calls, spoken to by the real `stripe` SDK
 * through its host/port/protocol options. State is in memory; it can emit signed webhooks.
 */
export async function startStripeStub(opts: StripeStubOptions = {}): Promise<StripeStub> {
  const store: StripeStub['store'] = {
    customer: new Map(),
    product: new Map(),
    price: new Map(),
    meter: new Map(),
    checkout: new Map(),
    portal: new Map(),
    subscription: new Map(),
    invoice: new Map(),
    charge: new Map(),
    refund: new Map(),
    dispute: new Map(),
    customer_balance_transaction: new Map(),
    invoice_payment: new Map(),
    payment_intent: new Map(),
    coupon: new Map(),
    discount: new Map(),
    invoiceitem: new Map(),
  };
  let clockOffset = 0;
  const clock: StubClock = { now: () => Date.now() + clockOffset, advance: (ms) => void (clockOffset += ms) };
  /** Idempotency-Key → the answer first given (and when): a POST sent again with the same key within 24 h is answered the same, and done once. */
  const idempotent = new Map<string, { body: Obj; at: number }>();
  /** Meter event identifier → when Stripe last counted it. */
  const meterSeen = new Map<string, number>();
  const meterEventsCounted: Obj[] = [];
  let outage: (OutageOptions & { mode: Outage }) | null = null;
  const meterEvents = new Map<string, Obj>();
  const returned: Obj[] = [];
  let faults: MeterFault[] = [];
  let target = { url: opts.webhookUrl, secret: opts.webhookSecret ?? 'whsec_stub_secret' };
  let baseUrl = '';
  const secretKey = opts.secretKey ?? SECRET_KEY;
  const sdk = new Stripe(secretKey);

  const app = express();
  // Stripe's query strings nest like its form bodies (lookup_keys[0]=…); Express 5 parses them flat by default.
  app.set('query parser', 'extended');
  app.use(express.urlencoded({ extended: true, limit: '1mb', parameterLimit: 10_000 }));
  app.use((req, _res, next) => {
    const auth = req.header('authorization') ?? '';
    if (!req.path.startsWith('/checkout/') && !req.path.startsWith('/portal/') && auth !== `Bearer ${secretKey}`) {
      return next(new StripeError(401, 'invalid_request_error', 'Invalid API Key provided.', undefined, undefined));
    }
    next();
  });
  app.use((req, res, next) => {
    if (!outage || !req.path.startsWith('/v1/') || (outage.match && !outage.match({ method: req.method, path: req.path }))) return next();
    stub.outageHits++;
    switch (outage.mode) {
      case 'hang':
        return; // the socket stays open until the caller gives up (or close() ends it)
      case 'error':
        return next(new StripeError(500, 'api_error', 'An unknown error occurred (injected outage).'));
      case 'unavailable':
        return next(new StripeError(503, 'api_error', 'Stripe is temporarily unavailable (injected outage).'));
      case 'refuse':
        return next(new StripeError(400, 'invalid_request_error', 'This request is invalid (injected refusal).'));
      case 'slow': {
        const json = res.json.bind(res);
        const delay = outage.slowMs ?? 3_000;
        res.json = (body: unknown) => {
          setTimeout(() => {
            if (!res.socket?.destroyed) json(body);
          }, delay);
          return res;
        };
        return next();
      }
    }
  });
  // Stripe's idempotency: the first answer to a key is kept and given again, the work done once —
  // for 24 hours; a key sent again later is a new request.
  app.use((req, res, next) => {
    const key = req.method === 'POST' ? req.header('idempotency-key') : undefined;
    if (!key) return next();
    const seen = idempotent.get(key);
    if (seen && clock.now() - seen.at < DEDUPE_MS) return res.json(seen.body);
    const json = res.json.bind(res);
    res.json = (body: Obj) => {
      if (res.statusCode < 400) idempotent.set(key, { body, at: clock.now() });
      return json(body);
    };
    next();
  });

  const send = (res: Response, body: Obj) => {
    returned.push(body);
    res.json(body);
  };
  const get = (kind: string, id: string): Obj => {
    const o = store[kind]!.get(id);
    if (!o) throw missing(kind, id);
    return o;
  };
  const listOf = (res: Response, kind: string, items: Obj[], url: string, limitRaw: unknown) => {
    const limit = Math.min(Number(limitRaw ?? 10), 100);
    const sorted = [...items].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
    returned.push(...items);
    res.json(O.list(sorted.slice(0, limit), url, sorted.length > limit));
    void kind;
  };
  /** The succeeded charge of a PaymentIntent (the object refunds and disputes name). */
  const chargeFor = (pi: Obj): Obj => {
    const ch = O.charge({ amount: pi.amount, currency: pi.currency, customer: pi.customer, paymentIntent: pi.id });
    store.charge!.set(ch.id, ch);
    pi.latest_charge = ch.id;
    pi.amount_received = pi.amount;
    return ch;
  };
  const route = (fn: (req: Request, res: Response) => unknown) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await fn(req, res);
    } catch (e) {
      next(e);
    }
  };

  // Customers
  app.post(
    '/v1/customers',
    route((req, res) => {
      const c = O.customer(req.body);
      store.customer!.set(c.id, c);
      send(res, c);
    }),
  );
  app.get(
    '/v1/customers/:id',
    route((req, res) => send(res, get('customer', req.params.id as string))),
  );
  app.post(
    '/v1/customers/:id',
    route((req, res) => {
      const c = get('customer', req.params.id as string);
      Object.assign(c, pick(req.body, ['name', 'email', 'description']), req.body.metadata ? { metadata: { ...c.metadata, ...req.body.metadata } } : {});
      send(res, c);
    }),
  );
  // Customer balance: a negative amount is a credit the next invoices use first.
  app.post(
    '/v1/customers/:id/balance_transactions',
    route((req, res) => {
      const c = get('customer', req.params.id as string);
      if (req.body.amount === undefined) throw required('amount');
      if (!req.body.currency) throw required('currency');
      c.balance += Number(req.body.amount);
      const t = O.customerBalanceTransaction(req.body, c);
      store.customer_balance_transaction!.set(t.id, t);
      send(res, t);
    }),
  );

  // Products (our catalogue passes its own ids, so a retry finds the same product)
  app.post(
    '/v1/products',
    route((req, res) => {
      if (!req.body.name) throw required('name');
      if (req.body.id && store.product!.has(req.body.id))
        throw new StripeError(400, 'invalid_request_error', 'Product already exists.', 'resource_already_exists', 'id');
      const p = O.product(req.body);
      store.product!.set(p.id, p);
      send(res, p);
    }),
  );
  app.get(
    '/v1/products/:id',
    route((req, res) => send(res, get('product', req.params.id as string))),
  );
  app.post(
    '/v1/products/:id',
    route((req, res) => {
      const p = get('product', req.params.id as string);
      Object.assign(p, pick(req.body, ['name', 'description', 'unit_label']), req.body.metadata ? { metadata: { ...p.metadata, ...req.body.metadata } } : {}, {
        updated: O.now(),
      });
      send(res, p);
    }),
  );

  // Prices: immutable amounts, looked up by lookup_key; transfer_lookup_key moves a key to a new price.
  app.post(
    '/v1/prices',
    route((req, res) => {
      for (const k of ['currency', 'product']) if (!req.body[k]) throw required(k);
      get('product', req.body.product);
      if (req.body.recurring?.meter) get('meter', req.body.recurring.meter);
      const key = req.body.lookup_key;
      const holder = key ? [...store.price!.values()].find((p) => p.lookup_key === key) : undefined;
      if (holder && req.body.transfer_lookup_key !== 'true')
        throw new StripeError(400, 'invalid_request_error', `A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key_exists', 'lookup_key');
      if (holder) holder.lookup_key = null;
      const p = O.price(req.body);
      store.price!.set(p.id, p);
      send(res, p);
    }),
  );
  app.get(
    '/v1/prices',
    route((req, res) => {
      const keys = ([] as string[]).concat((req.query.lookup_keys as string[] | string | undefined) ?? []);
      const items = [...store.price!.values()].filter(
        (p) => (!keys.length || keys.includes(p.lookup_key)) && (req.query.active === undefined || String(p.active) === req.query.active),
      );
      listOf(res, 'price', items, '/v1/prices', req.query.limit);
    }),
  );
  app.get(
    '/v1/prices/:id',
    route((req, res) => send(res, get('price', req.params.id as string))),
  );
  app.post(
    '/v1/prices/:id',
    route((req, res) => {
      const p = get('price', req.params.id as string);
      if (req.body.active !== undefined) p.active = req.body.active === 'true';
      if (req.body.lookup_key !== undefined) p.lookup_key = req.body.lookup_key || null;
      send(res, p);
    }),
  );

  // Billing meters and meter events
  app.post(
    '/v1/billing/meters',
    route((req, res) => {
      for (const k of ['display_name', 'event_name']) if (!req.body[k]) throw required(k);
      if ([...store.meter!.values()].some((m) => m.event_name === req.body.event_name && m.status === 'active')) {
        throw new StripeError(400, 'invalid_request_error', 'An active meter with this event_name already exists.', undefined, 'event_name');
      }
      const m = O.meter(req.body);
      store.meter!.set(m.id, m);
      send(res, m);
    }),
  );
  app.get(
    '/v1/billing/meters',
    route((req, res) =>
      listOf(
        res,
        'meter',
        [...store.meter!.values()].filter((m) => !req.query.status || m.status === req.query.status),
        '/v1/billing/meters',
        req.query.limit,
      ),
    ),
  );
  app.get(
    '/v1/billing/meters/:id',
    route((req, res) => send(res, get('meter', req.params.id as string))),
  );
  app.post(
    '/v1/billing/meter_events',
    route((req, res) => {
      stub.meterEventCalls++;
      const fault = faults.shift();
      if (fault === 'error') throw new StripeError(500, 'api_error', 'An unknown error occurred (injected).');
      for (const k of ['event_name', 'payload']) if (!req.body[k]) throw required(k);
      const m = [...store.meter!.values()].find((x) => x.event_name === req.body.event_name && x.status === 'active');
      if (!m) throw new StripeError(400, 'invalid_request_error', `No active meter with event_name ${req.body.event_name}.`, undefined, 'event_name');
      const customerId = req.body.payload[m.customer_mapping.event_payload_key];
      if (!customerId) throw required(`payload[${m.customer_mapping.event_payload_key}]`);
      get('customer', customerId);
      const value = req.body.payload[m.value_settings.event_payload_key];
      if (value === undefined || !/^\d+$/.test(String(value)))
        throw new StripeError(400, 'invalid_request_error', 'payload value must be a whole number.', undefined, 'payload');
      const ev = O.meterEvent(req.body);
      // Stripe enforces identifier uniqueness for 24 hours: a resend within them is accepted and counted
      // once; after them the identifier is forgotten and the resend is counted again.
      const existing = meterEvents.get(ev.identifier);
      if (!existing) meterEvents.set(ev.identifier, { ...ev, meter: m.id });
      const seenAt = meterSeen.get(ev.identifier);
      if (seenAt === undefined || clock.now() - seenAt >= DEDUPE_MS) {
        meterSeen.set(ev.identifier, clock.now());
        meterEventsCounted.push({ ...ev, meter: m.id });
      }
      if (fault === 'accept_then_drop') {
        res.socket?.destroy();
        return;
      }
      send(res, existing ? stripMeter(existing) : ev);
    }),
  );
  app.get(
    '/v1/billing/meters/:id/event_summaries',
    route((req, res) => {
      const m = get('meter', req.params.id as string);
      if (!req.query.customer) throw required('customer');
      const start = Number(req.query.start_time);
      const end = Number(req.query.end_time);
      if (!Number.isFinite(start)) throw required('start_time');
      if (!Number.isFinite(end)) throw required('end_time');
      let value = 0;
      for (const ev of meterEventsCounted) {
        if (ev.meter !== m.id || ev.payload[m.customer_mapping.event_payload_key] !== req.query.customer) continue;
        if (ev.timestamp >= start && ev.timestamp < end) value += Number(ev.payload[m.value_settings.event_payload_key]);
      }
      listOf(res, 'summary', [O.meterEventSummary(m.id, start, end, value)], `/v1/billing/meters/${m.id}/event_summaries`, req.query.limit);
    }),
  );

  // Checkout and the customer portal
  app.post(
    '/v1/checkout/sessions',
    route((req, res) => {
      if (!req.body.mode) throw required('mode');
      if (req.body.customer) get('customer', req.body.customer);
      const items: Obj[] = Object.values(req.body.line_items ?? {});
      if (!items.length) throw required('line_items');
      for (const i of items) get('price', i.price);
      const s = O.checkoutSession(req.body, baseUrl);
      s.line_items_requested = undefined;
      const adaptive = req.body.adaptive_pricing?.enabled;
      s.adaptive_pricing = { enabled: adaptive === undefined ? opts.adaptivePricingByDefault !== false : adaptive === 'true' };
      store.checkout!.set(s.id, { ...s, _items: items, _subscription_data: req.body.subscription_data });
      send(res, s);
    }),
  );
  app.get(
    '/v1/checkout/sessions/:id',
    route((req, res) => send(res, publicCheckout(get('checkout', req.params.id as string)))),
  );
  // Expiring a session: only an open one; it can no longer be paid.
  app.post(
    '/v1/checkout/sessions/:id/expire',
    route((req, res) => {
      const s = get('checkout', req.params.id as string);
      if (s.status !== 'open') throw new StripeError(400, 'invalid_request_error', 'Only Checkout Sessions with a status in ["open"] can be expired.');
      Object.assign(s, { status: 'expired', url: null });
      send(res, publicCheckout(s));
    }),
  );
  app.post(
    '/v1/billing_portal/sessions',
    route((req, res) => {
      if (!req.body.customer) throw required('customer');
      get('customer', req.body.customer);
      send(res, O.portalSession(req.body, baseUrl));
    }),
  );
  // What a person sees after following a checkout URL: one button that pays.
  app.get(
    '/checkout/:id',
    route((req, res) => {
      const s = get('checkout', req.params.id as string);
      res.type('html').send(`<!doctype html><title>Stripe stand-in checkout</title><h1>Stripe stand-in</h1><p>Subscribe (${s._items.length} price(s)).</p>
<form method="post"><button>Pay (test card)</button></form>`);
    }),
  );
  app.post(
    '/checkout/:id',
    route(async (req, res) => {
      const s = await stub.completeCheckout(req.params.id as string);
      res.redirect(303, s.success_url ?? '/');
    }),
  );
  app.get('/portal/:id', (_req, res) => {
    res.type('html').send('<!doctype html><title>Stripe stand-in portal</title><h1>Customer portal (stand-in)</h1><p>Nothing to manage here.</p>');
  });

  // Coupons: a percent or amount off; a subscription names one in `discounts`.
  app.post(
    '/v1/coupons',
    route((req, res) => {
      if (req.body.percent_off === undefined && req.body.amount_off === undefined) throw required('percent_off');
      if (req.body.id && store.coupon!.has(req.body.id))
        throw new StripeError(400, 'invalid_request_error', 'Coupon already exists.', 'resource_already_exists', 'id');
      const pct = req.body.percent_off !== undefined ? Number(req.body.percent_off) : null;
      if (pct !== null && !(pct > 0 && pct <= 100))
        throw new StripeError(400, 'invalid_request_error', 'Invalid percent_off: must be between 0 and 100.', 'parameter_invalid_integer', 'percent_off');
      const c = O.coupon(req.body);
      store.coupon!.set(c.id, c);
      send(res, c);
    }),
  );
  app.get(
    '/v1/coupons/:id',
    route((req, res) => send(res, get('coupon', req.params.id as string))),
  );
  /** `discounts[0][coupon]=…` → the subscription's discount ids; an empty `discounts` clears them. */
  const discountsOf = (sub: Obj, raw: unknown): string[] => {
    if (raw === '') return [];
    return (Object.values(raw ?? {}) as Obj[]).map((d) => {
      const c = get('coupon', d.coupon);
      const existing = sub.discounts.map((id: string) => store.discount!.get(id)).find((x: Obj | undefined) => x?.source.coupon === c.id);
      if (existing) return existing.id;
      const di = O.discount({ coupon: c, customer: sub.customer, subscription: sub.id });
      store.discount!.set(di.id, di);
      c.times_redeemed++;
      return di.id;
    });
  };
  // Invoice items: onto a draft invoice, or pending until the customer's next invoice.
  app.post(
    '/v1/invoiceitems',
    route((req, res) => {
      for (const k of ['customer', 'amount', 'currency']) if (req.body[k] === undefined) throw required(k);
      get('customer', req.body.customer);
      const draft = req.body.invoice ? get('invoice', req.body.invoice) : null;
      if (draft && draft.status !== 'draft')
        throw new StripeError(
          400,
          'invalid_request_error',
          `You can only add invoice items to draft invoices (${draft.id} is ${draft.status}).`,
          'invoice_not_editable',
          'invoice',
        );
      const ii = O.invoiceItem(req.body, req.body.customer);
      store.invoiceitem!.set(ii.id, ii);
      if (draft) addItemLine(draft, ii);
      send(res, ii);
    }),
  );
  app.get(
    '/v1/invoiceitems',
    route((req, res) =>
      listOf(
        res,
        'invoiceitem',
        [...store.invoiceitem!.values()].filter(
          (i) =>
            (!req.query.customer || i.customer === req.query.customer) &&
            (!req.query.invoice || i.invoice === req.query.invoice) &&
            (req.query.pending !== 'true' || i.invoice === null),
        ),
        '/v1/invoiceitems',
        req.query.limit,
      ),
    ),
  );
  app.get(
    '/v1/invoiceitems/:id',
    route((req, res) => send(res, get('invoiceitem', req.params.id as string))),
  );
  const addItemLine = (inv: Obj, ii: Obj) => {
    ii.invoice = inv.id;
    inv.lines.data.push(
      O.lineItem({
        invoice: inv.id,
        amount: ii.amount,
        currency: ii.currency,
        description: ii.description ?? 'Invoice item',
        discountable: ii.discountable,
        period: ii.period,
        quantity: 1,
        subscription: ii.parent?.subscription_details?.subscription ?? null,
        invoiceItem: ii.id,
      }),
    );
    totals(inv);
  };
  /** Subtotal of the lines; the totals before finalization (discounts and the balance are applied then). */
  const totals = (inv: Obj) => {
    inv.subtotal = inv.lines.data.reduce((s: number, l: Obj) => s + l.amount, 0);
    Object.assign(inv, {
      subtotal_excluding_tax: inv.subtotal,
      total: inv.subtotal,
      total_excluding_tax: inv.subtotal,
      amount_due: inv.subtotal,
      amount_remaining: inv.subtotal,
    });
  };
  app.post(
    '/v1/invoices/:id/finalize',
    route(async (req, res) => send(res, await stub.finalizeInvoice(req.params.id as string))),
  );

  // Subscriptions
  const newSubscription = (body: Obj): Obj => {
    if (!body.customer) throw required('customer');
    get('customer', body.customer);
    const items: Obj[] = Object.values(body.items ?? {});
    if (!items.length) throw required('items');
    if (body.collection_method === 'send_invoice' && body.days_until_due === undefined) throw required('days_until_due');
    const sub = O.subscription(body);
    let start = sub.created;
    let end = start + 30 * 86400;
    // billing_cycle_anchor: the first period runs to the anchor (prorated), then whole intervals from it.
    if (body.billing_cycle_anchor !== undefined) {
      const anchor = Number(body.billing_cycle_anchor);
      if (anchor <= start && !body._checkout)
        throw new StripeError(400, 'invalid_request_error', 'billing_cycle_anchor must be in the future.', undefined, 'billing_cycle_anchor');
      // Checkout paid after its anchor passed charges the full period that starts at the anchor.
      if (anchor <= start) [start, end] = [anchor, addMonth(anchor)];
      else end = anchor;
      sub.billing_cycle_anchor = anchor;
    }
    sub.currency = get('price', items[0]!.price).currency;
    sub.items.data = items.map((i) => {
      const pr = get('price', i.price);
      return O.subscriptionItem(sub.id, pr, start, end, pr.recurring?.usage_type === 'metered' ? undefined : Number(i.quantity ?? 1));
    });
    sub.items.url = `/v1/subscription_items?subscription=${sub.id}`;
    if (body.discounts !== undefined) sub.discounts = discountsOf(sub, body.discounts);
    store.subscription!.set(sub.id, sub);
    return sub;
  };
  app.post(
    '/v1/subscriptions',
    route(async (req, res) => {
      const sub = newSubscription(req.body);
      send(res, sub);
      await stub.send(stub.event('customer.subscription.created', sub)).catch(() => undefined);
    }),
  );
  app.get(
    '/v1/subscriptions',
    route((req, res) =>
      listOf(
        res,
        'subscription',
        [...store.subscription!.values()].filter((s) => !req.query.customer || s.customer === req.query.customer),
        '/v1/subscriptions',
        req.query.limit,
      ),
    ),
  );
  app.get(
    '/v1/subscriptions/:id',
    route((req, res) => send(res, get('subscription', req.params.id as string))),
  );
  app.post(
    '/v1/subscriptions/:id',
    route(async (req, res) => {
      const sub = get('subscription', req.params.id as string);
      if (sub.status === 'canceled')
        throw new StripeError(400, 'invalid_request_error', 'A canceled subscription can only update its cancellation_details and metadata.');
      for (const i of Object.values(req.body.items ?? {}) as Obj[]) {
        if (i.id) {
          const idx = sub.items.data.findIndex((x: Obj) => x.id === i.id);
          if (idx < 0) throw missing('subscription_item', i.id);
          if (i.deleted === 'true') sub.items.data.splice(idx, 1);
          else if (i.price) sub.items.data[idx].price = get('price', i.price);
        } else if (i.price) {
          const pr = get('price', i.price);
          const first = sub.items.data[0];
          sub.items.data.push(
            O.subscriptionItem(
              sub.id,
              pr,
              first?.current_period_start ?? O.now(),
              first?.current_period_end ?? O.now(),
              pr.recurring?.usage_type === 'metered' ? undefined : 1,
            ),
          );
        }
      }
      Object.assign(
        sub,
        pick(req.body, ['collection_method']),
        req.body.days_until_due !== undefined ? { days_until_due: Number(req.body.days_until_due) } : {},
      );
      if (req.body.cancel_at_period_end !== undefined) {
        sub.cancel_at_period_end = req.body.cancel_at_period_end === 'true';
        sub.cancel_at = sub.cancel_at_period_end ? (sub.items.data[0]?.current_period_end ?? null) : null;
      }
      if (req.body.metadata) sub.metadata = { ...sub.metadata, ...req.body.metadata };
      if (req.body.discounts !== undefined) sub.discounts = discountsOf(sub, req.body.discounts);
      stub.subscriptionUpdates.push({
        subscription: sub.id,
        idempotencyKey: req.header('idempotency-key'),
        prices: sub.items.data.map((i: Obj) => i.price.id),
        discounts: [...sub.discounts],
      });
      send(res, sub);
      await stub.send(stub.event('customer.subscription.updated', sub)).catch(() => undefined);
    }),
  );
  app.delete(
    '/v1/subscriptions/:id',
    route(async (req, res) => {
      const sub = get('subscription', req.params.id as string);
      Object.assign(sub, { status: 'canceled', canceled_at: O.now(), ended_at: O.now() });
      send(res, sub);
      await stub.send(stub.event('customer.subscription.deleted', sub)).catch(() => undefined);
    }),
  );

  // Invoices, charges, refunds, disputes
  app.get(
    '/v1/invoices',
    route((req, res) =>
      listOf(
        res,
        'invoice',
        [...store.invoice!.values()].filter(
          (i) =>
            (!req.query.customer || i.customer === req.query.customer) &&
            (!req.query.status || i.status === req.query.status) &&
            (!req.query.subscription || i.parent?.subscription_details?.subscription === req.query.subscription),
        ),
        '/v1/invoices',
        req.query.limit,
      ),
    ),
  );
  app.get(
    '/v1/invoices/:id',
    route((req, res) => send(res, get('invoice', req.params.id as string))),
  );
  app.get(
    '/v1/invoices/:id/lines',
    route((req, res) =>
      listOf(res, 'line_item', get('invoice', req.params.id as string).lines.data, `/v1/invoices/${req.params.id}/lines`, req.query.limit ?? 100),
    ),
  );
  app.get(
    '/v1/charges/:id',
    route((req, res) => send(res, get('charge', req.params.id as string))),
  );
  app.post(
    '/v1/refunds',
    route(async (req, res) => {
      if (!req.body.charge) throw required('charge');
      send(res, await stub.refund(req.body.charge, Number(req.body.amount ?? get('charge', req.body.charge).amount)));
    }),
  );
  app.get(
    '/v1/refunds',
    route((req, res) =>
      listOf(
        res,
        'refund',
        [...store.refund!.values()].filter((r) => !req.query.charge || r.charge === req.query.charge),
        '/v1/refunds',
        req.query.limit,
      ),
    ),
  );
  app.get(
    '/v1/refunds/:id',
    route((req, res) => send(res, get('refund', req.params.id as string))),
  );
  app.get(
    '/v1/disputes/:id',
    route((req, res) => send(res, get('dispute', req.params.id as string))),
  );
  // Which invoice a payment paid: Stripe puts no invoice on the charge, the InvoicePayment links them.
  app.get(
    '/v1/invoice_payments',
    route((req, res) => {
      const payment = (req.query.payment ?? {}) as Obj;
      if (payment.payment_intent && !payment.type) throw required('payment[type]');
      const items = [...store.invoice_payment!.values()].filter(
        (p) =>
          (!req.query.invoice || p.invoice === req.query.invoice) &&
          (!payment.payment_intent || p.payment.payment_intent === payment.payment_intent) &&
          (!req.query.status || p.status === req.query.status),
      );
      listOf(res, 'invoice_payment', items, '/v1/invoice_payments', req.query.limit);
    }),
  );
  app.get(
    '/v1/invoice_payments/:id',
    route((req, res) => send(res, get('invoice_payment', req.params.id as string))),
  );
  app.get(
    '/v1/payment_intents/:id',
    route((req, res) => send(res, get('payment_intent', req.params.id as string))),
  );

  app.use((req: Request, _res: Response, next: NextFunction) =>
    next(new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.path}).`)),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err instanceof StripeError ? err : new StripeError(500, 'api_error', (err as Error).message);
    res.status(e.status).json({
      error: { type: e.type, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.param ? { param: e.param } : {}), request_log_url: null },
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const stub: StripeStub = {
    url: baseUrl,
    host: '127.0.0.1',
    port,
    sdkOptions: { host: '127.0.0.1', port, protocol: 'http' },
    secretKey,
    get webhookSecret() {
      return target.secret;
    },
    serviceEnv() {
      return {
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_WEBHOOK_SECRET: target.secret,
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: String(port),
        STRIPE_API_PROTOCOL: 'http',
      };
    },
    store,
    meterEvents,
    meterEventCalls: 0,
    meterEventsCounted,
    clock,
    returned,
    faultMeterEvents(fault, count) {
      faults = Array.from({ length: count }, () => fault);
    },
    outage(mode, outageOpts = {}) {
      outage = mode ? { ...outageOpts, mode } : null;
    },
    outageHits: 0,
    setWebhookTarget(url, secret) {
      target = { url, secret: secret ?? target.secret };
    },
    event: (type, object) => {
      const ev = O.event(type, structuredClone(object));
      returned.push(ev);
      return ev;
    },
    async send(ev, sendOpts = {}) {
      if (!target.url) throw new Error('stripe stub: no webhook target');
      const payload = JSON.stringify(ev);
      const header = sdk.webhooks.generateTestHeaderString({ payload, secret: sendOpts.secret ?? target.secret });
      return fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
    },
    async completeCheckout(sessionId, completeOpts = {}) {
      const s = get('checkout', sessionId);
      if (s.status !== 'open') return publicCheckout(s);
      const customerId =
        s.customer ??
        (() => {
          const c = O.customer({ metadata: s.metadata });
          store.customer!.set(c.id, c);
          return c.id;
        })();
      if (s.mode === 'payment') {
        // A one-off payment: no subscription. The session stays in the prices' currency; with Adaptive
        // Pricing the customer may pay in theirs, which Stripe reports only in presentment_details.
        const total = s._items.reduce((sum: number, i: Obj) => sum + get('price', i.price).unit_amount * Number(i.quantity ?? 1), 0);
        const cur = get('price', s._items[0].price).currency;
        const presented =
          completeOpts.presentmentCurrency && s.adaptive_pricing?.enabled && completeOpts.presentmentCurrency !== cur ? completeOpts.presentmentCurrency : null;
        const pi = O.paymentIntent({ amount: total, currency: cur, customer: customerId, status: completeOpts.async ? 'processing' : 'succeeded' });
        store.payment_intent!.set(pi.id, pi);
        Object.assign(s, {
          status: 'complete',
          payment_status: completeOpts.async ? 'unpaid' : 'paid',
          customer: customerId,
          amount_subtotal: total,
          amount_total: total,
          currency: cur,
          payment_intent: pi.id,
          url: null,
          ...(presented ? { presentment_details: { presentment_amount: total, presentment_currency: presented } } : {}),
        });
        if (!completeOpts.async) chargeFor(pi);
        await stub.send(stub.event('checkout.session.completed', publicCheckout(s))).catch(() => undefined);
        return publicCheckout(s);
      }
      const sub = newSubscription({
        customer: customerId,
        items: s._items,
        metadata: s._subscription_data?.metadata ?? s.metadata,
        ...(s._subscription_data?.billing_cycle_anchor !== undefined
          ? { billing_cycle_anchor: s._subscription_data.billing_cycle_anchor, _checkout: true }
          : {}),
      });
      Object.assign(s, { status: 'complete', payment_status: 'paid', customer: customerId, subscription: sub.id, url: null });
      await stub.send(stub.event('checkout.session.completed', publicCheckout(s))).catch(() => undefined);
      await stub.send(stub.event('customer.subscription.created', sub)).catch(() => undefined);
      return publicCheckout(s);
    },
    async settleAsyncPayment(sessionId, succeeded) {
      const s = get('checkout', sessionId);
      if (s.status !== 'complete' || s.payment_status !== 'unpaid' || !s.payment_intent)
        throw new Error(`stripe stub: session ${sessionId} has no pending payment`);
      const pi = get('payment_intent', s.payment_intent);
      if (succeeded) {
        pi.status = 'succeeded';
        s.payment_status = 'paid';
        chargeFor(pi);
      } else {
        pi.status = 'requires_payment_method';
      }
      await stub
        .send(stub.event(succeeded ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed', publicCheckout(s)))
        .catch(() => undefined);
      return publicCheckout(s);
    },
    subscriptionUpdates: [],
    async closePeriod(subscriptionId) {
      const sub = get('subscription', subscriptionId);
      const first = sub.items.data[0];
      const period = { start: first.current_period_start, end: first.current_period_end };
      const inv = O.invoice({
        customer: sub.customer,
        subscription: sub.id,
        amount_due: 0,
        currency: sub.currency,
        collection_method: sub.collection_method,
        period_start: period.start,
        period_end: period.end,
      });
      inv.lines = O.list([], `/v1/invoices/${inv.id}/lines`);
      for (const item of sub.items.data) {
        const pr = item.price;
        let quantity = item.quantity ?? 1;
        if (pr.recurring?.usage_type === 'metered') {
          const m = get('meter', pr.recurring.meter);
          quantity = meterEventsCounted
            .filter(
              (ev) =>
                ev.meter === m.id &&
                ev.payload[m.customer_mapping.event_payload_key] === sub.customer &&
                ev.timestamp >= period.start &&
                ev.timestamp < period.end,
            )
            .reduce((n, ev) => n + Number(ev.payload[m.value_settings.event_payload_key]), 0);
        }
        inv.lines.data.push(
          O.lineItem({
            invoice: inv.id,
            amount: O.priceAmount(pr, quantity),
            currency: pr.currency,
            description: `${quantity} × ${pr.nickname ?? pr.id}`,
            discountable: true,
            period,
            quantity,
            subscription: sub.id,
            subscriptionItem: item.id,
            price: pr,
          }),
        );
      }
      for (const ii of store.invoiceitem!.values()) if (ii.customer === sub.customer && ii.invoice === null) addItemLine(inv, ii);
      totals(inv);
      inv.discounts = [...sub.discounts];
      inv.auto_advance = true;
      inv.automatically_finalizes_at = O.now() + 3600;
      store.invoice!.set(inv.id, inv);
      for (const i of sub.items.data) Object.assign(i, { current_period_start: period.end, current_period_end: addMonth(period.end) });
      sub.latest_invoice = inv.id;
      await stub.send(stub.event('invoice.created', inv)).catch(() => undefined);
      return inv;
    },
    async finalizeInvoice(invoiceId) {
      const inv = get('invoice', invoiceId);
      if (inv.status !== 'draft')
        throw new StripeError(400, 'invalid_request_error', `This invoice is already finalized (${inv.status}).`, 'invoice_already_finalized');
      totals(inv);
      // A subscription's percent-off coupons apply to its discountable lines, each line's share rounded.
      const discountable = inv.lines.data.filter((l: Obj) => l.discountable);
      inv.total_discount_amounts = [];
      for (const id of inv.discounts as string[]) {
        const c = get('coupon', store.discount!.get(id)!.source.coupon);
        let off = 0;
        for (const l of discountable) {
          const amount = c.percent_off !== null ? Math.round((l.amount * c.percent_off) / 100) : 0;
          l.discount_amounts.push({ amount, discount: id });
          off += amount;
        }
        if (c.amount_off !== null) off = Math.min(c.amount_off, inv.subtotal);
        inv.total_discount_amounts.push({ amount: off, discount: id });
      }
      const off = inv.total_discount_amounts.reduce((s: number, d: Obj) => s + d.amount, 0);
      const total = inv.subtotal - off;
      // The customer's balance (negative: credit) pays what it can of the total.
      const c = get('customer', inv.customer);
      const applied = Math.max(c.balance, -total);
      Object.assign(inv, {
        total,
        total_excluding_tax: total,
        total_taxes: [],
        starting_balance: c.balance,
        ending_balance: c.balance - applied,
        amount_due: total + applied,
        amount_remaining: total + applied,
        status: 'open',
        number: `STUB-${store.invoice!.size}`,
        effective_at: O.now(),
        hosted_invoice_url: `${baseUrl}/invoices/${inv.id}`,
        invoice_pdf: `${baseUrl}/invoices/${inv.id}/pdf`,
        automatically_finalizes_at: null,
      });
      c.balance -= applied;
      inv.status_transitions.finalized_at = O.now();
      await stub.send(stub.event('invoice.finalized', inv)).catch(() => undefined);
      return inv;
    },
    async openInvoice(subscriptionId, amount) {
      const sub = get('subscription', subscriptionId);
      const item = sub.items.data[0];
      const inv = O.invoice({
        customer: sub.customer,
        subscription: sub.id,
        amount_due: amount,
        currency: sub.currency,
        collection_method: sub.collection_method,
        period_start: item?.current_period_start,
        period_end: item?.current_period_end,
        due_date: sub.collection_method === 'send_invoice' ? O.now() + (sub.days_until_due ?? 0) * 86400 : null,
      });
      Object.assign(inv, {
        status: 'open',
        number: `STUB-${store.invoice!.size + 1}`,
        effective_at: O.now(),
        hosted_invoice_url: `${baseUrl}/invoices/${inv.id}`,
        invoice_pdf: `${baseUrl}/invoices/${inv.id}/pdf`,
      });
      inv.status_transitions.finalized_at = O.now();
      store.invoice!.set(inv.id, inv);
      sub.latest_invoice = inv.id;
      await stub.send(stub.event('invoice.finalized', inv)).catch(() => undefined);
      return inv;
    },
    async payInvoice(invoiceId) {
      const inv = get('invoice', invoiceId);
      // As Stripe does: the charge belongs to a PaymentIntent and names no invoice; an InvoicePayment links the two.
      const pi = O.paymentIntent({ amount: inv.amount_due, currency: inv.currency, customer: inv.customer, status: 'succeeded' });
      store.payment_intent!.set(pi.id, pi);
      const ch = chargeFor(pi);
      const ip = O.invoicePayment({ invoice: inv.id, amount: inv.amount_due, currency: inv.currency, paymentIntent: pi.id });
      store.invoice_payment!.set(ip.id, ip);
      Object.assign(inv, { status: 'paid', amount_paid: inv.amount_due, amount_remaining: 0, attempted: true, attempt_count: inv.attempt_count + 1 });
      inv.status_transitions.paid_at = O.now();
      const sub = inv.parent?.subscription_details?.subscription ? store.subscription!.get(inv.parent.subscription_details.subscription) : undefined;
      if (sub && sub.status === 'past_due') {
        sub.status = 'active';
        await stub.send(stub.event('customer.subscription.updated', sub)).catch(() => undefined);
      }
      await stub.send(stub.event('invoice.paid', inv)).catch(() => undefined);
      return { invoice: inv, charge: ch };
    },
    async failInvoice(invoiceId) {
      const inv = get('invoice', invoiceId);
      Object.assign(inv, { attempted: true, attempt_count: inv.attempt_count + 1, next_payment_attempt: O.now() + 3 * 86400 });
      const sub = inv.parent?.subscription_details?.subscription ? store.subscription!.get(inv.parent.subscription_details.subscription) : undefined;
      if (sub && sub.status === 'active') {
        sub.status = 'past_due';
        await stub.send(stub.event('customer.subscription.updated', sub)).catch(() => undefined);
      }
      await stub.send(stub.event('invoice.payment_failed', inv)).catch(() => undefined);
      return inv;
    },
    async refund(chargeId, amount) {
      const ch = get('charge', chargeId);
      if (amount <= 0 || ch.amount_refunded + amount > ch.amount)
        throw new StripeError(400, 'invalid_request_error', 'Refund amount is greater than unrefunded amount on charge.', 'amount_too_large', 'amount');
      const r = O.refund({ charge: ch.id, amount, currency: ch.currency });
      store.refund!.set(r.id, r);
      ch.amount_refunded += amount;
      ch.refunded = ch.amount_refunded === ch.amount;
      ch.refunds.data.push(r);
      await stub.send(stub.event('charge.refunded', ch)).catch(() => undefined);
      return r;
    },
    async dispute(chargeId, status) {
      const ch = get('charge', chargeId);
      const d = O.dispute({ charge: ch.id, amount: ch.amount, currency: ch.currency, status });
      store.dispute!.set(d.id, d);
      ch.disputed = true;
      await stub.send(stub.event('charge.dispute.created', d)).catch(() => undefined);
      return d;
    },
    async closeDispute(disputeId, status) {
      const d = get('dispute', disputeId);
      d.status = status;
      await stub.send(stub.event('charge.dispute.closed', d)).catch(() => undefined);
      return d;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return stub;
}

/** The same time one calendar month later (UTC), as Stripe's monthly intervals count. */
function addMonth(unix: number): number {
  const d = new Date(unix * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

function pick(o: Obj, keys: string[]): Obj {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

function stripMeter({ meter: _m, ...ev }: Obj): Obj {
  return ev;
}

/** The session without the stand-in's private bookkeeping. */
function publicCheckout(s: Obj): Obj {
  const { _items: _i, _subscription_data: _d, line_items_requested: _l, ...rest } = s;
  return rest;
}
