import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startTestApp, waitForStatus, type TestApp, createVideo } from '../support/test-app.js';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
const receivers: WebhookReceiver[] = [];
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RELAY_INTERVAL_MS: '50' } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
});

async function setup(enabledEvents?: string[]) {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const { key } = await app.tenant();
  const res = await app.request('/v1/webhook-endpoints', {
    method: 'POST',
    key,
    json: { url: receiver.url, ...(enabledEvents ? { enabled_events: enabledEvents } : {}) },
  });
  expect(res.status).toBe(201);
  const endpoint = (await res.json()) as Record<string, any>;
  return { receiver, key, endpoint };
}

const byEventId = (r: Received[]) => [...r].sort((a, b) => String(a.headers['webhook-id']).localeCompare(String(b.headers['webhook-id'])));

const submitVideo = (key: string, extra: Record<string, unknown> = {}) => createVideo(app, key, image, extra);

describe('webhook delivery to a local receiver', () => {
  it('sends every status of a video, signed so the standardwebhooks package verifies it', async () => {
    const { receiver, key, endpoint } = await setup();
    const id = await submitVideo(key);
    await waitForStatus(app, key, id, ['succeeded']);
    // Deliveries run in parallel, so arrival order is not guaranteed; event ids sort by time.
    const got = byEventId(await receiver.waitFor((r) => r.length >= 3));
    expect(got.map((r) => r.json.type)).toEqual(['video.queued', 'video.running', 'video.succeeded']);
    const verifier = new Webhook(endpoint.secret);
    for (const r of got) {
      expect(verifier.verify(r.body, r.headers as Record<string, string>)).toEqual(r.json);
      expect(r.headers['webhook-id']).toMatch(/^evt_/);
      expect(r.json.data).toMatchObject({ id, object: 'video', url: `/v1/videos/${id}` });
      expect(JSON.stringify(r.json)).not.toMatch(/X-Amz|Signature=/);
    }
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(got[0].body, got[0].headers as Record<string, string>)).toThrow();
    const events = (await (await app.request(`/v1/events?object_id=${id}`, { key })).json()) as Record<string, any>;
    expect(events.data.map((e: { id: string }) => e.id).reverse()).toEqual(got.map((r) => r.headers['webhook-id']));
  });

  it('retries a receiver that fails 3 times with the same webhook-id, and succeeds exactly once', async () => {
    const { receiver, key, endpoint } = await setup(['video.queued']);
    receiver.respond((n) => ({ status: n <= 3 ? 500 : 200 }));
    await submitVideo(key);
    const got = await receiver.waitFor((r) => r.length >= 4);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(4);
    expect(got.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Backoff grows: each gap is at least half the nominal exponential delay (jitter is ±50%).
    expect(got[3].at - got[2].at).toBeGreaterThanOrEqual(200 - 20);
    const log = (await (await app.request(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key })).json()) as Record<string, any>;
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ status: 'succeeded', attempts: 4, last_error: null, next_attempt_at: null });
    expect(log.data[0].attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 500, 200]);
    expect(log.data[0].attempt_log[0]).toMatchObject({ error: 'HTTP 500', next_retry_at: expect.any(String), latency_ms: expect.any(Number) });
  });

  it('disables the endpoint on 410 Gone and says why', async () => {
    const { receiver, key, endpoint } = await setup(['video.queued']);
    receiver.respond(() => ({ status: 410 }));
    await submitVideo(key);
    await receiver.waitFor((r) => r.length >= 1);
    await expect
      .poll(async () => ((await (await app.request(`/v1/webhook-endpoints/${endpoint.id}`, { key })).json()) as Record<string, any>).status)
      .toBe('disabled');
    const got = (await (await app.request(`/v1/webhook-endpoints/${endpoint.id}`, { key })).json()) as Record<string, any>;
    expect(got.disabled_reason).toMatch(/410 Gone/);
    await submitVideo(key);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(1);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const { receiver, key } = await setup(['video.queued']);
    receiver.respond((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    await submitVideo(key);
    const got = await receiver.waitFor((r) => r.length >= 2);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(1900);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
  });

  it('records the attempt and gives up cleanly when Retry-After is absurdly far out', async () => {
    const { receiver, key, endpoint } = await setup(['video.queued']);
    receiver.respond(() => ({ status: 503, headers: { 'retry-after': '9000000000000' } }));
    await submitVideo(key);
    await receiver.waitFor((r) => r.length >= 1);
    const deliveries = async () => ((await (await app.request(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key })).json()) as Record<string, any>).data;
    await expect.poll(async () => (await deliveries())[0]?.status, { timeout: 10_000 }).toBe('failed');
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ attempts: 1, next_attempt_at: null });
    expect(delivery.last_error).toMatch(/gave up/);
    expect(delivery.attempt_log).toHaveLength(1);
  });

  it("signs a per-request webhook_url with the tenant's default secret", async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { key } = await app.tenant();
    const id = await submitVideo(key, { webhook_url: receiver.url });
    expect(await waitForStatus(app, key, id, ['succeeded'])).toMatchObject({ webhook_url: receiver.url });
    const got = byEventId(await receiver.waitFor((r) => r.length >= 3));
    const { secret } = (await (await app.request('/v1/webhook-secret', { key })).json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    for (const r of got) new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
    expect(got.map((r) => r.json.type)).toEqual(['video.queued', 'video.running', 'video.succeeded']);
  });

  it('signs a test-mode webhook_url with the test secret, which a test key reads and which is not the live one', async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { tenantId, key: live } = await app.tenant();
    const res = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } });
    const test = ((await res.json()) as { secret: string }).secret;
    const secretOf = async (key: string) => ((await (await app.request('/v1/webhook-secret', { key })).json()) as { secret: string }).secret;
    const liveSecret = await secretOf(live);
    const testSecret = await secretOf(test);
    expect(testSecret).toMatch(/^whsec_/);
    expect(testSecret).not.toBe(liveSecret);
    expect(await secretOf(test)).toBe(testSecret);

    await submitVideo(test, { webhook_url: receiver.url });
    // Deliveries run in parallel: whichever of the video's events arrive, each is signed with the test secret only.
    const got = await receiver.waitFor((r) => r.length >= 1);
    for (const r of got) {
      expect(r.json.type).toMatch(/^video\./);
      expect(new Webhook(testSecret).verify(r.body, r.headers as Record<string, string>)).toEqual(r.json);
      expect(() => new Webhook(liveSecret).verify(r.body, r.headers as Record<string, string>)).toThrow();
    }
  });
});
