import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { OutboxRelay } from '../../src/webhooks/outbox-relay.service.js';

/**
 * leoma_webhook_delivery_lag_seconds: how long the most overdue delivery has been due. The relay
 * here passes once a minute, so a delivery waits for it; the gauge grows while it waits and is back
 * to 0 once the relay has handed it over and the endpoint has it.
 */

let app: TestApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  app = await startTestApp({ worker: true, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '60000' } });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

async function lag(): Promise<number> {
  const scrape = await (await app.request('/metrics')).text();
  const line = scrape.split('\n').find((l) => l.startsWith('leoma_webhook_delivery_lag_seconds '));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

describe('webhook delivery lag', () => {
  it('grows while a due delivery waits for the relay, and is 0 once it is delivered', async () => {
    const { key } = await app.tenant();
    const endpoint = await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url, enabled_events: ['video.queued'] } });
    expect(endpoint.status).toBe(201);
    expect(await lag()).toBe(0);
    const video = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 },
    });
    expect(video.status).toBe(202);
    await until('a due delivery', async () => (await app.sql(`select 1 from webhook_deliveries where status = 'pending'`)).length === 1, 30_000);
    await until('the lag to pass a second', async () => (await lag()) >= 1, 30_000);

    await app.worker!.get(OutboxRelay).tick();
    await receiver.waitFor((r) => r.some((x) => x.json.type === 'video.queued'));
    await until('the delivery recorded', async () => (await app.sql(`select 1 from webhook_deliveries where status = 'pending'`)).length === 0, 30_000);
    expect(await lag()).toBe(0);
  }, 90_000);
});
