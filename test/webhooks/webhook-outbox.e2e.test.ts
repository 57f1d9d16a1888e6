import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp, createVideo } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';

// The api runs alone at first: with no worker there is no relay, exactly as if the worker had
// crashed after the state change committed and before anything reached the queue.
let app: TestApp;
let worker: INestApplicationContext | undefined;
const receivers: WebhookReceiver[] = [];
const image = dataUri(makeImage('png'));

async function startWorker(): Promise<INestApplicationContext> {
  const { WorkerModule } = await import('../../src/app/worker.module.js');
  const context = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  await context.init();
  return context;
}

beforeAll(async () => {
  app = await startTestApp({
    env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RELAY_INTERVAL_MS: '50', WEBHOOK_STALE_AFTER_MS: '1000' },
  });
});
afterAll(async () => {
  await worker?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
});

async function setup(enabledEvents: string[]) {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const { key } = await app.tenant();
  const endpoint = (await (
    await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url, enabled_events: enabledEvents } })
  ).json()) as Record<string, any>;
  return { receiver, key, endpoint };
}

const submitVideo = (key: string) => createVideo(app, key, image);

async function deliveryRows(videoId: string) {
  return app.sql<{ status: string; enqueued_at: Date | null; type: string }>(
    `select d.status, d.enqueued_at, e.type from webhook_deliveries d join events e on e.id = d.event_id where e.object_id = $1 order by e.id`,
    [videoId],
  );
}

describe('the outbox', () => {
  it('loses no event when nothing was enqueued after the state change committed', async () => {
    const { receiver, key } = await setup(['video.queued', 'video.canceled']);
    const id = await submitVideo(key);
    expect((await app.request(`/v1/videos/${id}/cancel`, { method: 'POST', key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(0);
    expect(await deliveryRows(id)).toEqual([
      { status: 'pending', enqueued_at: null, type: 'video.queued' },
      { status: 'pending', enqueued_at: null, type: 'video.canceled' },
    ]);

    worker = await startWorker();
    const got = await receiver.waitFor((r) => r.length >= 2);
    expect(got.map((r) => r.json.type).sort()).toEqual(['video.canceled', 'video.queued']);
    await expect.poll(async () => (await deliveryRows(id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('loses no delivery when the worker restarts during a backoff', async () => {
    worker ??= await startWorker();
    const { receiver, key, endpoint } = await setup(['video.queued']);
    receiver.respond((n) => (n === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 200 }));
    await submitVideo(key);
    await receiver.waitFor((r) => r.length >= 1);
    const deliveries = async () => ((await (await app.request(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key })).json()) as Record<string, any>).data;
    await expect.poll(async () => (await deliveries())[0]?.attempts).toBe(1);
    await worker!.close();
    worker = undefined;
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.received).toHaveLength(1);

    worker = await startWorker();
    const got = await receiver.waitFor((r) => r.length >= 2);
    expect(got[1]).toMatchObject({ status: 200 });
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    await expect.poll(async () => (await deliveries())[0].status).toBe('succeeded');
  });

  it('enqueues again a delivery whose job vanished from Redis', async () => {
    await worker?.close();
    worker = undefined;
    const { receiver, key } = await setup(['video.queued']);
    const id = await submitVideo(key);
    // As if the relay had handed it to BullMQ and the job was then lost (Redis failover, flush).
    await app.sql('update webhook_deliveries d set enqueued_at = now() from events e where e.id = d.event_id and e.object_id = $1', [id]);
    const began = Date.now();
    worker = await startWorker();
    const [got] = await receiver.waitFor((r) => r.length >= 1);
    expect(got.at - began).toBeGreaterThanOrEqual(500);
    expect(got.json).toMatchObject({ type: 'video.queued', data: { id } });
  });
});

describe('secret rotation', () => {
  it('signs with both secrets during the overlap, and only the new one after it', async () => {
    worker ??= await startWorker();
    const { receiver, key, endpoint } = await setup(['video.queued']);
    const rotated = (await (await app.request(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', key, json: {} })).json()) as Record<
      string,
      any
    >;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(((await (await app.request(`/v1/webhook-endpoints/${endpoint.id}`, { key })).json()) as Record<string, unknown>).secret).toBeUndefined();

    await submitVideo(key);
    const [first] = await receiver.waitFor((r) => r.length >= 1);
    const headers = first.headers as Record<string, string>;
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(first.body, headers)).toEqual(first.json);
    expect(new Webhook(rotated.secret).verify(first.body, headers)).toEqual(first.json);

    const again = (await (
      await app.request(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', key, json: { overlap_seconds: 0 } })
    ).json()) as Record<string, any>;
    await submitVideo(key);
    const second = (await receiver.waitFor((r) => r.length >= 2))[1];
    const h2 = second.headers as Record<string, string>;
    expect(new Webhook(again.secret).verify(second.body, h2)).toEqual(second.json);
    expect(() => new Webhook(rotated.secret).verify(second.body, h2)).toThrow();
    expect(() => new Webhook(endpoint.secret).verify(second.body, h2)).toThrow();
  });
});
