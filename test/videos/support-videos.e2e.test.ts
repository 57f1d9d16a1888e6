import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

/** Issue 34: support's view of one tenant's videos and failures (admin routes), scoped to the tenant, paged, role-checked and audited. */
let app: TestApp;
let acme: { tenantId: string; key: string };
let other: { tenantId: string; key: string };

const submit = async (key: string) => {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};
const operator = async (role: string) => {
  const res = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: role, email: `${role}@staff.example`, role } });
  return ((await res.json()) as { secret: string }).secret;
};

beforeAll(async () => {
  app = await startTestApp({ worker: true, backend: { garbage: true } });
  [acme, other] = await Promise.all([app.tenant(), app.tenant()]);
});
afterAll(() => app?.close());

describe('support: a tenant videos and failures', () => {
  it('lists one tenant’s videos filtered by status and error code, pages them, counts failures by code, and audits each read', async () => {
    // Two failures (the backend returns garbage), then one success, and one video of another tenant.
    const failed = [await submit(acme.key), await submit(acme.key)];
    for (const id of failed) expect(await waitForStatus(app, acme.key, id, ['failed', 'succeeded'])).toMatchObject({ error: { code: 'output_invalid' } });
    app.backend.configure({ garbage: false });
    const ok = await submit(acme.key);
    const elsewhere = await submit(other.key);
    await waitForStatus(app, acme.key, ok, ['succeeded']);
    await waitForStatus(app, other.key, elsewhere, ['succeeded']);

    const support = await operator('support');
    const list = async (query: string) => {
      const res = await app.request(`/v1/admin/tenants/${acme.tenantId}/videos${query}`, { key: support });
      expect(res.status).toBe(200);
      return (await res.json()) as { data: { id: string; status: string; error: { code: string } | null }[]; has_more: boolean };
    };
    const all = await list('');
    expect(all.data.map((v) => v.id)).toEqual([ok, ...failed.reverse()]);
    expect((await list('?status=failed')).data.map((v) => v.id)).toEqual(failed);
    expect((await list('?error_code=output_invalid&limit=1')).data).toMatchObject([{ id: failed[0], status: 'failed', error: { code: 'output_invalid' } }]);
    const next = await list(`?error_code=output_invalid&limit=1&starting_after=${failed[0]}`);
    expect(next).toMatchObject({ data: [{ id: failed[1] }], has_more: false });
    expect((await list('?status=succeeded')).data.map((v) => v.id)).toEqual([ok]);
    // The sandbox side is another list: this tenant made nothing there.
    expect((await list('?mode=test')).data).toEqual([]);

    const counts = await app.request(`/v1/admin/tenants/${acme.tenantId}/video-failures`, { key: support });
    expect(await counts.json()).toMatchObject({
      object: 'video_failure_counts',
      tenant_id: acme.tenantId,
      livemode: true,
      failed: 2,
      total: 3,
      data: [{ code: 'output_invalid', count: 2, last_video_id: failed[0] }],
    });
    const future = await app.request(
      `/v1/admin/tenants/${acme.tenantId}/video-failures?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      {
        key: support,
      },
    );
    expect(await future.json()).toMatchObject({ failed: 0, total: 0, data: [] });

    // Another tenant's list has only its own video.
    const theirs = await app.request(`/v1/admin/tenants/${other.tenantId}/videos`, { key: support });
    expect(((await theirs.json()) as { data: { id: string }[] }).data.map((v) => v.id)).toEqual([elsewhere]);

    const audit = await app.sql("select action, tenant_id from audit_log where action like 'tenant.video%' order by id");
    expect(audit.filter((a) => a.tenant_id === acme.tenantId && a.action === 'tenant.videos_read')).toHaveLength(6);
    expect(audit.filter((a) => a.action === 'tenant.video_failures_read')).toHaveLength(2);
  });

  it('is support’s (and admins’): finance is refused; an unknown tenant is a 404; a bad filter a 400', async () => {
    const finance = await operator('finance');
    const refused = await app.request(`/v1/admin/tenants/${acme.tenantId}/videos`, { key: finance });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'insufficient_role' });
    expect((await app.request('/v1/admin/tenants/ten_missing/video-failures', { key: app.operatorKey })).status).toBe(404);
    const bad = await app.request(`/v1/admin/tenants/${acme.tenantId}/videos?error_code=DROP%20TABLE`, { key: app.operatorKey });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});
