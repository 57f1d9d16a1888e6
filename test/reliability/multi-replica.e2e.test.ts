import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { sharedBuild, spawnBuilt } from '../support/shared-build.js';
import { QUICK_TAKEOVER_ENV, WorkerProcesses } from '../support/worker-processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { freePort } from '../../tools/dev/free-port.js';
import { until } from '../support/until.js';
import { brokenBatchInvariants, brokenInvariants } from './invariants.js';

/**
 * Two API processes and two worker processes of the production build on one PostgreSQL and one
 * Redis, as two pods of each would run. A client sends steady video submissions and polls
 * round-robin across the two APIs, a CSV batch runs, and every event goes to a webhook endpoint.
 * Mid-load one API and one worker are SIGKILLed and started again (as Kubernetes restarts a pod).
 * The client sees only answers it may retry (a refused connection, a 503 or 429) besides
 * successes; every accepted video ends and is charged once, the batch's counts are its items,
 * every event is recorded once and reaches the endpoint. RELIABILITY_VIDEOS scales the steady
 * submissions (default 12) and the batch's rows (half as many).
 */
const VIDEOS = Number(process.env.RELIABILITY_VIDEOS ?? 12);
const ITEMS = Math.max(2, Math.floor(VIDEOS / 2));
let app: TestApp;
let build: string;
let workers: WorkerProcesses;
let receiver: WebhookReceiver;
const apis: { port: number; child?: ChildProcess }[] = [];

const sharedEnv = {
  ...QUICK_TAKEOVER_ENV,
  STALE_QUEUED_AFTER_MS: '3000',
  STALE_QUEUED_SWEEP_MS: '2000',
  BATCH_SCHEDULE_INTERVAL_MS: '200',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RELAY_INTERVAL_MS: '100',
  API_DRAIN_MS: '1000',
};

async function startApi(slot: { port: number; child?: ChildProcess }): Promise<void> {
  const { child } = await spawnBuilt(build, 'src/app/main-api.js', 'leoma api listening', { PORT: String(slot.port), HOST: '127.0.0.1' });
  slot.child = child;
}

beforeAll(async () => {
  [build, app, receiver] = await Promise.all([
    sharedBuild(),
    startTestApp({ env: sharedEnv, backend: { delayMs: 700, maxConcurrency: 8 } }),
    startWebhookReceiver(),
  ]);
  workers = new WorkerProcesses(build);
  for (let i = 0; i < 2; i++) apis.push({ port: await freePort() });
  // One at a time: four cold starts at once can outlast spawnBuilt's minute on a loaded two-core machine.
  for (const api of apis) await startApi(api);
  await workers.start();
  await workers.start();
}, 240_000);
afterAll(async () => {
  workers?.killAll();
  for (const a of apis) a.child?.kill('SIGKILL');
  await receiver?.close();
  await app?.close();
});

/** A simple round-robin client over the two API processes; records every answer (0: connection refused). */
function roundRobin(key: string) {
  let next = 0;
  const answers = new Map<number, number>();
  const call = async (path: string, init: RequestInit = {}): Promise<Response | undefined> => {
    const api = apis[next++ % apis.length]!;
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${key}`);
    try {
      const res = await fetch(`http://127.0.0.1:${api.port}${path}`, { ...init, headers });
      answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
      return res;
    } catch {
      answers.set(0, (answers.get(0) ?? 0) + 1);
      return undefined;
    }
  };
  return { call, answers };
}

const RETRIABLE = [0, 429, 503];

describe('two APIs and two workers, one of each SIGKILLed mid-load', () => {
  it('nothing is lost, charged twice or announced twice; clients see only retriable errors', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: VIDEOS + ITEMS, requests_per_minute: 100_000 } });
    const hook = await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url } });
    expect(hook.status).toBe(201);
    const client = roundRobin(key);
    const image = dataUri(makeImage('png', '64x64'));
    const accepted: string[] = [];
    /** Submits with one Idempotency-Key until accepted, moving to the next API after a retriable refusal. */
    const submit = async (n: number): Promise<void> => {
      for (;;) {
        const res = await client.call('/v1/videos', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `steady-${n}` },
          body: JSON.stringify({ prompt: 'steady', image, duration_seconds: 1 }),
        });
        if (res?.status === 202) {
          const { id } = (await res.json()) as { id: string };
          if (!accepted.includes(id)) accepted.push(id);
          return;
        }
        await res?.arrayBuffer();
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const poll = async () => {
      for (const id of accepted.slice(-3)) await (await client.call(`/v1/videos/${id}`))?.arrayBuffer();
    };

    const form = new FormData();
    form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'p.png');
    const file = (await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string };
    const csv = ['custom_id,image,prompt,duration_seconds', ...Array.from({ length: ITEMS }, (_, i) => `sku-${i},${file.id},"turning",1`)].join('\n');
    const upload = new FormData();
    upload.set('file', new Blob([csv], { type: 'text/csv' }), 'catalogue.csv');
    const batchRes = await app.request('/v1/batches', { method: 'POST', key, body: upload });
    expect(batchRes.status).toBe(202);

    let killed = false;
    for (let n = 0; n < VIDEOS; n++) {
      await submit(n);
      await poll();
      if (!killed && n >= VIDEOS / 3 && (await app.sql(`SELECT 1 FROM videos WHERE status = 'running'`)).length > 0) {
        killed = true;
        apis[0]!.child!.kill('SIGKILL');
        await workers.kill(workers.alive[0]!);
        // Traffic keeps going to the dead API's address while both come back, as a round-robin without health checks would send it.
        const restarting = (async () => {
          await startApi(apis[0]!);
          await workers.start();
        })();
        for (let m = 0; m < 3; m++) await poll();
        await restarting;
      }
    }
    expect(killed).toBe(true);

    await until(
      'every video to end',
      async () => (await app.sql(`SELECT 1 FROM videos WHERE status NOT IN ('succeeded', 'failed', 'canceled')`)).length === 0,
      150_000,
      500,
    );
    const events = await app.sql<{ id: string; object_id: string; type: string }>(`SELECT id, object_id, type FROM events WHERE tenant_id IS NOT NULL`);
    await receiver.waitFor((r) => new Set(r.map((x) => x.headers['webhook-id'])).size >= events.length, 60_000);
    const outcomes = await app.sql<{ status: string; error_code: string | null; n: number }>(
      `SELECT status, error_code, count(*)::int AS n FROM videos GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    console.log(`answers ${JSON.stringify(Object.fromEntries(client.answers))}, outcomes ${JSON.stringify(outcomes)}, events ${events.length}`);

    expect([...client.answers.keys()].filter((s) => s >= 400 || s === 0).filter((s) => !RETRIABLE.includes(s))).toEqual([]);
    expect(accepted.length).toBe(VIDEOS);
    // A job BullMQ gave up on after two stalls is the only acceptable failure.
    for (const o of outcomes) if (o.status === 'failed') expect(o.error_code).toBe('processing_failed');
    expect(await app.sql(`SELECT object_id, type, count(*)::int AS n FROM events GROUP BY 1, 2 HAVING count(*) > 1`)).toEqual([]);
    const delivered = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    expect(events.filter((e) => !delivered.has(e.id)).map((e) => `${e.type} ${e.object_id}`)).toEqual([]);
    expect([
      ...(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })),
      ...(await brokenBatchInvariants(app)),
    ]).toEqual([]);
  }, 400_000);
});
