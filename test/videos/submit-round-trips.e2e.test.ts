import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ExpressAdapter } from '@nestjs/platform-express';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { roundTripCounter } from '../support/round-trips.js';

// Issue 36 items 3 and 4: the round trips of the hot paths, counted (never timed). Each request is
// made once first so the per-tenant caches are warm, as they are for a client submitting or polling
// in a loop. A change that adds a statement or a Redis call to these paths fails here and has to
// say why in this file.
let app: TestApp;
let key: string;
let fileId: string;
let counter: Awaited<ReturnType<typeof roundTripCounter>>;

beforeAll(async () => {
  // Every cache's bound far beyond this file's run, so no count depends on how fast the machine is.
  app = await startTestApp({ env: { AUTH_FAILURE_CACHE_MS: '60000', AUTH_CACHE_TTL_SECONDS: '3600' } });
  ({ key } = await app.tenant());
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
  fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
  const pool = (app.api.get(DataSource).driver as unknown as { master: Pool }).master;
  counter = await roundTripCounter(inject('redisUrl'), process.env.QUEUE_PREFIX!, pool);
});
afterAll(async () => {
  await counter?.close();
  await app?.close();
});

const submit = () =>
  app.request('/v1/videos', {
    method: 'POST',
    key,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: { prompt: 'a slow push-in', image: fileId, duration_seconds: 1 },
  });

