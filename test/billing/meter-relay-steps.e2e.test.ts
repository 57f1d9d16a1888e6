import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { until as waitUntil } from '../support/until.js';
import { brokenMeterInvariants } from '../reliability/invariants.js';

/**
 * The meter relay sends up to three things per live usage row: the seconds meter event, a dearer
 * resolution's overage on its surcharge meter, and the credit drawn as a customer balance credit.
 * A step that Stripe refuses for good must not make the relay send the steps that already went
 * through again (after Stripe's 24-hour de-duplication window each resend bills again), and the
 * row must stop being retried after METER_MAX_ATTEMPTS and be shown to operators.
 */
const MAX_ATTEMPTS = 4;
let app: TestApp;
let stub: StripeStub;
const image = dataUri(makeImage('png', '64x64'));
const BALANCE = (c: { path: string }) => c.path.endsWith('/balance_transactions');

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_meter_steps' });
  app = await startTestApp({
    worker: true,
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      ...stub.serviceEnv(),
      METER_RELAY_INTERVAL_MS: '50',
      METER_RETRY_BASE_MS: '20',
      METER_RETRY_MAX_MS: '50',
      METER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) => waitUntil(what, fn, timeoutMs, 50);
const row = async (videoId: string) => (await app.sql('select * from usage_records where video_id = $1', [videoId]))[0]!;

describe('meter relay, step by step', () => {
  it('records each step, never resends one that went through, gives up after METER_MAX_ATTEMPTS and shows the row', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro', limits: { included_video_seconds: 0 } });
    // Buying credit makes the tenant a Stripe customer; the operator grants the credit itself.
    expect((await app.request('/v1/billing/credits/checkout', { method: 'POST', key, json: { amount: 500 } })).status).toBe(201);
    expect((await app.request(`/v1/admin/tenants/${tenantId}/credits`, { method: 'POST', key: app.operatorKey, json: { amount: 2 } })).status).toBe(201);
    // Stripe refuses the balance credit every time (the third step); the two meter events go through.
    stub.outage('refuse', { match: BALANCE });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, resolution: '720p', duration_seconds: 2 } });
    expect(res.status).toBe(202);
    const video = await waitForStatus(app, key, ((await res.json()) as { id: string }).id, ['succeeded', 'failed'], 60_000);
    expect(video.status).toBe('succeeded');
    expect(video.cost).toMatchObject({ overage_seconds: 2, credits_applied: 2 });

    await until('a failed attempt', async () => (await row(video.id)).meter_attempts >= 1);
    // A day passes at Stripe: it forgets the identifiers, so a resend now would be billed again.
    stub.clock.advance(25 * 3600_000);
    await until('three failed attempts', async () => (await row(video.id)).meter_attempts >= 3);
    // The seconds and the surcharge each went to Stripe once, however often the balance credit was retried.
    expect(stub.meterEventCalls).toBe(2);
    expect(stub.meterEventsCounted.map((e) => e.identifier).sort()).toEqual([video.id, `${video.id}_overage`]);
    expect([...stub.meterEvents.keys()].sort()).toEqual([video.id, `${video.id}_overage`]);

    const stuck = await until('given up', async () => {
      const r = await row(video.id);
      return r.meter_gave_up_at && r;
    });
    expect(stuck).toMatchObject({
      meter_attempts: MAX_ATTEMPTS,
      meter_sent_at: null,
      meter_credit_sent_at: null,
      meter_last_error: expect.stringContaining('invalid'),
    });
    expect(stuck.meter_event_sent_at).not.toBeNull();
    expect(stuck.meter_surcharge_sent_at).not.toBeNull();
    const hits = stub.outageHits;
    expect(hits).toBe(MAX_ATTEMPTS);
    // Stopped: Stripe answering again does not restart it on its own (an operator decides).
    stub.outage(null);
    await new Promise((r) => setTimeout(r, 500));
    expect((await row(video.id)).meter_attempts).toBe(MAX_ATTEMPTS);
    expect(stub.meterEventCalls).toBe(2);

    const period = new Date().toISOString().slice(0, 7);
    const report = (await (await app.request(`/v1/admin/billing/reconcile?period=${period}`, { key: app.operatorKey })).json()) as {
      gaps: Record<string, unknown>[];
    };
    const gap = report.gaps.find((g) => g.video_id === video.id);
    expect(gap).toMatchObject({ kind: 'meter_event_stuck', tenant_id: tenantId });
    expect(gap!.detail).toMatch(/gave up after 4 attempts.*balance credit/);
    const lag = (await (await app.request('/v1/admin/billing/meter-lag', { key: app.operatorKey })).json()) as Record<string, unknown>;
    expect(lag).toMatchObject({ unsent: 1, stuck: 1 });
    expect(await (await app.request('/metrics')).text()).toMatch(/^leoma_stripe_meter_relay_stuck_rows 1$/m);
    // A video after Stripe is back goes through all three steps, each once.
    const next = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, resolution: '720p', duration_seconds: 1 } });
    const second = await waitForStatus(app, key, ((await next.json()) as { id: string }).id, ['succeeded', 'failed'], 60_000);
    expect(second.cost).toMatchObject({ overage_seconds: 1 });
    const done = await until('second row sent', async () => {
      const r = await row(second.id);
      return r.meter_sent_at && r;
    });
    expect(done).toMatchObject({ meter_attempts: 1, meter_gave_up_at: null });
    expect(done.meter_event_sent_at).not.toBeNull();
    expect(done.meter_surcharge_sent_at).not.toBeNull();
    expect(stub.meterEventCalls).toBe(4);
    // The invariant sees the stuck row for what it is, and nothing else wrong.
    expect(await brokenMeterInvariants(app, stub)).toEqual([`live usage ${video.id} gave up before its balance credit reached Stripe`]);
  }, 90_000);
});
