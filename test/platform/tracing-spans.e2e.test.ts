import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { setLogDestination } from '../../src/platform/logging/log-destination.js';
import { startTracing, stopTracing } from '../../src/platform/tracing/tracing.js';
import { tracingEnv } from '../../src/platform/tracing/tracing.env.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { RequeueStaleVideosJob } from '../../src/videos/requeue-stale-videos.job.js';
import { QueueName } from '../../src/platform/queue/queue-names.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { VideosQueue } from '../../src/videos/videos-queue.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The spans tracing makes, seen by an OTLP/HTTP collector on 127.0.0.1: one submit is one trace
 * from the API request through PostgreSQL, Redis and S3 to the worker's job; a request that calls
 * Stripe has Stripe spans; the log lines written inside the trace carry its trace_id.
 */

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

const lines: Record<string, any>[] = [];
const exported: Buffer[] = [];
let collector: Server;
let stub: StripeStub;
let app: TestApp;
let receiver: WebhookReceiver;

const spans = (): ExportedSpan[] =>
  exported
    .flatMap((b) => (JSON.parse(b.toString()) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
const attribute = (span: ExportedSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue;
};
const traceparent = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;

beforeAll(async () => {
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        exported.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  // A short export delay: the spans are looked for while the app runs.
  Object.assign(process.env, {
    OTEL_TRACING_ENABLED: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  tracingEnv.reload();
  await startTracing('api');
  stub = await startStripeStub({ webhookSecret: 'whsec_tracing_spans' });
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    worker: true,
    logger: ['log'],
    env: { LOG_FORMAT: 'json', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '50', BATCH_SCHEDULE_INTERVAL_MS: '100', ...stub.serviceEnv() },
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stopTracing();
  await stub?.close();
  await receiver?.close();
  collector?.close();
});

/**
 * The spans of one trace, once every name wanted has been exported and so has every parent but the
 * caller's (a parent still open under load is exported after its children).
 */
async function traceWith(traceId: string, wanted: RegExp[]): Promise<ExportedSpan[]> {
  let found: ExportedSpan[] = [];
  await until(
    `spans ${wanted.join(', ')} in trace ${traceId}`,
    async () => {
      found = spans().filter((s) => s.traceId === traceId);
      const ids = new Set(found.map((s) => s.spanId));
      const roots = found.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
      return wanted.every((w) => found.some((s) => w.test(s.name))) && roots.length <= 1;
    },
    45_000,
    100,
  ).catch(() => undefined);
  return found;
}

describe('tracing on', () => {
  it('makes one trace of a submit: the request, its PostgreSQL, Redis and S3 calls, the job that ran it and its webhook’s delivery', async () => {
    const { key } = await app.tenant();
    const traceId = randomBytes(16).toString('hex');
    const created = await app.request('/v1/videos', {
      method: 'POST',
      key,
      headers: { traceparent: traceparent(traceId) },
      json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1, webhook_url: receiver.url },
    });
    expect(created.status).toBe(202);
    const id = ((await created.json()) as { id: string }).id;
    await waitForStatus(app, key, id, ['succeeded']);

    const trace = await traceWith(traceId, [
      /^POST \/v1\/videos$/,
      /^pg INSERT$/,
      /^redis /,
      /^S3 PutObject$/,
      /^job video\.generate$/,
      /^gpu /,
      /^job webhook\.deliver$/,
    ]);
    const names = trace.map((s) => s.name);
    // The webhook's job continues the trace through the outbox row the video job wrote.
    expect(names).toEqual(expect.arrayContaining(['POST /v1/videos', 'pg INSERT', 'S3 PutObject', 'job video.generate', 'job webhook.deliver']));
    expect(names.some((n) => n.startsWith('redis '))).toBe(true);
    // Every span hangs off another span of the trace, up to the caller's.
    const ids = new Set(trace.map((s) => s.spanId));
    const request = trace.find((s) => s.name === 'POST /v1/videos')!;
    expect(trace.filter((s) => s !== request).every((s) => s.parentSpanId && ids.has(s.parentSpanId))).toBe(true);
    const job = trace.find((s) => s.name === 'job video.generate')!;
    // The worker's own queries and S3 writes are children of the job.
    const underJob = trace.filter((s) => s.parentSpanId === job.spanId).map((s) => s.name);
    expect(underJob.some((n) => n.startsWith('pg '))).toBe(true);
    expect(underJob.some((n) => n.startsWith('S3 '))).toBe(true);
    const insert = trace.find((s) => s.name === 'pg INSERT')!;
    expect(attribute(insert, 'db.system.name')).toBe('postgresql');
    expect(attribute(insert, 'db.query.text')).toMatch(/^INSERT INTO/i);
    expect(attribute(trace.find((s) => s.name === 'S3 PutObject')!, 'aws.s3.bucket')).toBe(process.env.S3_BUCKET);

    // The lines written inside the trace carry it: the request's access line and the worker's.
    const inTrace = lines.filter((l) => l.trace_id === traceId);
    expect(inTrace.find((l) => l.msg === 'request completed' && l.route === '/v1/videos')).toMatchObject({
      role: 'api',
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(inTrace.find((l) => l.job_id === id && typeof l.msg === 'string' && l.msg.includes(`${id} succeeded`))).toBeDefined();
    // And no line of the job is written outside it.
    expect(lines.filter((l) => l.job_id === id).every((l) => l.trace_id === traceId)).toBe(true);
  });

  it('runs a video queued over the concurrency limit, and a batch item, in the trace of the request that made them', async () => {
    // The scheduler, not the request, hands these to the queue, later: the trace goes by their rows.
    app.backend.configure({ delayMs: 1_500 });
    try {
      const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
      const image = dataUri(makeImage('png', '64x64'));
      const submit = async (path: string, json: unknown, traceId: string) => {
        const res = await app.request(path, { method: 'POST', key, headers: { traceparent: traceparent(traceId) }, json });
        expect(res.status, path).toBeLessThan(300);
        return (await res.json()) as { id: string; status: string };
      };
      const blocker = await submit('/v1/videos', { prompt: 'p', image, duration_seconds: 1 }, randomBytes(16).toString('hex'));
      const videoTrace = randomBytes(16).toString('hex');
      const waiting = await submit('/v1/videos', { prompt: 'p', image, duration_seconds: 1 }, videoTrace);
      expect(waiting.status).toBe('queued');
      expect((await app.sql('select dispatched_at from videos where id = $1', [waiting.id]))[0]!.dispatched_at).toBeNull();
      const batchTrace = randomBytes(16).toString('hex');
      const batch = await submit('/v1/batches', { items: [{ custom_id: 'a', prompt: 'p', image, duration_seconds: 1 }] }, batchTrace);
      const [item] = await app.sql<{ id: string }>('select id from videos where batch_id = $1', [batch.id]);
      for (const id of [blocker.id, waiting.id, item!.id])
        expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');

      for (const [traceId, request, videoId] of [
        [videoTrace, 'POST /v1/videos', waiting.id],
        [batchTrace, 'POST /v1/batches', item!.id],
      ] as const) {
        const trace = await traceWith(traceId, [new RegExp(`^${request}$`), /^job video\.generate$/, /^gpu /]);
        const job = trace.find((s) => s.name === 'job video.generate');
        expect(job, `${videoId}'s job in the trace of ${request}`).toBeDefined();
        expect(attribute(job!, 'messaging.message.id')).toBe(videoId);
        // One tree, rooted at the request's span.
        const ids = new Set(trace.map((s) => s.spanId));
        const root = trace.find((s) => s.name === request)!;
        expect(trace.filter((s) => s !== root).every((s) => s.parentSpanId && ids.has(s.parentSpanId))).toBe(true);
        expect(lines.filter((l) => l.job_id === videoId).every((l) => l.trace_id === traceId)).toBe(true);
      }
    } finally {
      app.backend.configure({ delayMs: 0 });
    }
  }, 120_000);

  it('runs a video whose job was lost, re-enqueued by the stale sweep, in the trace of the request that made it', async () => {
    const { key } = await app.tenant();
    const queue = app.worker!.get<Queue>(getQueueToken(QueueName.Videos));
    // No worker takes a job meanwhile: the job is lost before any worker sees it, as in a crash between the row and the enqueue.
    await queue.pause();
    let id = '';
    const traceId = randomBytes(16).toString('hex');
    try {
      const created = await app.request('/v1/videos', {
        method: 'POST',
        key,
        headers: { traceparent: traceparent(traceId) },
        json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 },
      });
      expect(created.status).toBe(202);
      id = ((await created.json()) as { id: string }).id;
      await app.worker!.get(VideosQueue).remove(id);
      expect(await app.worker!.get(VideosQueue).jobState(id)).toBe('missing');
      await app.sql(`update videos set created_at = now() - interval '1 hour' where id = $1`, [id]);
      // The sweep runs as the maintenance job does: in no request's trace.
      expect(await app.worker!.get(RequeueStaleVideosJob).handle()).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.resume();
    }
    expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');
    const trace = await traceWith(traceId, [/^POST \/v1\/videos$/, /^job video\.generate$/]);
    const job = trace.find((s) => s.name === 'job video.generate');
    expect(job, 'the re-enqueued job in the trace of POST /v1/videos').toBeDefined();
    expect(attribute(job!, 'messaging.message.id')).toBe(id);
    expect(lines.filter((l) => l.job_id === id).every((l) => l.trace_id === traceId)).toBe(true);
  }, 120_000);

  it('makes a span for each Stripe request, named by route with ids as {id}', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey, headers: { traceparent: traceparent(traceId) } });
    expect(res.status).toBe(200);
    const trace = await traceWith(traceId, [/^Stripe POST \/v1\/products$/, /^POST \/v1\/admin\/billing\/sync-catalog$/]);
    const stripe = trace.filter((s) => s.name.startsWith('Stripe '));
    expect(stripe.length).toBeGreaterThan(0);
    expect(stripe.every((s) => !/\/(prod|price)_[A-Za-z0-9]/.test(s.name))).toBe(true);
    expect(stripe.every((s) => typeof attribute(s, 'http.response.status_code') === 'number')).toBe(true);
    expect(stripe.find((s) => s.name === 'Stripe POST /v1/products')).toBeDefined();
    // The spans are the SDK's requests inside the API request's span.
    const request = trace.find((s) => s.name === 'POST /v1/admin/billing/sync-catalog')!;
    expect(stripe.every((s) => s.parentSpanId === request.spanId)).toBe(true);
    // The same calls are counted and timed by route and outcome at /metrics.
    const scrape = await (await app.request('/metrics')).text();
    expect(scrape).toMatch(/^leoma_stripe_requests_total\{method="POST",route="\/v1\/products"\} [1-9]/m);
    expect(scrape).toMatch(/^leoma_stripe_request_duration_seconds_count\{method="POST",route="\/v1\/products",status="200",outcome="ok"\} [1-9]/m);
  });

  it('runs a Stripe event’s job in the trace of the webhook request that stored it', async () => {
    const traceId = randomBytes(16).toString('hex');
    const event = stub.event('customer.updated', { id: `cus_${randomBytes(8).toString('hex')}`, object: 'customer', metadata: {} });
    const payload = JSON.stringify(event);
    const signature = new Stripe(stub.secretKey).webhooks.generateTestHeaderString({ payload, secret: 'whsec_tracing_spans' });
    const res = await fetch(`${app.url}/v1/stripe/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature, traceparent: traceparent(traceId) },
      body: payload,
    });
    expect(res.status).toBe(200);
    const names = (await traceWith(traceId, [/^POST \/v1\/stripe\/webhooks$/, /^job stripe\.event$/])).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['POST /v1/stripe/webhooks', 'job stripe.event']));
  });
});
