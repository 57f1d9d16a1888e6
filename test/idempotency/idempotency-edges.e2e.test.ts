import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Item 4 of issue 19: a lock that frees itself, a response that is never lost once the request
// succeeded, and one key namespace per tenant and mode and per operator.
let app: TestApp;
let tenant: { tenantId: string; key: string };
let slowImage: http.Server;
let slowUrl: string;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({ env: { ALLOW_PRIVATE_IMAGE_URLS: 'true', IDEMPOTENCY_LOCK_SECONDS: '2' } });
  tenant = await app.tenant();
  const png = makeImage('png');
  slowImage = http.createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(png), 3500));
  await new Promise<void>((r) => slowImage.listen(0, '127.0.0.1', r));
  slowUrl = `http://127.0.0.1:${(slowImage.address() as AddressInfo).port}/slow.png`;
});
afterAll(async () => {
  slowImage?.close();
  await app?.close();
});

const videos = async () => (await app.sql('select count(*)::int as n from videos'))[0]!.n as number;
const post = (key: string, idem: string, body: Record<string, unknown> = {}) =>
  app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'idem edge', image, duration_seconds: 1, ...body }, headers: { 'idempotency-key': idem } });

describe('a response that cannot be stored', () => {
  // A real failure of the UPDATE that stores the response, in this file's own database.
  const failStores = async () => {
    await app.sql(
      `create or replace function fail_idem_save() returns trigger language plpgsql as $$ begin raise exception 'induced: response not stored'; end $$`,
    );
    await app.sql(
      `create trigger fail_idem_save before update on idempotency_keys for each row when (new.state = 'completed') execute function fail_idem_save()`,
    );
  };

  it('a save failure after success → the retry replays, no second video', async () => {
    await failStores();
    const before = await videos();
    // With `n`, the response is stored after the videos' transaction (a single video stores it inside: below).
    const first = await post(tenant.key, 'save-fails-1', { n: 2 });
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    expect((await app.sql(`select state from idempotency_keys where key = 'save-fails-1'`))[0]!.state).toBe('in_progress');

    const retry = await post(tenant.key, 'save-fails-1', { n: 2 });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as { id: string }).id).toBe(id);
    expect(await videos()).toBe(before + 2);

    // Once the database takes writes again, a replay also repairs the row.
    await app.sql('drop trigger fail_idem_save on idempotency_keys');
    expect(((await (await post(tenant.key, 'save-fails-1', { n: 2 })).json()) as { id: string }).id).toBe(id);
    expect((await app.sql(`select state, response_status from idempotency_keys where key = 'save-fails-1'`))[0]).toEqual({
      state: 'completed',
      response_status: 202,
    });
    expect(await videos()).toBe(before + 2);
  });

  it('a single video stores its response in the transaction that writes it: when that fails, nothing was made and the key is free', async () => {
    await failStores();
    const before = await videos();
    const first = await post(tenant.key, 'save-fails-2');
    expect(first.status).toBe(500);
    expect(await videos()).toBe(before);
    expect(await app.sql(`select state from idempotency_keys where key = 'save-fails-2'`)).toEqual([]);
    await app.sql('drop trigger fail_idem_save on idempotency_keys');
    const retry = await post(tenant.key, 'save-fails-2');
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await videos()).toBe(before + 1);
    expect((await app.sql(`select state, response_status from idempotency_keys where key = 'save-fails-2'`))[0]).toEqual({
      state: 'completed',
      response_status: 202,
    });
  });
});

describe('the in-progress lock', () => {
  it('is renewed while the request runs, so a duplicate past the lock time still gets 409', async () => {
    const first = post(tenant.key, 'lock-held-1', { image: slowUrl });
    await new Promise((r) => setTimeout(r, 2800)); // past the 2 s lock: only the heartbeat keeps it
    const dup = await post(tenant.key, 'lock-held-1', { image: slowUrl });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('idempotency_request_in_progress');
    expect((await first).status).toBe(202);
  });

  it('of a request whose process died frees the key once it expires, not after 24 h', async () => {
    const created = (await (await post(tenant.key, 'lock-dead-1')).json()) as { id: string };
    // What a crash between claim and completion leaves: an in-progress row nobody renews.
    await app.sql(
      `update idempotency_keys set state = 'in_progress', response_status = null, response_body = null, locked_until = now() + interval '1 hour' where key = 'lock-dead-1'`,
    );
    const locked = await post(tenant.key, 'lock-dead-1');
    expect(locked.status).toBe(409);
    await app.sql(`update idempotency_keys set locked_until = now() - interval '1 second' where key = 'lock-dead-1'`);
    const retried = await post(tenant.key, 'lock-dead-1');
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(((await retried.json()) as { id: string }).id).not.toBe(created.id);
    expect((await app.sql(`select state from idempotency_keys where key = 'lock-dead-1'`))[0]!.state).toBe('completed');
  });
});

describe('key namespaces', () => {
  it("a tenant's live and test keys do not share keys", async () => {
    const testKey = (await (
      await app.request(`/v1/admin/tenants/${tenant.tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } })
    ).json()) as { secret: string };
    const live = (await (await post(tenant.key, 'mode-1')).json()) as { id: string; livemode: boolean };
    const res = await post(testKey.secret, 'mode-1');
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const test = (await res.json()) as { id: string; livemode: boolean };
    expect(test.id).not.toBe(live.id);
    expect([live.livemode, test.livemode]).toEqual([true, false]);
  });

  it('operators do not share keys', async () => {
    const op = await app.request('/v1/admin/operators', {
      method: 'POST',
      key: app.operatorKey,
      json: { name: 'Second', email: 'second@example.com', role: 'admin' },
    });
    expect(op.status).toBe(201);
    const { id } = (await op.json()) as { id: string };
    const opKey = (await (await app.request(`/v1/admin/operators/${id}/keys`, { method: 'POST', key: app.operatorKey })).json()) as { secret: string };
    const create = (key: string) =>
      app.request('/v1/admin/tenants', { method: 'POST', key, json: { name: 'Same key', plan: 'starter' }, headers: { 'idempotency-key': 'op-1' } });
    const a = (await (await create(app.operatorKey)).json()) as { id: string };
    const second = await create(opKey.secret);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(((await second.json()) as { id: string }).id).not.toBe(a.id);
  });
});
