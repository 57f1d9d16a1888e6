import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';

// An endpoint failing for 1 s straight is disabled; retries come every ~100–300 ms.
let app: TestApp;
const receivers: WebhookReceiver[] = [];
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_DELAY_MS: '300',
      WEBHOOK_DISABLE_AFTER_MS: '1000',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
    },
  });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
});

async function setup() {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const { key } = await app.tenant();
  const endpoint = (await (
    await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url, enabled_events: ['video.queued'] } })
  ).json()) as Record<string, any>;
  const get = async () => (await (await app.request(`/v1/webhook-endpoints/${endpoint.id}`, { key })).json()) as Record<string, any>;
  const deliveries = async () =>
    ((await (await app.request(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key })).json()) as Record<string, any>).data as Record<string, any>[];
  return { receiver, key, endpoint, get, deliveries };
}

const createVideo = (key: string) => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });

describe('an endpoint that keeps failing', () => {
  it('is disabled with a reason, and recover sends what failed once it is enabled again', async () => {
    const since = new Date().toISOString();
    const { receiver, key, endpoint, get, deliveries } = await setup();
    receiver.respond(() => ({ status: 500 }));
    await createVideo(key);
    await expect.poll(async () => (await get()).status, { timeout: 10_000 }).toBe('disabled');
    const disabled = await get();
    expect(disabled.disabled_reason).toMatch(/^Every delivery failed since /);
    expect(disabled.failing_since).toEqual(expect.any(String));
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(failed.last_error).toMatch(/endpoint disabled/);
    const tries = receiver.received.length;
    expect(tries).toBeGreaterThanOrEqual(2);

    const refused = await app.request(`/v1/webhook-endpoints/${endpoint.id}/recover?since=${since}`, { method: 'POST', key });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('webhook_endpoint_disabled');

    receiver.respond(() => ({ status: 200 }));
    const enabled = (await (await app.request(`/v1/webhook-endpoints/${endpoint.id}`, { method: 'PATCH', key, json: { enabled: true } })).json()) as Record<
      string,
      any
    >;
    expect(enabled).toMatchObject({ status: 'enabled', disabled_reason: null, failing_since: null });
    const recovered = await app.request(`/v1/webhook-endpoints/${endpoint.id}/recover?since=${since}`, { method: 'POST', key });
    expect(await recovered.json()).toMatchObject({ object: 'webhook_recovery', endpoint_id: endpoint.id, deliveries: 1 });
    const got = await receiver.waitFor((r) => r.some((x) => x.status === 200));
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await expect.poll(async () => (await deliveries())[0].status).toBe('succeeded');
  });
});

describe('POST /v1/events/{id}/redeliver', () => {
  it('sends an event again with the same webhook-id, also to an endpoint added after it', async () => {
    const { receiver, key, deliveries } = await setup();
    await createVideo(key);
    const [first] = await receiver.waitFor((r) => r.length >= 1);
    await expect.poll(async () => (await deliveries())[0].status).toBe('succeeded');

    const late = await startWebhookReceiver();
    receivers.push(late);
    await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: late.url, enabled_events: ['video.queued'] } });
    const eventId = first.headers['webhook-id'] as string;
    const res = await app.request(`/v1/events/${eventId}/redeliver`, { method: 'POST', key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, any>[] };
    expect(body.data).toHaveLength(2);
    expect(body.data.every((d) => d.status === 'pending' && d.event_id === eventId)).toBe(true);
    const [again] = (await receiver.waitFor((r) => r.length >= 2)).slice(1);
    const [other] = await late.waitFor((r) => r.length >= 1);
    expect([again.headers['webhook-id'], other.headers['webhook-id']]).toEqual([eventId, eventId]);
    await expect.poll(async () => (await deliveries())[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});
