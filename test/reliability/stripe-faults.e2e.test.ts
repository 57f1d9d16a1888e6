import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type Outage, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { brokenInvariants, brokenMeterInvariants } from './invariants.js';

/**
 * The Stripe stand-in hanging (accepts the connection, never answers), answering too late (having
 * done the work), answering 500 and 503 — under the real `stripe` SDK, for every kind of call we
 * make: customer-facing (checkout, portal, invoices, credit checkout), operator (catalogue sync),
 * the meter relay and the processing of Stripe's events. The customer must get a clean 502/504
 * promptly; background work must retry and, once Stripe answers again, leave exactly one meter
 * event per live usage record and every event applied.
 */

const ATTEMPT_MS = 600; // STRIPE_TIMEOUT_MS: one background attempt
const REQUEST_MS = 1_000; // STRIPE_REQUEST_TIMEOUT_MS: all Stripe calls of one customer request
const SLOW_MS = 2_000; // the stand-in's late answers come after either
/** "Promptly": the request deadline plus slack for a loaded shared machine. */
const PROMPT_MS = REQUEST_MS + 1_500;
/** An operator route: two attempts of ATTEMPT_MS and the SDK's backoff (0.5–1 s) between them. */
const OPERATOR_BOUND_MS = 2 * ATTEMPT_MS + 1_000 + 1_500;

let app: TestApp;
let stub: StripeStub;
let tenantId: string;
let key: string;
const image = dataUri(makeImage('png', '64x64'));
const METER_EVENTS = (c: { method: string; path: string }) => c.path === '/v1/billing/meter_events';

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_faults' });
  app = await startTestApp({
    worker: true,
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      ...stub.serviceEnv(),
      STRIPE_TIMEOUT_MS: String(ATTEMPT_MS),
      STRIPE_MAX_NETWORK_RETRIES: '1',
      STRIPE_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      METER_RELAY_INTERVAL_MS: '100',
      METER_RETRY_BASE_MS: '50',
      METER_RETRY_MAX_MS: '300',
      // Riding out outages, not giving up: a slow shared machine must not run a row out of attempts.
      METER_MAX_ATTEMPTS: '1000',
      STRIPE_EVENT_ATTEMPTS: '2',
      STRIPE_EVENT_RETRY_MS: '100',
      STRIPE_EVENT_SWEEP_MS: '300',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).status).toBe(200);
  ({ tenantId, key } = await app.tenant({ plan: 'pro', limits: { concurrent_videos: 20 } }));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const routes = {
  checkout: () => app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'pro' } }),
  portal: () => app.request('/v1/billing/portal', { method: 'POST', key }),
  invoices: () => app.request('/v1/billing/invoices', { key }),
  credits: () => app.request('/v1/billing/credits/checkout', { method: 'POST', key, json: { amount: 1000 } }),
  syncCatalog: () => app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey }),
};
type Route = keyof typeof routes;

/** Calls the route and checks the answer is the clean problem for this outage, within `boundMs`. */
async function expectCleanFailure(route: Route, mode: Outage, boundMs = PROMPT_MS): Promise<void> {
  const started = Date.now();
  const res = await routes[route]();
  const elapsed = Date.now() - started;
  const body = (await res.json()) as { code?: string; status?: number };
  const [status, code] = mode === 'hang' || mode === 'slow' ? [504, 'stripe_timeout'] : [502, 'stripe_unavailable'];
  expect({ route, mode, status: res.status, code: body.code }).toEqual({ route, mode, status, code });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('retry-after')).toBe('5');
  expect(elapsed, `${route} under ${mode} took ${elapsed} ms`).toBeLessThan(boundMs);
}

