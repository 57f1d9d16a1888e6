import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { createTestS3Client } from '../support/isolation.js';
import { dataUri, makeImage } from '../support/images.js';
import { RetentionSweepJob } from '../../src/retention/index.js';
import { QueueName } from '../../src/platform/queue/queue-names.js';
import { runCli } from '../../tools/cli/leoma.js';

const DAY = 86_400_000;
let app: TestApp;
let s3: S3Client;
let provider: Server;
const providerCalls: { prompt: string; authorization?: string; image?: { content_type: string; data: string } }[] = [];
const image = dataUri(makeImage('png'));

/** A stand-in moderation service on 127.0.0.1: flags "flagme" (and "inspect image" once it sees the image), answers "slowpoke" too late. */
async function startProvider(): Promise<string> {
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: { prompt: string; image?: { content_type: string; data: string } } };
      providerCalls.push({ prompt: input.prompt, authorization: req.headers.authorization, image: input.image });
      const answer = (verdict: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
      if (input.prompt.includes('slowpoke')) setTimeout(() => answer({ flagged: false }), 1_500).unref();
      else if (input.prompt.includes('inspect image') && input.image) answer({ flagged: true, category: 'nudity' });
      else answer(input.prompt.includes('flagme') ? { flagged: true, category: 'Violence' } : { flagged: false });
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(provider.address() as AddressInfo).port}/moderate`;
}

const s3Status = async (key: string): Promise<number> => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: process.env.S3_BUCKET, Key: key }));
    return 200;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
};

/** Every S3 key a video row points at. */
async function videoKeys(id: string): Promise<string[]> {
  const [row] = await app.sql<{ input: { storage_key: string; source: string }; output: Record<string, string> | null }>(
    'select input, output from videos where id = $1',
    [id],
  );
  const keys = [row!.input.source === 'file' ? null : row!.input.storage_key, row!.output?.storage_key, row!.output?.poster_key, row!.output?.thumbnail_key];
  return keys.filter((k): k is string => Boolean(k));
}

async function uploadFile(key: string): Promise<{ id: string; expires_at: string }> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'a.png');
  const res = await app.request('/v1/files', { method: 'POST', key, body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; expires_at: string };
}

async function download(app: TestApp, key: string, path: string): Promise<Buffer> {
  const res = await app.request(path, { key });
  expect(res.status).toBe(302);
  return Buffer.from(await (await fetch(res.headers.get('location')!)).arrayBuffer());
}

function probeImage(bytes: Buffer, name: string): { codec_name: string; width: number; height: number } {
  const path = join(mkdtempSync(join(tmpdir(), 'leoma-stills-')), name);
  writeFileSync(path, bytes);
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', path]).toString()).streams[0];
}

let a: { tenantId: string; key: string };
let b: { tenantId: string; key: string };
let videoA: string;
let videoB: string;

beforeAll(async () => {
  const providerUrl = await startProvider();
  app = await startTestApp({
    worker: true,
    env: {
      MODERATION_BLOCKLIST: JSON.stringify({ weapons: ['Zip Gun', 're:\\bpipe\\s*bombs?\\b'] }),
      MODERATION_PROVIDER_URL: providerUrl,
      MODERATION_PROVIDER_API_KEY: 'provider-test-key',
      MODERATION_PROVIDER_TIMEOUT_MS: '300',
      MODERATION_PROVIDER_IMAGES: 'true',
      MODERATION_BREAKER_THRESHOLD: '100',
    },
  });
  s3 = createTestS3Client();
  a = await app.tenant({ limits: { retention_days: 1 } });
  b = await app.tenant({ limits: { retention_days: 30 } });
});
afterAll(async () => {
  await app?.close();
  provider?.close();
  s3?.destroy();
});

describe('outputs: poster and thumbnail', () => {
  it('a succeeded video has a JPEG poster of its own size and a 320 px WebP thumbnail that download', async () => {
    [videoA, videoB] = await Promise.all([createVideo(app, a.key, image), createVideo(app, b.key, image)]);
    const [done] = await Promise.all([waitForStatus(app, a.key, videoA, ['succeeded', 'failed']), waitForStatus(app, b.key, videoB, ['succeeded', 'failed'])]);
    expect(done.status).toBe('succeeded');
    expect(done.output.poster_url).toMatch(/^http/);
    expect(done.output.thumbnail_url).toMatch(/^http/);
    expect(done.output_expired_at).toBeNull();

    const poster = Buffer.from(await (await fetch(done.output.poster_url)).arrayBuffer());
    expect(probeImage(poster, 'p.jpg')).toMatchObject({ codec_name: 'mjpeg', width: done.width, height: done.height });
    const thumbnail = await download(app, a.key, `/v1/videos/${videoA}/content?variant=thumbnail`);
    expect(thumbnail.subarray(8, 12).toString()).toBe('WEBP');
    const thumb = probeImage(thumbnail, 't.webp');
    expect(Math.max(thumb.width, thumb.height)).toBe(320);
    expect(thumb.width / thumb.height).toBeCloseTo(done.width / done.height, 1);
    expect((await download(app, a.key, `/v1/videos/${videoA}/content?variant=poster`)).equals(poster)).toBe(true);
    expect((await download(app, a.key, `/v1/videos/${videoA}/content`)).length).toBe(done.output.bytes);

    const bad = await app.request(`/v1/videos/${videoA}/content?variant=gif`, { key: a.key });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('validation_failed');
  });
});

describe('retention', () => {
  it("past a tenant's retention the sweep deletes its objects and nulls the output; usage and a longer-lived tenant's content stay", async () => {
    const [fileA, fileB] = await Promise.all([uploadFile(a.key), uploadFile(b.key)]);
    expect(Date.parse(fileA.expires_at) - Date.now()).toBeGreaterThan(DAY - 60_000);
    const keysA = await videoKeys(videoA);
    const keysB = await videoKeys(videoB);
    expect(keysA).toHaveLength(4);
    // The two uploads ran at once, so their ids need not sort in upload order: pair each key with its file.
    const fileKeys = new Map(
      (await app.sql<{ id: string; storage_key: string }>('select id, storage_key from files where id = any($1)', [[fileA.id, fileB.id]])).map((r) => [
        r.id,
        r.storage_key,
      ]),
    );
    const [fileKeyA, fileKeyB] = [fileKeys.get(fileA.id), fileKeys.get(fileB.id)];
    for (const key of [...keysA, ...keysB, fileKeyA!, fileKeyB!]) expect(await s3Status(key)).toBe(200);

    const job = app.worker!.get(RetentionSweepJob);
    // The worker's scheduler also runs a sweep (at real time) when it starts; one at a time, so wait for its lease.
    const sweep = async (now: Date) => {
      for (const deadline = Date.now() + 10_000; ; ) {
        const result = await job.run(now);
        if (result.ran || Date.now() > deadline) return result;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // One worker at a time: while another worker holds the sweep's lease, a run does nothing.
    await sweep(new Date());
    await app.sql(`insert into leases (name, owner, fence, expires_at) values ('retention:sweep', 'another-worker', 1, now() + interval '1 minute')
      on conflict (name) do update set owner = excluded.owner, fence = leases.fence + 1, expires_at = excluded.expires_at`);
    expect(await job.run(new Date(Date.now() + 2 * DAY))).toEqual({ ran: false, videos: 0, files: 0 });
    await app.sql(`update leases set expires_at = now() where name = 'retention:sweep'`);
    // Inside the day nothing goes; two days on, tenant A's content does (time moved, not waited for).
    expect(await sweep(new Date(Date.now() + DAY / 2))).toEqual({ ran: true, videos: 0, files: 0 });
    const later = new Date(Date.now() + 2 * DAY);
    expect(await sweep(later)).toEqual({ ran: true, videos: 1, files: 1 });

    for (const key of [...keysA, fileKeyA!]) expect(await s3Status(key)).toBe(404);
    for (const key of [...keysB, fileKeyB!]) expect(await s3Status(key)).toBe(200);
    const expired = (await (await app.request(`/v1/videos/${videoA}`, { key: a.key })).json()) as Record<string, any>;
    expect(expired).toMatchObject({ status: 'succeeded', output: null, output_expired_at: later.toISOString() });
    expect((await (await app.request(`/v1/videos/${videoB}`, { key: b.key })).json()) as Record<string, any>).toMatchObject({
      output_expired_at: null,
      output: { width: 832 },
    });
    expect(await app.sql('select video_id from usage_records where video_id = any($1)', [[videoA, videoB]])).toHaveLength(2);

    const gone = await app.request(`/v1/videos/${videoA}/content?variant=poster`, { key: a.key });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { code: string }).code).toBe('video_expired');
    expect(((await (await app.request(`/v1/files/${fileA.id}`, { key: a.key })).json()) as Record<string, any>).expired_at).toBe(later.toISOString());
    const reuse = await app.request('/v1/videos', { method: 'POST', key: a.key, json: { prompt: 'p', image: fileA.id, duration_seconds: 1 } });
    expect(reuse.status).toBe(410);
    expect(((await reuse.json()) as { code: string }).code).toBe('file_expired');

    // Nothing is due any more: a second run is a no-op.
    expect(await sweep(later)).toEqual({ ran: true, videos: 0, files: 0 });
  });
});

describe('deletion', () => {
  it('DELETE removes the objects at once, keeps usage, records who did it; another tenant gets a 404', async () => {
    const file = await uploadFile(b.key);
    const [{ storage_key: fileKey }] = await app.sql<{ storage_key: string }>('select storage_key from files where id = $1', [file.id]);
    const keys = await videoKeys(videoB);

    for (const path of [`/v1/videos/${videoB}`, `/v1/files/${file.id}`]) {
      const foreign = await app.request(path, { method: 'DELETE', key: a.key });
      expect(foreign.status).toBe(404);
    }
    for (const key of [...keys, fileKey!]) expect(await s3Status(key)).toBe(200);

    const del = await app.request(`/v1/videos/${videoB}`, { method: 'DELETE', key: b.key });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ id: videoB, object: 'video', deleted: true });
    const delFile = await app.request(`/v1/files/${file.id}`, { method: 'DELETE', key: b.key });
    expect(await delFile.json()).toEqual({ id: file.id, object: 'file', deleted: true });
    for (const key of [...keys, fileKey!]) expect(await s3Status(key)).toBe(404);

    expect((await app.request(`/v1/videos/${videoB}`, { key: b.key })).status).toBe(404);
    expect((await app.request(`/v1/files/${file.id}`, { key: b.key })).status).toBe(404);
    expect((await app.request(`/v1/videos/${videoB}`, { method: 'DELETE', key: b.key })).status).toBe(404);
    expect(await app.sql('select 1 from usage_records where video_id = $1', [videoB])).toHaveLength(1);
    const [row] = await app.sql('select prompt, output, deleted_at from videos where id = $1', [videoB]);
    expect(row).toMatchObject({ prompt: '', output: null });

    const audit = (await (await app.request('/v1/audit-log', { key: b.key })).json()) as { data: { action: string; target: { id: string } }[] };
    expect(audit.data.map((e) => [e.action, e.target.id])).toEqual(
      expect.arrayContaining([
        ['video.deleted', videoB],
        ['file.deleted', file.id],
      ]),
    );
    const events = await app.sql<{ type: string; object_id: string }>("select type, object_id from events where type like '%.deleted'");
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'video.deleted', object_id: videoB },
        { type: 'file.deleted', object_id: file.id },
      ]),
    );
  });

  it('a deleted video leaves no content in its idempotent replay: a retry replays the same id, without the prompt', async () => {
    const body = { prompt: 'a secret product launch', negative_prompt: 'blur', metadata: { sku: 'S-1' }, image, duration_seconds: 1 };
    const post = () => app.request('/v1/videos', { method: 'POST', key: b.key, json: body, headers: { 'Idempotency-Key': 'delete-me-once' } });
    const created = (await (await post()).json()) as { id: string };
    expect((await app.request(`/v1/videos/${created.id}`, { method: 'DELETE', key: b.key })).status).toBe(200);

    const replay = await post();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toMatchObject({ id: created.id, prompt: '', negative_prompt: null, metadata: {}, output: null });
    const stored = await app.sql<{ body: string }>('select response_body::text as body from idempotency_keys where key = $1', ['delete-me-once']);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).not.toContain('secret product');
    expect(stored[0]!.body).not.toContain('S-1');
  });

  it("an admin erases a tenant's content (confirmed by its id): queued work is canceled, objects go, usage stays", async () => {
    const e = await app.tenant();
    const file = await uploadFile(e.key);
    const video = await createVideo(app, e.key, image);
    const [{ storage_key: fileKey }] = await app.sql<{ storage_key: string }>('select storage_key from files where id = $1', [file.id]);
    const [inputKey] = await videoKeys(video);
    const refused = await app.request('/v1/videos', {
      method: 'POST',
      key: e.key,
      json: { prompt: 'how to build a ZIP-GUN for the erasure test', image, duration_seconds: 1 },
    });
    expect(refused.status).toBe(422);
    const replayable = await app.request('/v1/videos', {
      method: 'POST',
      key: e.key,
      json: { prompt: 'kept for a replay', image, duration_seconds: 1 },
      headers: { 'Idempotency-Key': 'erase-me' },
    });
    expect(replayable.status).toBeLessThan(300);

    const support = (await (
      await app.request('/v1/admin/operators', {
        method: 'POST',
        key: app.operatorKey,
        json: { name: 's', email: `s-${Date.now()}@leoma.test`, role: 'support' },
      })
    ).json()) as { secret: string };
    expect((await app.request(`/v1/admin/tenants/${e.tenantId}/erase`, { method: 'POST', key: support.secret, json: { confirm: e.tenantId } })).status).toBe(
      403,
    );
    const unconfirmed = await app.request(`/v1/admin/tenants/${e.tenantId}/erase`, { method: 'POST', key: app.operatorKey, json: { confirm: a.tenantId } });
    expect(unconfirmed.status).toBe(422);

    const erased = await app.request(`/v1/admin/tenants/${e.tenantId}/erase`, { method: 'POST', key: app.operatorKey, json: { confirm: e.tenantId } });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({ object: 'tenant_erasure', tenant_id: e.tenantId, videos_deleted: 2, files_deleted: 1, has_more: false });
    // The refusal is kept, its text is not; replay copies of the tenant's responses are gone.
    expect(await app.sql('select prompt from moderation_events where tenant_id = $1', [e.tenantId])).toEqual([{ prompt: '' }]);
    expect(await app.sql("select 1 from idempotency_keys where owner like 'tenant:' || $1 || ':%'", [e.tenantId])).toHaveLength(0);
    expect(await s3Status(fileKey!)).toBe(404);
    expect(await s3Status(inputKey!)).toBe(404);
    expect((await app.request(`/v1/videos/${video}`, { key: e.key })).status).toBe(404);
    const [row] = await app.sql<{ status: string }>('select status from videos where id = $1', [video]);
    // Canceled before it could finish, or finished first and then deleted: either way nothing of it is stored.
    expect(['canceled', 'succeeded']).toContain(row!.status);
    await expect
      .poll(async () => (await app.sql<{ n: number }>('select count(*)::int as n from videos where id = $1 and output is not null', [video]))[0]!.n)
      .toBe(0);

    // The CLI loops over capped calls; on an erased tenant there is nothing left to do.
    let out = '';
    const cli = (args: string[]) => runCli(args, { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey }, { out: (t) => (out += t), err: () => undefined });
    expect(await cli(['tenants', 'erase', e.tenantId])).not.toBe(0);
    expect(await cli(['tenants', 'erase', e.tenantId, '--confirm', e.tenantId, '--json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({ object: 'tenant_erasure', tenant_id: e.tenantId, videos_deleted: 0, files_deleted: 0, has_more: false });
  });
});

describe('moderation', () => {
  const videosQueue = () => app.api.get<Queue>(getQueueToken(QueueName.Videos));
  const allJobs = async () => Object.values(await videosQueue().getJobCounts()).reduce((x, y) => x + y, 0);

  it('a blocked prompt is a 422 with its category, recorded, with no video row, no charge and no job', async () => {
    const t = await app.tenant();
    const jobsBefore = await allJobs();
    const res = await app.request('/v1/videos', { method: 'POST', key: t.key, json: { prompt: 'how to build a ZIP-GUN at home', image, duration_seconds: 1 } });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'content_policy_violation', category: 'weapons' });
    const negative = await app.request('/v1/videos', {
      method: 'POST',
      key: t.key,
      json: { prompt: 'a garden', negative_prompt: 'pipe bombs', image, duration_seconds: 1 },
    });
    expect((await negative.json()) as Record<string, any>).toMatchObject({
      code: 'content_policy_violation',
      category: 'weapons',
      errors: [{ param: 'negative_prompt' }],
    });

    expect(await app.sql('select 1 from videos where tenant_id = $1', [t.tenantId])).toHaveLength(0);
    expect(await app.sql('select 1 from usage_records where tenant_id = $1', [t.tenantId])).toHaveLength(0);
    expect(await allJobs()).toBe(jobsBefore);
    const usage = (await (await app.request('/v1/usage', { key: t.key })).json()) as Record<string, any>;
    expect(usage).toMatchObject({ video_seconds: { used: 0, reserved: 0 }, concurrent_videos: { active: 0 } });

    const events = (await (await app.request('/v1/moderation-events', { key: t.key })).json()) as { data: Record<string, any>[] };
    expect(events.data).toHaveLength(2);
    expect(events.data[1]).toMatchObject({
      object: 'moderation_event',
      category: 'weapons',
      source: 'blocklist',
      prompt: 'how to build a ZIP-GUN at home',
      request_id: res.headers.get('request-id'),
    });
    expect(events.data[1]!.rule).toBeUndefined();
    const admin = (await (await app.request(`/v1/admin/moderation-events?tenant_id=${t.tenantId}`, { key: app.operatorKey })).json()) as {
      data: Record<string, any>[];
    };
    expect(admin.data[1]).toMatchObject({ tenant_id: t.tenantId, rule: 'Zip Gun', id: problem.moderation_event });
    expect((await (await app.request('/v1/moderation-events', { key: a.key })).json()) as { data: unknown[] }).toMatchObject({ data: [] });
  });

  it("a tenant's own terms match without case or accents; the provider is asked, with its key, and its refusal is a 422", async () => {
    const t = await app.tenant();
    const put = await app.request(`/v1/admin/tenants/${t.tenantId}/moderation`, {
      method: 'PUT',
      key: app.operatorKey,
      json: { blocklist: { brand_safety: ['Crème Brûlée'] } },
    });
    expect(put.status).toBe(200);
    const badPattern = await app.request(`/v1/admin/tenants/${t.tenantId}/moderation`, {
      method: 'PUT',
      key: app.operatorKey,
      json: { blocklist: { x: ['re:(oops'] } },
    });
    expect(badPattern.status).toBe(400);
    const blocked = await app.request('/v1/videos', { method: 'POST', key: t.key, json: { prompt: 'a CREME BRULEE torched', image, duration_seconds: 1 } });
    expect((await blocked.json()) as Record<string, any>).toMatchObject({ code: 'content_policy_violation', category: 'brand_safety' });
    // Another tenant has no such term.
    const flagged = await app.request('/v1/videos', { method: 'POST', key: b.key, json: { prompt: 'flagme please', image, duration_seconds: 1 } });
    expect(flagged.status).toBe(422);
    expect((await flagged.json()) as Record<string, any>).toMatchObject({ code: 'content_policy_violation', category: 'violence' });
    expect(providerCalls.find((c) => c.prompt === 'flagme please')?.authorization).toBe('Bearer provider-test-key');
    expect(await app.sql("select source from moderation_events where prompt = 'flagme please'")).toEqual([{ source: 'provider' }]);
  });

  it('with images on, the provider sees the start image and its refusal releases the reservation', async () => {
    const t = await app.tenant();
    const res = await app.request('/v1/videos', { method: 'POST', key: t.key, json: { prompt: 'inspect image', image, duration_seconds: 1 } });
    expect(res.status).toBe(422);
    expect((await res.json()) as Record<string, any>).toMatchObject({ code: 'content_policy_violation', category: 'nudity', errors: [{ param: 'image' }] });
    const sent = providerCalls.filter((c) => c.prompt === 'inspect image');
    expect(sent.map((c) => Boolean(c.image))).toEqual([false, true]);
    expect(sent[1]!.image!.content_type).toBe('image/png');
    expect(Buffer.from(sent[1]!.image!.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(await app.sql('select 1 from videos where tenant_id = $1', [t.tenantId])).toHaveLength(0);
    const usage = (await (await app.request('/v1/usage', { key: t.key })).json()) as Record<string, any>;
    expect(usage).toMatchObject({ video_seconds: { used: 0, reserved: 0 }, concurrent_videos: { active: 0 } });
  });

  it("the provider's timeout follows the fail mode: closed refuses (503, nothing charged), open lets the video through", async () => {
    const closed = await app.tenant();
    await app.request(`/v1/admin/tenants/${closed.tenantId}/moderation`, { method: 'PUT', key: app.operatorKey, json: { fail_mode: 'closed' } });
    const started = Date.now();
    const refused = await app.request('/v1/videos', { method: 'POST', key: closed.key, json: { prompt: 'slowpoke closed', image, duration_seconds: 1 } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { code: string }).code).toBe('moderation_unavailable');
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(await app.sql('select 1 from videos where tenant_id = $1', [closed.tenantId])).toHaveLength(0);

    const open = await app.tenant();
    const allowed = await app.request('/v1/videos', { method: 'POST', key: open.key, json: { prompt: 'slowpoke open', image, duration_seconds: 1 } });
    expect(allowed.status).toBe(202);
    const { id } = (await allowed.json()) as { id: string };
    // Tidy: the video is not needed, and deleting a queued one cancels it.
    expect((await app.request(`/v1/videos/${id}`, { method: 'DELETE', key: open.key })).status).toBe(200);
  });
});
