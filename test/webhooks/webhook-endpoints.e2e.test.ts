import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Production settings: private addresses and plain http are refused.
let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const create = (json: unknown, k = key) => app.request('/v1/webhook-endpoints', { method: 'POST', key: k, json });

describe('webhook endpoints', () => {
  it('creates with a whsec_ secret shown once, lists, updates and deletes', async () => {
    const res = await create({ url: 'https://8.8.8.8/hooks', enabled_events: ['video.succeeded', 'video.failed'], description: 'prod' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, any>;
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://8.8.8.8/hooks',
      status: 'enabled',
      disabled_reason: null,
      enabled_events: ['video.succeeded', 'video.failed'],
      description: 'prod',
    });
    expect(created.id).toMatch(/^whe_[0-9a-z]{26}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const got = (await (await app.request(`/v1/webhook-endpoints/${created.id}`, { key })).json()) as Record<string, any>;
    expect(got.secret).toBeUndefined();
    const list = (await (await app.request('/v1/webhook-endpoints', { key })).json()) as Record<string, any>;
    expect(list).toMatchObject({ object: 'list', has_more: false });
    expect(list.data.map((e: { id: string }) => e.id)).toContain(created.id);

    const patched = (await (
      await app.request(`/v1/webhook-endpoints/${created.id}`, { method: 'PATCH', key, json: { enabled: false, enabled_events: ['*'] } })
    ).json()) as Record<string, any>;
    expect(patched).toMatchObject({ status: 'disabled', enabled_events: ['*'], disabled_reason: null });

    const deleted = await app.request(`/v1/webhook-endpoints/${created.id}`, { method: 'DELETE', key });
    expect(await deleted.json()).toEqual({ id: created.id, object: 'webhook_endpoint', deleted: true });
    expect((await app.request(`/v1/webhook-endpoints/${created.id}`, { key })).status).toBe(404);
  });

  it("treats another tenant's endpoint as not found", async () => {
    const mine = (await (await create({ url: 'https://8.8.4.4/x' })).json()) as { id: string };
    const other = await app.tenant();
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
      ['POST', '/recover?since=2026-01-01T00:00:00Z'],
    ]) {
      const res = await app.request(`/v1/webhook-endpoints/${mine.id}${path}`, {
        method,
        key: other.key,
        ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('resource_not_found');
    }
  });

  it('refuses a receiver on 127.0.0.1, private networks and plain http unless the dev setting allows them', async () => {
    for (const [url, code] of [
      ['https://127.0.0.1:8443/hooks', 'webhook_url_forbidden'],
      ['https://localhost/hooks', 'webhook_url_forbidden'],
      ['https://169.254.169.254/latest', 'webhook_url_forbidden'],
      ['https://[::1]/x', 'webhook_url_forbidden'],
      ['http://8.8.8.8/hooks', 'webhook_url_invalid'],
      ['https://user:pw@8.8.8.8/', 'webhook_url_invalid'],
      ['not a url', 'webhook_url_invalid'],
    ]) {
      const res = await create({ url });
      expect(res.status, url).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await res.json()) as { code: string }).code, url).toBe(code);
    }
    const video = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: dataUri(makeImage('png')), webhook_url: 'https://127.0.0.1/x' },
    });
    expect(video.status).toBe(422);
    expect(await video.json()).toMatchObject({ code: 'webhook_url_forbidden', errors: [{ param: 'webhook_url' }] });
  });

  it('validates the body and needs the webhooks:manage scope', async () => {
    const bad = await create({ url: 'https://8.8.8.8/', enabled_events: ['video.exploded'], extra: 1 });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; errors: { param: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.param).sort()).toEqual(['enabled_events', 'extra']);
    const limited = await app.tenant({ scopes: ['videos:read'] });
    const denied = await create({ url: 'https://8.8.8.8/' }, limited.key);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { code: string }).code).toBe('insufficient_scope');
    expect((await app.request('/v1/events', { key: limited.key })).status).toBe(200);
    const recover = await app.request('/v1/webhook-endpoints/whe_x/recover?since=yesterday', { method: 'POST', key });
    expect(recover.status).toBe(400);
  });

  it('lists events with cursors and redelivers only to someone', async () => {
    const { key: k } = await app.tenant();
    for (let i = 0; i < 3; i++)
      await app.request('/v1/videos', { method: 'POST', key: k, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const page = (await (await app.request('/v1/events?limit=2&type=video.queued', { key: k })).json()) as Record<string, any>;
    expect(page).toMatchObject({ object: 'list', has_more: true });
    expect(page.data[0]).toMatchObject({ object: 'event', type: 'video.queued', data: { object: 'video', status: 'queued' } });
    const next = (await (await app.request(`/v1/events?limit=2&type=video.queued&starting_after=${page.data[1].id}`, { key: k })).json()) as Record<
      string,
      any
    >;
    expect(next.data).toHaveLength(1);
    expect((await app.request(`/v1/events/${page.data[0].id}`, { key })).status).toBe(404);
    const none = await app.request(`/v1/events/${page.data[0].id}/redeliver`, { method: 'POST', key: k });
    expect(none.status).toBe(409);
    expect(((await none.json()) as { code: string }).code).toBe('no_webhook_targets');
  });
});

describe('webhook secrets at rest', () => {
  it('are stored only encrypted: no row holds a secret, its base64 body or its raw bytes', async () => {
    const created = (await (await create({ url: 'https://8.8.8.8/at-rest', enabled_events: ['video.failed'] })).json()) as { id: string; secret: string };
    const rotated = (await (await app.request(`/v1/webhook-endpoints/${created.id}/rotate-secret`, { method: 'POST', key, json: {} })).json()) as {
      secret: string;
    };
    const tenantDefault = (await (await app.request('/v1/webhook-secret', { key })).json()) as { secret: string };
    const secrets = [created.secret, rotated.secret, tenantDefault.secret];
    for (const s of secrets) expect(s).toMatch(/^whsec_/);

    const rows = JSON.stringify([
      ...(await app.sql('select * from webhook_endpoints where id = $1', [created.id])),
      ...(await app.sql('select * from webhook_tenant_secrets')),
    ]);
    expect(rows).toContain('secret_enc');
    for (const s of secrets) {
      const body = s.slice('whsec_'.length);
      expect(rows).not.toContain(body);
      expect(rows).not.toContain(Buffer.from(body, 'base64').toString('hex'));
    }
    // The old secret is kept (encrypted) for the overlap, so it was stored and is not in the clear either.
    expect((await app.sql('select previous_secret_enc from webhook_endpoints where id = $1', [created.id]))[0]!.previous_secret_enc).toBeTruthy();
  });
});
