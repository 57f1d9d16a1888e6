import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../tools/cli/leoma.js';

// Cancel, retry-failed, the manifest's formula neutralising, the SSE stream and batch.failed.
let app: TestApp;
let key: string;
let fileId: string;

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50', EVENTS_STREAM_POLL_MS: '50', VIDEO_MAX_ATTEMPTS: '1' } });
  // Three concurrent videos: a batch may use two, one stays free for interactive videos.
  ({ key } = await app.tenant({ limits: { concurrent_videos: 3 } }));
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
  fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
});
afterAll(() => app?.close());

type Json = Record<string, any>;
const item = (custom_id: string, image = fileId) => ({ custom_id, image, prompt: 'turntable', duration_seconds: 1 });
const sum = (c: Json) => c.queued + c.running + c.succeeded + c.failed + c.canceled;

async function create(items: Json[]): Promise<Json> {
  const res = await app.request('/v1/batches', { method: 'POST', key, json: { items } });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body;
}

async function batch(id: string): Promise<Json> {
  return (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('batch control', () => {
  it('runs at most the concurrency limit (all of it while nothing else waits), and cancel mid-way leaves counts that sum to the total', async () => {
    app.backend.configure({ delayMs: 400 });
    const created = await create(Array.from({ length: 10 }, (_, i) => item(`c${i}`)));
    await until(
      () => batch(created.id),
      (b) => b.request_counts.succeeded >= 2,
    );
    const canceled = await app.request(`/v1/batches/${created.id}/cancel`, { method: 'POST', key });
    const body = (await canceled.json()) as Json;
    expect(canceled.status).toBe(200);
    expect(body).toMatchObject({ status: 'canceled', request_counts: { total: 10, queued: 0 } });
    expect(body.canceled_at).not.toBeNull();
    expect(sum(body.request_counts)).toBe(10);
    expect(body.request_counts.canceled).toBeGreaterThan(0);
    // Running items finish; then nothing moves any more.
    const settled = await until(
      () => batch(created.id),
      (b) => b.request_counts.running === 0,
    );
    app.backend.configure({ delayMs: 0 });
    expect(sum(settled.request_counts)).toBe(10);
    expect(settled.request_counts.succeeded + settled.request_counts.canceled).toBe(10);
    const rows = await app.sql<{ status: string; n: number }>(
      `select status, count(*)::int as n from videos where batch_id = $1 group by status order by status`,
      [created.id],
    );
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({
      canceled: settled.request_counts.canceled,
      succeeded: settled.request_counts.succeeded,
    });
    expect(app.backend.stats().peakRunning).toBe(3);
    // Every slot came back.
    const me = (await (await app.request('/v1/usage', { key })).json()) as Json;
    expect(me.concurrent_videos).toEqual({ limit: 3, active: 0 });
    const again = await app.request(`/v1/batches/${created.id}/cancel`, { method: 'POST', key });
    expect([again.status, ((await again.json()) as Json).code]).toEqual([409, 'batch_not_cancelable']);
  });

  it('retry-failed runs only the failed items again, as new videos in the same rows', async () => {
    // An image URL on a private address passes the form check and fails when the item runs.
    const created = await create([
      item('=HYPERLINK("http://evil")'),
      item('bad', 'https://127.0.0.1/p.png'),
      item('+1'),
      item('-2'),
      item('@SUM(A1)'),
      item('\tx'),
    ]);
    const done = await until(
      () => batch(created.id),
      (b) => b.status === 'completed',
    );
    expect(done.request_counts).toMatchObject({ total: 6, succeeded: 5, failed: 1 });
    const before = (await (await app.request(`/v1/batches/${created.id}/results`, { key })).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(before[1]).toMatchObject({ custom_id: 'bad', status: 'failed', error_code: 'image_url_forbidden', content_url: null });

    const retried = await app.request(`/v1/batches/${created.id}/retry-failed`, { method: 'POST', key });
    const rb = (await retried.json()) as Json;
    expect(retried.status, JSON.stringify(rb)).toBe(200);
    expect(rb).toMatchObject({ status: 'in_progress', request_counts: { total: 6, queued: 1, succeeded: 5, failed: 0 } });
    await until(
      () => batch(created.id),
      (b) => b.status === 'completed',
    );
    const after = parse(await (await app.request(`/v1/batches/${created.id}/results?format=csv`, { key })).text(), { columns: true }) as Json[];
    // Succeeded rows kept their videos; only the failed row has a new one.
    expect(after.map((r) => r.video_id)).toEqual(before.map((r, i) => (i === 1 ? expect.not.stringMatching(before[1].video_id) : r.video_id)));
    expect(after[1]).toMatchObject({ custom_id: 'bad', status: 'failed' });
    // Cells a spreadsheet would run are text.
    expect(after.map((r) => r.custom_id)).toEqual([`'=HYPERLINK("http://evil")`, 'bad', "'+1", "'-2", "'@SUM(A1)", "'\tx"]);
    const listed = (await (await app.request(`/v1/videos?batch_id=${created.id}`, { key })).json()) as Json;
    expect(listed.data).toHaveLength(7);
  });

  it('streams counts as Server-Sent Events until the batch settles, and a batch whose every item failed ends failed with batch.failed', async () => {
    const created = await create([item('u1', 'https://127.0.0.1/a.png'), item('u2', 'https://127.0.0.1/b.png')]);
    const res = await app.request(`/v1/batches/${created.id}/events`, { key });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = (await res.text())
      .split('\n\n')
      .filter((b) => b.includes('data: '))
      .map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as Json);
    expect(messages[0]).toMatchObject({ id: created.id, object: 'batch' });
    expect(messages.at(-1)).toMatchObject({ status: 'failed', request_counts: { total: 2, failed: 2 } });
    for (const m of messages) expect(sum(m.request_counts)).toBe(2);
    const events = (await (await app.request(`/v1/events?type=batch.failed`, { key })).json()) as Json;
    expect(events.data.map((e: Json) => e.data.id)).toContain(created.id);
    const retry = await app.request(`/v1/batches/${created.id}/retry-failed`, { method: 'POST', key });
    expect(retry.status).toBe(200);
    const none = await app.request(`/v1/batches/${created.id}/cancel`, { method: 'POST', key });
    expect(none.status).toBe(200);
    const nothing = await app.request(`/v1/batches/${created.id}/retry-failed`, { method: 'POST', key });
    expect([nothing.status, ((await nothing.json()) as Json).code]).toEqual([409, 'batch_nothing_to_retry']);
  });

  it('leoma batches submit --wait follows a CSV to the end and writes its manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leoma-cli-'));
    const file = join(dir, 'catalogue.csv');
    writeFileSync(file, ['custom_id,image,prompt,duration_seconds', `s1,${fileId},spin,1`, `s2,${fileId},spin,1`, `s3,${fileId},spin,1`].join('\n'));
    let out = '';
    let err = '';
    const code = await runCli(
      ['batches', 'submit', file, '--wait', '--poll-ms', '100', '--json'],
      { LEOMA_API_URL: app.url, LEOMA_API_KEY: key },
      { out: (t) => (out += t), err: (t) => (err += t) },
    );
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'completed', request_counts: { total: 3, succeeded: 3 } });
    expect(err).toMatch(/3 succeeded, 0 failed/);
    const manifest = parse(readFileSync(join(dir, 'catalogue.results.csv'), 'utf8'), { columns: true }) as Json[];
    expect(manifest.map((r) => [r.custom_id, r.status])).toEqual([
      ['s1', 'succeeded'],
      ['s2', 'succeeded'],
      ['s3', 'succeeded'],
    ]);
    // A refused batch names its rows and exits non-zero.
    writeFileSync(file, ['custom_id,image,prompt', `s1,${fileId},`].join('\n'));
    let refusal = '';
    expect(
      await runCli(['batches', 'submit', file], { LEOMA_API_URL: app.url, LEOMA_API_KEY: key }, { out: () => undefined, err: (t) => (refusal += t) }),
    ).toBe(1);
    expect(refusal).toMatch(/batch_invalid_rows[\s\S]*row 1: prompt is required/);
  });
});