describe('round trips per request, caches warm', () => {
  it('POST /v1/videos (file_ id, Idempotency-Key): 3 PostgreSQL statements and 4 Redis calls', async () => {
    expect((await submit()).status).toBe(202);
    const { result, statements, commands } = await counter.during(submit);
    expect(result.status).toBe(202);
    const shape = statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 40));
    // Idempotency claim; the file_ input; then one statement, which commits as a whole: the video
    // row, the stored response, the event and the webhook deliveries it causes (7 before: a
    // transaction of the video, the event with the endpoints that hear it, and the stored response
    // after it). Moderation settings, hard caps, the rate card and the model's capabilities come
    // from caches dropped on change (auth-cache.e2e, moderation, alerts).
    expect(shape, statements.join('\n---\n')).toEqual([
      expect.stringMatching(/^INSERT INTO "idempotency_keys"/),
      expect.stringMatching(/^select id, tenant_id as "tenantId"/),
      expect.stringMatching(/^with ch0 as \(insert into videos/),
    ]);
    for (const part of ['UPDATE "idempotency_keys"', 'insert into events', 'insert into webhook_deliveries']) expect(statements[2]).toContain(part);
    // The rate limit, the quota reservation, the lease pinned once the row is committed and the
    // BullMQ add (the last two sent together): each one script.
    expect(commands, commands.join('\n')).toHaveLength(4);
    expect(commands.every((c) => c.startsWith('evalsha'))).toBe(true);
  });

  it('POST /v1/videos replayed: the answer stored with the video is the one the first request got', async () => {
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const body = { prompt: 'a slow push-in', image: fileId, duration_seconds: 1 };
    const first = await app.request('/v1/videos', { method: 'POST', key, headers, json: body });
    const again = await app.request('/v1/videos', { method: 'POST', key, headers, json: body });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const answered = (await first.json()) as { id: string; created_at: string };
    expect(await again.json()).toEqual(answered);
    // The answer was made before the row was written: the row says the same.
    expect(await (await app.request(`/v1/videos/${answered.id}`, { key })).json()).toEqual(answered);
  });

  it('GET /v1/videos/{id} and GET /v1/videos?limit=100: one statement and the rate limit', async () => {
    const id = ((await (await submit()).json()) as { id: string }).id;
    await app.request(`/v1/videos/${id}`, { key });
    for (const path of [`/v1/videos/${id}`, '/v1/videos?limit=100']) {
      const { result, statements, commands } = await counter.during(() => app.request(path, { key }));
      expect(result.status, path).toBe(200);
      expect(statements, statements.join('\n---\n')).toHaveLength(1);
      expect(commands, commands.join('\n')).toHaveLength(1);
    }
  });

  it('GET /v1/me: no statement, only the rate limit', async () => {
    await app.request('/v1/me', { key });
    const { result, statements, commands } = await counter.during(() => app.request('/v1/me', { key }));
    expect(result.status).toBe(200);
    expect(statements, statements.join('\n---\n')).toEqual([]);
    expect(commands, commands.join('\n')).toHaveLength(1);
  });

  it('GET /v1/me, 20 at once from an address not seen yet: its failed-authentication count is read from Redis once', async () => {
    // Each request that found no reading used to read it, so a burst (or every request in flight
    // when a reading expired) paid the Redis round trip the cache exists to save.
    const burst = () => Promise.all(Array.from({ length: 20 }, () => app.request('/v1/me', { key, headers: { 'x-forwarded-for': '203.0.113.77' } })));
    const { result, commands } = await counter.during(burst);
    expect(result.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(commands.filter((c) => c.includes(':authfail:'))).toHaveLength(1);
  });

  it('GET /v1/me, 20 at once: the rate checks that wait for the call in flight go to Redis together', async () => {
    const burst = () => Promise.all(Array.from({ length: 20 }, () => app.request('/v1/me', { key })));
    const { result, commands } = await counter.during(burst);
    expect(result.map((r) => r.status)).toEqual(Array(20).fill(200));
    const calls = commands.filter((c) => c.includes(':rl:t:'));
    // One call per request before (20); now the first goes alone and the rest share calls.
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThan(20);
  });

  it('20 at once against a bucket of 5: exactly 5 pass, each with its own place in the bucket, the rest are 429', async () => {
    // A token comes back every 12 s: the burst is over long before, so exactly the burst passes.
    const small = await app.tenant({ limits: { requests_per_minute: 5 } });
    const result = await Promise.all(Array.from({ length: 20 }, () => app.request('/v1/me', { key: small.key })));
    const passed = result.filter((r) => r.status === 200);
    expect(passed).toHaveLength(5);
    expect(result.filter((r) => r.status === 429)).toHaveLength(15);
    const remaining = passed.map((r) => Number(/"tenant";r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1])).sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
    for (const r of result.filter((x) => x.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('GET /health/live: the first route, nothing in front of it; no statement, no Redis call, no key or session read', async () => {
    // Issue 36: every middleware, guard and interceptor placed before the probe is paid by every
    // probe (the bench's /health/live fell to 0.42 of a bare Nest route). Express 5's router holds
    // only what was registered: first what Nest's adapter itself adds (as in a bare Nest app, the
    // bench's floor), then the app's own, of which none may come before the probe.
    type Stack = { name: string; route?: { path: string } }[];
    const stackOf = (express: unknown) => (express as { router: { stack: Stack } }).router.stack;
    const framework = stackOf(new ExpressAdapter().getInstance()).length;
    const stack = stackOf(app.api.getHttpAdapter().getInstance());
    const at = stack.findIndex((layer) => layer.route?.path === '/health/live');
    expect(at).toBeGreaterThanOrEqual(framework);
    expect(
      stack.slice(framework, at).map((layer) => layer.name),
      'layers that run before /health/live',
    ).toEqual([]);
    // A malformed key and a session cookie: neither is looked at, so nothing is counted or read.
    const { result, statements, commands } = await counter.during(() =>
      app.request('/health/live', { headers: { authorization: 'Bearer lk_live_nope', cookie: 'leoma_session=forged' } }),
    );
    expect(result.status).toBe(200);
    expect(await result.json()).toEqual({ status: 'ok' });
    expect(result.headers.get('request-id'), 'no middleware ran').toBeNull();
    expect(statements).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('a succeeded video polled again: only its row is read (its settled cost is cached); its presigned URLs reused', async () => {
    // Last: the worker it starts shares this process's Redis namespace.
    await app.startWorker();
    const id = ((await (await submit()).json()) as { id: string }).id;
    const deadline = Date.now() + 60_000;
    let first: { status: string; output: { url: string } | null; cost: { amount: number } | null } | undefined;
    while (first?.status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      first = (await (await app.request(`/v1/videos/${id}`, { key })).json()) as typeof first;
    }
    expect(first?.status).toBe('succeeded');
    // The worker also finishes the earlier tests' videos and settles their quota in the same
    // namespace, possibly during the measured poll. Measure again until a window holds none of its
    // calls: a poll that itself added a call to the limits would never get a clean window and fails.
    let measured: Awaited<ReturnType<typeof counter.during<Response>>> | undefined;
    for (let attempt = 0; attempt < 25; attempt++) {
      measured = await counter.during(() => app.request(`/v1/videos/${id}`, { key }));
      if (measured.commands.filter((c) => c.includes(':lim:')).length === 1) break;
      await new Promise((r) => setTimeout(r, 400));
    }
    const { result, statements, commands } = measured!;
    const polled = (await result.json()) as { output: { url: string }; cost: { amount: number } | null };
    expect(polled.output.url).toBe(first!.output!.url);
    expect(polled.cost).not.toBeNull();
    expect(polled.cost).toEqual(first!.cost);
    // The settled cost never changes (usage_records' cost columns are written once), so the first
    // poll that found it was the last to read it: a poll is the one indexed read of its row.
    expect(statements.map((s) => s.slice(0, 40))).toEqual([expect.stringMatching(/^select id, tenant_id/)]);
    // The worker now runs in this process too: only this app's own keys (the rate limit) are the poll's.
    expect(
      commands.filter((c) => c.includes(':lim:')),
      commands.join('\n'),
    ).toHaveLength(1);
  });
});