describe('Stripe hanging, slow or failing', () => {
  it('customer routes answer 502/504 promptly in every mode, and the customer made by a timed-out call is the one found after', async () => {
    // No Stripe customer yet: the first call of each route is the customer's creation.
    stub.outage('slow', { slowMs: SLOW_MS });
    await expectCleanFailure('checkout', 'slow'); // Stripe made the customer; we never heard
    stub.outage('hang');
    await expectCleanFailure('portal', 'hang');
    stub.outage('error');
    await expectCleanFailure('checkout', 'error');
    stub.outage('unavailable');
    await expectCleanFailure('credits', 'unavailable');
    expect(await app.sql('SELECT 1 FROM billing_accounts WHERE tenant_id = $1', [tenantId])).toEqual([]);

    stub.outage(null);
    expect((await routes.portal()).status).toBe(201);
    // The retried creation carried the same idempotency key: Stripe's first customer, not a second.
    const customers = [...stub.store.customer!.values()].filter((c) => c.metadata.tenant_id === tenantId);
    expect(customers).toHaveLength(1);
    expect((await app.sql('SELECT stripe_customer_id FROM billing_accounts WHERE tenant_id = $1', [tenantId]))[0]!.stripe_customer_id).toBe(customers[0]!.id);

    // With the customer: every customer route's own Stripe call, in every mode, at once.
    for (const mode of ['hang', 'slow', 'error', 'unavailable'] as const) {
      stub.outage(mode, { slowMs: SLOW_MS });
      await Promise.all((['checkout', 'portal', 'invoices', 'credits'] as const).map((r) => expectCleanFailure(r, mode)));
    }
    // An operator route makes many calls, each capped by STRIPE_TIMEOUT_MS and the retries.
    stub.outage('hang');
    await expectCleanFailure('syncCatalog', 'hang', OPERATOR_BOUND_MS);
    stub.outage('unavailable');
    await expectCleanFailure('syncCatalog', 'unavailable', OPERATOR_BOUND_MS);

    stub.outage(null);
    for (const r of ['invoices', 'portal', 'credits', 'checkout'] as const) expect((await routes[r]()).status, r).toBeLessThan(300);
  }, 60_000);

  it("Stripe events whose re-fetch hangs past all their job's attempts are applied once Stripe answers again", async () => {
    const session = (await (await routes.checkout()).json()) as { id: string };
    stub.outage('hang', { match: (c) => c.method === 'GET' });
    const hits = stub.outageHits;
    // Stripe sends checkout.session.completed and customer.subscription.created; the worker's re-fetch hangs.
    await stub.completeCheckout(session.id);
    // Healed only once a job has used up its attempts (STRIPE_EVENT_ATTEMPTS): Stripe will not
    // redeliver an event we answered 200, so only the sweep can bring it back.
    await until('an event job to give up', async () => (await app.sql(`SELECT 1 FROM stripe_events WHERE processed_at IS NULL AND attempts >= 2`)).length > 0);
    expect(stub.outageHits).toBeGreaterThanOrEqual(hits + 2);
    stub.outage(null);
    await until(
      'the subscription mirrored',
      async () => (await app.sql(`SELECT subscription_status FROM billing_accounts WHERE tenant_id = $1`, [tenantId]))[0]?.subscription_status === 'active',
    );
    await until('every event applied', async () => (await app.sql(`SELECT 1 FROM stripe_events WHERE processed_at IS NULL`)).length === 0);
    expect((await app.sql(`SELECT count(*)::int AS n FROM stripe_events WHERE attempts > 1`))[0]!.n).toBeGreaterThan(0);
  }, 30_000);

  it('the meter relay rides out late answers, a hang and 500/503s: once Stripe is back, one meter event per live usage record', async () => {
    const { key: testKey } = await (async () => {
      const r = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } });
      return { key: ((await r.json()) as { secret: string }).secret };
    })();
    // Late answers first: Stripe records each event, the relay hears nothing and must send again.
    stub.outage('slow', { match: METER_EVENTS, slowMs: SLOW_MS });
    const live = await Promise.all(Array.from({ length: 3 }, () => createVideo(app, key, image)));
    const test = await Promise.all(Array.from({ length: 1 }, () => createVideo(app, testKey, image)));
    for (const [k, ids] of [
      [key, live],
      [testKey, test],
    ] as const) {
      for (const id of ids) {
        const v = await waitForStatus(app, k, id, ['succeeded', 'failed']);
        expect(v.status, JSON.stringify(v.error)).toBe('succeeded');
      }
    }
    await until(
      'every live row to have timed out once',
      async () => (await app.sql<{ n: number }>(`SELECT min(meter_attempts)::int AS n FROM usage_records WHERE livemode`))[0]!.n >= 1,
    );
    // Stripe recorded them all; we heard of none.
    expect(stub.meterEvents.size).toBeGreaterThanOrEqual(live.length);
    expect((await app.sql(`SELECT count(*)::int AS n FROM usage_records WHERE livemode AND meter_sent_at IS NULL`))[0]!.n).toBe(live.length);

    for (const mode of ['hang', 'error', 'unavailable'] as const) {
      const hits = stub.outageHits;
      stub.outage(mode, { match: METER_EVENTS });
      await until(`the relay to meet ${mode}`, () => stub.outageHits >= hits + 2);
      // The API does not wait on the relay.
      const started = Date.now();
      expect((await app.request('/v1/me', { key })).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // Every live row has failed at least twice (a late answer, then the outages) before Stripe comes back.
    await until(
      'every live row to have failed twice',
      async () => (await app.sql<{ n: number }>(`SELECT min(meter_attempts)::int AS n FROM usage_records WHERE livemode`))[0]!.n >= 2,
    );

    stub.outage(null);
    await until('all live usage sent', async () => (await app.sql(`SELECT 1 FROM usage_records WHERE livemode AND meter_sent_at IS NULL`)).length === 0);
    expect(await brokenMeterInvariants(app, stub)).toEqual([]);
    expect(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
    expect([...stub.meterEvents.keys()].sort()).toEqual([...live].sort());
    // Each row reached Stripe twice at least (recorded, answered late; resent after): counted once.
    expect(stub.meterEventCalls).toBeGreaterThanOrEqual(live.length * 2);
  }, 60_000);
});
