import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { setLogDestination } from '../../src/platform/logging/log-destination.js';
import { startTracing, stopTracing } from '../../src/platform/tracing/tracing.js';
import { tracingEnv } from '../../src/platform/tracing/tracing.env.js';
import { appEnv } from '../../src/platform/config/app.env.js';
import { Draining } from '../../src/platform/lifecycle/draining.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';

/**
 * One e2e run (a video with a webhook, its content, a 404, a probe) observed three ways: the log
 * lines both roles write, /metrics, and the trace (tracing switched on by env, spans sent to a
 * recording OTLP collector, GPU calls through a recording front of the reference backend).
 */

/** Every log line both roles write in this process, parsed. */
const lines: Record<string, any>[] = [];
const raw: string[] = [];
let app: TestApp;
let receiver: WebhookReceiver;
const exported: Buffer[] = [];
const backendTraceparents: string[] = [];
const traceId = randomBytes(16).toString('hex');
let collector: Server;
let front: Server;
let backendUrl = '';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line));
        }
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
  // Records the trace header of every GPU call, then passes the call on to the reference backend untouched.
  front = createServer((req, res) => {
    if (typeof req.headers.traceparent === 'string') backendTraceparents.push(req.headers.traceparent);
    const upstream = httpRequest(new URL(req.url!, backendUrl), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  const [collectorUrl, frontUrl] = await Promise.all([listen(collector), listen(front)]);
  Object.assign(process.env, { OTEL_TRACING_ENABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl });
  tracingEnv.reload();
  await startTracing('api');
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    worker: true,
    logger: ['log'],
    env: { LOG_FORMAT: 'json', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '50', GPU_BACKEND_URL: frontUrl },
  });
  backendUrl = app.backend.url;
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
  front?.close();
  collector?.close();
});

