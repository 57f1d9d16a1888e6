import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sharedBuild, spawnBuilt, type BuiltProcess } from '../support/shared-build.js';
import { dataUri, makeImage } from '../support/images.js';
import { freePort } from '../../tools/dev/free-port.js';

/**
 * SIGTERM as Kubernetes sends it, to real api and worker processes built as production runs them,
 * on this file's database, queue prefix and bucket.
 */
const GPU_DELAY_MS = 3000;
let app: TestApp;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [dir, app] = await Promise.all([sharedBuild(), startTestApp({ backend: { delayMs: GPU_DELAY_MS } })]);
}, 300_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await app?.close();
});

async function spawnRole(script: string, ready: string, env: Record<string, string>): Promise<BuiltProcess> {
  const proc = await spawnBuilt(dir, `src/app/${script}`, ready, { LOG_FORMAT: 'json', LOG_LEVEL: 'log', ...env });
  children.push(proc.child);
  return proc;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const row = async (id: string) => (await app.sql('select status, attempts from videos where id = $1', [id]))[0] as { status: string; attempts: number };

describe('a worker on SIGTERM', () => {
  it('hands a job past its drain deadline to another worker, which finishes it while draining itself: nothing lost, charged once', async () => {
    const { key } = await app.tenant();
    const image = dataUri(makeImage('png', '64x64'));
    const created = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const healthPort = await freePort();
    const first = await spawnRole('main-worker.js', 'leoma worker started', { WORKER_DRAIN_MS: '1000', WORKER_HEALTH_PORT: String(healthPort) });
    await waitFor('the first worker to start the video', async () => (await row(id)).attempts === 1);
    // Its probes and scrape: ready, and the running job is in the queue gauge.
    expect((await fetch(`http://127.0.0.1:${healthPort}/health/live`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${healthPort}/health/ready`)).status).toBe(200);
    const scrape = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    expect(scrape).toContain('leoma_queue_jobs{queue="videos",state="active"} 1');
    expect(scrape).toContain('process_resident_memory_bytes');

    const secondStarting = spawnRole('main-worker.js', 'leoma worker started', { WORKER_DRAIN_MS: '30000' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/handed back 1 job\(s\) to the queue: videos:vid_/);
    const second = await secondStarting;

    await waitFor('the second worker to take the video over', async () => (await row(id)).attempts === 2);
    // Draining with time to spare: it takes nothing new and finishes what it runs.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('active jobs finished');

    expect(await row(id)).toEqual({ status: 'succeeded', attempts: 2 });
    expect(await app.sql('select count(*)::int as n from usage_records where video_id = $1', [id])).toEqual([{ n: 1 }]);
    const events = await app.sql('select type from events where object_id = $1 order by seq', [id]);
    expect(events.map((e) => e.type)).toEqual(['video.queued', 'video.running', 'video.succeeded']);
    expect(app.backend.stats().started).toBe(2);
  }, 120_000);
});

describe('the api on SIGTERM', () => {
  it('refuses new connections, ends event streams with a retry hint, finishes the request in flight and exits', async () => {
    const { key } = await app.tenant();
    const port = await freePort();
    const api = await spawnRole('main-api.js', 'leoma api listening', { PORT: String(port), HOST: '127.0.0.1', API_DRAIN_MS: '10000' });
    const base = `http://127.0.0.1:${port}`;
    const image = dataUri(makeImage('png', '64x64'));
    const made = await fetch(`${base}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', image, duration_seconds: 1 }),
    });
    const { id } = (await made.json()) as { id: string };

    // An event stream that would otherwise stay open (no worker runs the video).
    const stream = await fetch(`${base}/v1/videos/${id}/events`, { headers: { authorization: `Bearer ${key}` } });
    expect(stream.status).toBe(200);
    const streamText = stream.text();

    // A request in flight: headers and half the body sent.
    const body = Buffer.from(JSON.stringify({ prompt: 'slow body', image, duration_seconds: 1 }));
    const slow = httpRequest(`${base}/v1/videos`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': body.length },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => slow.on('response', resolve).on('error', reject));
    slow.write(body.subarray(0, body.length >> 1));
    await new Promise((r) => setTimeout(r, 200));

    api.child.kill('SIGTERM');
    expect(await streamText).toMatch(/retry: \d+\n\n$/);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();

    slow.end(body.subarray(body.length >> 1));
    const res = await answered;
    let text = '';
    for await (const chunk of res) text += chunk;
    expect(res.statusCode, text).toBe(202);
    expect(JSON.parse(text)).toMatchObject({ object: 'video', status: 'queued' });
    expect(await api.exited).toBe(0);
  }, 60_000);
});
