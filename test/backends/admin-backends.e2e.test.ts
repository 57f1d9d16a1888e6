import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The config backend serves a model nobody ranks, so videos run only on backends registered here.
let app: TestApp;
let op: string;

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backends: [{ model: 'acme/unranked', maxConcurrency: 2 }],
    env: { BACKEND_HEALTH_INTERVAL_MS: '200', BREAKER_FAILURE_THRESHOLD: '1', GPU_BACKEND_NETWORKS: '10.0.0.0/8' },
  });
  op = app.operatorKey;
});
afterAll(() => app?.close());

const get = async (id: string) => (await (await app.request(`/v1/admin/backends/${id}`, { key: op })).json()) as Record<string, any>;

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const create = (json: unknown, key = op) => app.request('/v1/admin/backends', { method: 'POST', key, json });

describe('/v1/admin/backends', () => {
  it('registers, lists, changes and removes a backend without ever returning its credentials', async () => {
    const res = await create({ name: 'gpu-1', url: app.backend.url, model: 'leoma/reference-i2v', max_concurrency: 3, auth_header: 'Bearer s3cret' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({
      object: 'backend',
      source: 'api',
      protocol: 'cog',
      max_concurrency: 3,
      auth_header_set: true,
      enabled: true,
      circuit: 'closed',
      in_flight: 0,
      health: 'unknown',
    });
    expect(JSON.stringify(created)).not.toContain('s3cret');
    expect(created.id).toMatch(/^gpb_/);

    const list = (await (await app.request('/v1/admin/backends', { key: op })).json()) as { data: { id: string; source: string }[] };
    expect(list.data.map((b) => [b.id, b.source])).toEqual([
      ['ref_0', 'config'],
      [created.id, 'api'],
    ]);

    const patched = await app.request(`/v1/admin/backends/${created.id}`, { method: 'PATCH', key: op, json: { enabled: false, auth_header: null } });
    expect(await patched.json()).toMatchObject({ enabled: false, auth_header_set: false, max_concurrency: 3 });

    expect((await app.request(`/v1/admin/backends/${created.id}`, { method: 'DELETE', key: op })).status).toBe(204);
    const gone = await app.request(`/v1/admin/backends/${created.id}`, { key: op });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a URL at the cloud metadata address or outside GPU_BACKEND_NETWORKS (422 backend_url_forbidden), on create and on change', async () => {
    for (const url of [
      'http://169.254.169.254/',
      'http://[::ffff:169.254.169.254]:5000',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]:5000',
      'http://192.168.7.7:5000',
    ]) {
      const res = await create({ name: 'sneaky', url, model: 'leoma/reference-i2v' });
      expect(res.status, url).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'backend_url_forbidden', errors: [{ param: 'url', code: 'backend_url_forbidden' }] });
    }
    // A listed network is fine (nothing listens there; the health check will say so), and so is loopback outside production.
    const inCluster = await create({ name: 'in-cluster', url: 'http://10.20.30.40:5000', model: 'leoma/reference-i2v', enabled: false });
    expect(inCluster.status).toBe(201);
    const { id } = (await inCluster.json()) as { id: string };
    const moved = await app.request(`/v1/admin/backends/${id}`, { method: 'PATCH', key: op, json: { url: 'http://169.254.169.254/' } });
    expect(moved.status).toBe(422);
    expect((await get(id)).url).toBe('http://10.20.30.40:5000');
    expect((await app.request(`/v1/admin/backends/${id}`, { method: 'DELETE', key: op })).status).toBe(204);
    expect(await app.sql("select 1 from backends where url like '%169.254%'")).toEqual([]);
  });

  it('refuses bad input, tenant keys and edits of config backends with problem+json codes', async () => {
    const bad = await create({ name: '', url: 'ftp://x', model: 'm', protocol: 'grpc', max_concurrency: 0, extra: 1 });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; errors: { param: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.param).sort()).toEqual(['extra', 'max_concurrency', 'name', 'protocol', 'url']);

    const { key } = await app.tenant();
    const forbidden = await create({ name: 'x', url: app.backend.url, model: 'm' }, key);
    expect(forbidden.status).toBe(403);

    const config = await app.request('/v1/admin/backends/ref_0', { method: 'PATCH', key: op, json: { enabled: false } });
    expect(config.status).toBe(409);
    expect(((await config.json()) as { code: string }).code).toBe('backend_from_config');
  });

  it('dispatches to a registered backend speaking the generate protocol', async () => {
    const res = await create({ name: 'gen-1', url: app.backend.url, protocol: 'generate', model: 'leoma/reference-i2v', max_concurrency: 2 });
    const backend = (await res.json()) as { id: string };
    const { key } = await app.tenant();
    const video = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 2, negative_prompt: 'blur' },
    });
    const { id } = (await video.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    // 2 s at 16 fps is 33 frames (4k+1): 2.0625 s, which the output reports as probed.
    expect(done).toMatchObject({
      status: 'succeeded',
      frames: 33,
      output: { width: 832, height: 480, fps: 16 },
      provenance: { model: 'leoma/reference-i2v', model_revision: 'main', backend_id: backend.id },
    });
    expect(done.output.duration_seconds).toBeCloseTo(33 / 16, 1);
    expect(app.backend.stats().lastInput).toMatchObject({ negative_prompt: 'blur', num_frames: 33 });
  });

  it('health-checks every backend and sends nothing to one reported down', async () => {
    const res = await create({ name: 'dead', url: 'http://127.0.0.1:9', model: 'leoma/reference-i2v', max_concurrency: 8 });
    const dead = (await res.json()) as { id: string };
    await until(async () => (await get(dead.id)).health === 'down');
    expect((await get('ref_0')).health).toBe('ready');

    const { key } = await app.tenant();
    const video = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const done = await waitForStatus(app, key, ((await video.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.provenance.backend_id).not.toBe(dead.id);
    // With a threshold of 1, a single call to the dead backend would have opened its circuit.
    expect((await get(dead.id)).circuit).toBe('closed');
  });

  it('refuses a URL carrying user:pass@ on create and on change, and never echoes it', async () => {
    const withCredentials = app.backend.url.replace('http://', 'http://admin:hunter2@');
    const created = await create({ name: 'creds', url: withCredentials, model: 'leoma/reference-i2v' });
    expect(created.status).toBe(400);
    const body = (await created.json()) as Record<string, any>;
    expect(body).toMatchObject({ code: 'validation_failed', errors: [{ param: 'url' }] });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const ok = (await (await create({ name: 'no-creds', url: app.backend.url, model: 'acme/none', enabled: false })).json()) as { id: string };
    const patched = await app.request(`/v1/admin/backends/${ok.id}`, { method: 'PATCH', key: op, json: { url: withCredentials } });
    expect(patched.status).toBe(400);
    expect((await get(ok.id)).url).toBe(app.backend.url);
    await app.request(`/v1/admin/backends/${ok.id}`, { method: 'DELETE', key: op });
  });

  it('refuses null for fields that cannot be cleared', async () => {
    const res = await create({ name: 'n', url: app.backend.url, model: 'acme/unranked' });
    const { id } = (await res.json()) as { id: string };
    const patched = await app.request(`/v1/admin/backends/${id}`, { method: 'PATCH', key: op, json: { url: null, model_revision: null } });
    expect(patched.status).toBe(400);
    expect(await patched.json()).toMatchObject({ code: 'validation_failed', errors: [{ param: 'url', code: 'invalid_null' }] });
  });
});