describe('an e2e run, observed', () => {
  let id = '';
  let key = '';
  let tenantId = '';
  const secrets: string[] = [];

  beforeAll(async () => {
    ({ key, tenantId } = await app.tenant());
    const webhookSecret = ((await (await app.request('/v1/webhook-secret', { key })).json()) as { secret: string }).secret;
    const created = await app.request('/v1/videos', {
      method: 'POST',
      key,
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1, webhook_url: receiver.url },
    });
    expect(created.status).toBe(202);
    id = ((await created.json()) as { id: string }).id;
    const video = await waitForStatus(app, key, id, ['succeeded']);
    const content = await app.request(`/v1/videos/${id}/content`, { key });
    await receiver.waitFor((r) => r.length > 0);
    await app.request('/v1/videos/vid_00000000000000000000000000', { key });
    await app.request('/health/live');
    const presigned = [video.output.url as string, content.headers.get('location')!];
    const signatures = presigned.map((u) => new URL(u).searchParams.get('X-Amz-Signature')!);
    expect(signatures.every((s) => s && s.length > 20)).toBe(true);
    secrets.push(key, app.operatorKey, webhookSecret, process.env.S3_SECRET_ACCESS_KEY!, process.env.API_KEY_HASH_SECRET!, ...signatures);
    // What an upstream error or a careless log call could carry: the logger must cut it out.
    const log = await app.api.resolve(PinoLogger);
    log.warn(
      { authorization: `Bearer ${key}`, req: { headers: { authorization: `Bearer ${key}` } } },
      `backend said: fetch ${presigned[0]} failed for Bearer ${key} (${webhookSecret})`,
    );
  }, 90_000);

  it('writes one JSON access line per request with request id, tenant id and the route template, none for probes', async () => {
    const access = lines.filter((l) => l.msg === 'request completed');
    const create = access.find((l) => l.method === 'POST' && l.route === '/v1/videos');
    expect(create).toMatchObject({
      level: 'info',
      role: 'api',
      status: 202,
      tenant_id: tenantId,
      request_id: expect.stringMatching(/^req_/),
      duration_ms: expect.any(Number),
    });
    expect(access.filter((l) => l.request_id === create!.request_id)).toHaveLength(1);
    expect(access.find((l) => l.status === 404)).toMatchObject({ route: '/v1/videos/:id', tenant_id: tenantId });
    expect(access.some((l) => String(l.route).startsWith('/health') || l.route === '/metrics')).toBe(false);
    expect(access.every((l) => typeof l.time === 'string' && !String(l.route).includes('vid_'))).toBe(true);
  });

  it('puts the job id on what the worker logs while running a job', () => {
    expect(lines.find((l) => typeof l.msg === 'string' && l.msg.includes(`${id} succeeded`))).toMatchObject({
      job_id: id,
      job: 'video.generate',
      queue: 'videos',
      context: 'GenerateVideoJob',
    });
  });

  it('never writes a key, a webhook secret, a stored secret or a presigned signature', () => {
    const text = raw.join('\n');
    for (const secret of secrets)
      expect(text.includes(secret), `a secret of length ${secret.length} was logged: ${raw.find((l) => l.includes(secret))?.slice(0, 600)}`).toBe(false);
    const planted = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('backend said'));
    expect(planted).toMatchObject({ authorization: '[REDACTED]', req: { headers: { authorization: '[REDACTED]' } } });
    expect(planted!.msg).toContain('X-Amz-Signature=[REDACTED]');
    expect(planted!.msg).toContain('Bearer [REDACTED]');
  });

  it('exposes the listed series at /metrics, labelled by templates and codes, never by ids', async () => {
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const scrape = await res.text();
    for (const series of [
      'leoma_http_request_duration_seconds_count{method="POST",route="/v1/videos",status="202"} 1',
      'leoma_http_request_duration_seconds_count{method="GET",route="/v1/videos/:id",status="404"} 1',
      'leoma_queue_jobs{queue="videos",state="waiting"} 0',
      'leoma_queue_jobs{queue="webhooks",state="failed"} 0',
      'leoma_videos_total{outcome="succeeded",error_code=""} 1',
      'leoma_backend_call_duration_seconds_count{backend="cfg_default",outcome="ok"} 1',
      'leoma_backend_circuit_state{backend="cfg_default"} 0',
      'leoma_backend_slots_in_use{backend="cfg_default"} 0',
      'leoma_stripe_meter_relay_stuck_rows 0',
      '# TYPE leoma_treasury_burns gauge',
      '# TYPE leoma_backend_errors_total counter',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(scrape, series).toContain(series);
    }
    // The tenant has no Stripe customer, so its live usage waits: the lag is that row's age (a number, not 0).
    expect(scrape).toMatch(/^leoma_stripe_meter_relay_lag_seconds \d+(\.\d+)?$/m);
    expect(scrape).toMatch(/^leoma_webhook_deliveries_total\{outcome="succeeded"\} [1-9]/m);
    // The one video's wait for a worker and its whole time, by resolution, plan tier and batch or not.
    expect(scrape).toMatch(/^leoma_video_queue_wait_seconds_count\{resolution="\w+",plan_tier="\d+",batch="false",model="king"\} 1$/m);
    expect(scrape).toMatch(/^leoma_video_end_to_end_seconds_count\{resolution="\w+",plan_tier="\d+",batch="false",model="king",outcome="succeeded"\} 1$/m);
    expect(scrape).not.toMatch(/vid_|req_|ten_|key_/);
  });

  it('asks for the bearer token at /metrics once METRICS_TOKEN is set', async () => {
    process.env.METRICS_TOKEN = 'metrics-token-0123456789';
    appEnv.reload();
    try {
      const refused = await app.request('/metrics');
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'authentication_required' });
      expect((await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
      appEnv.reload();
    }
  });

  it('carries the caller’s trace from the API through the job to the GPU backend, and exports the spans', async () => {
    expect(backendTraceparents.length).toBeGreaterThan(0);
    for (const header of backendTraceparents) expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await stopTracing();
    // OTLP/HTTP JSON: the API request, the job and the GPU call are spans of the caller's trace.
    const spans = exported
      .flatMap((b) => (JSON.parse(b.toString()) as { resourceSpans: { scopeSpans: { spans: { traceId: string; name: string }[] }[] }[] }).resourceSpans)
      .flatMap((r) => r.scopeSpans.flatMap((sc) => sc.spans))
      .filter((sp) => sp.traceId === traceId)
      .map((sp) => sp.name);
    expect(spans).toEqual(expect.arrayContaining(['POST /v1/videos', 'job video.generate', 'gpu cog']));
  });

  it('turns readiness off, not liveness, once draining begins', async () => {
    expect((await app.request('/health/ready')).status).toBe(200);
    app.api.get(Draining).begin();
    const ready = await app.request('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/problem+json');
    expect((await app.request('/health/live')).status).toBe(200);
  });
});
