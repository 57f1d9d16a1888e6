import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { Video } from '../../src/videos/video.entity.js';
import { VideosService } from '../../src/videos/videos.service.js';

// Polling and listing read videos with prepared statements outside TypeORM, and a submit answers
// with the row it inserted without reading it back (issue 15): the answers must be the same as
// through TypeORM, every column included, and still scoped to the tenant.
let app: TestApp;
let key: string;
let tenantId: string;
const ids: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ worker: true });
  ({ key, tenantId } = await app.tenant());
  const image = dataUri(makeImage('png'));
  for (const extra of [
    { seed: 4294967295, negative_prompt: 'blur', camera: 'orbit', metadata: { order: '1' }, webhook_url: 'https://example.com/hook' },
    {},
    { resolution: '720p', aspect_ratio: '9:16' },
  ]) {
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, ...extra } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(202);
    // The submit's answer is the row as the poll reads it (nothing but status and timestamps the worker sets may differ).
    const polled = (await (await app.request(`/v1/videos/${body.id as string}`, { key })).json()) as Record<string, unknown>;
    expect({ ...polled, status: 'queued', started_at: null }).toEqual({ ...body, status: 'queued', started_at: null });
    ids.push(body.id as string);
  }
  await waitForStatus(app, key, ids[0]!, ['succeeded']);
});
afterAll(() => app?.close());

describe('video reads without TypeORM', () => {
  it('get() hydrates every column exactly as TypeORM does, a succeeded video included', async () => {
    const service = app.api.get(VideosService);
    const repo = app.api.get(DataSource).getRepository(Video);
    for (const id of ids) {
      const expected = await repo.findOneByOrFail({ id });
      const got = await service.get(tenantId, id, true);
      expect({ ...got }).toEqual({ ...expected });
      // The list reads its rows the same way (as arrays of the columns, by position).
      const listed = (await service.list(tenantId, { limit: 100 }, true)).rows.find((v) => v.id === id);
      expect({ ...listed }).toEqual({ ...expected });
    }
    expect((await service.get(tenantId, ids[0]!, true)).output).toMatchObject({ storage_key: expect.any(String), codec: expect.any(String) });
  });

  it('is scoped to the tenant: another tenant gets 404 for the poll and an empty list', async () => {
    const other = await app.tenant();
    const res = await app.request(`/v1/videos/${ids[0]!}`, { key: other.key });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'resource_not_found' });
    expect(await (await app.request('/v1/videos?limit=100', { key: other.key })).json()).toEqual({ object: 'list', data: [], has_more: false });
  });

  it('lists newest first with both cursors and the status filter', async () => {
    const list = async (q: string) =>
      (await (await app.request(`/v1/videos?${q}`, { key })).json()) as { data: { id: string; status: string }[]; has_more: boolean };
    const newestFirst = [...ids].reverse();
    expect((await list('limit=100')).data.map((v) => v.id)).toEqual(newestFirst);
    expect(await list('limit=1')).toMatchObject({ data: [{ id: newestFirst[0] }], has_more: true });
    expect(await list(`limit=1&starting_after=${newestFirst[0]!}`)).toMatchObject({ data: [{ id: newestFirst[1] }], has_more: true });
    expect(await list(`limit=2&ending_before=${newestFirst[2]!}`)).toMatchObject({ data: [{ id: newestFirst[0] }, { id: newestFirst[1] }], has_more: false });
    const succeeded = await list('status=succeeded&limit=100');
    expect(succeeded.data.map((v) => v.id)).toContain(ids[0]);
    expect(succeeded.data.every((v) => v.status === 'succeeded')).toBe(true);
    expect(await list(`status=succeeded&starting_after=${ids[0]!}`)).toMatchObject({ data: [], has_more: false });
    const both = await app.request(`/v1/videos?starting_after=${ids[0]!}&ending_before=${ids[1]!}`, { key });
    expect(both.status).toBe(400);
  });

  it('hands out the same presigned URL while most of its lifetime remains', async () => {
    const first = (await (await app.request(`/v1/videos/${ids[0]!}`, { key })).json()) as { output: { url: string; expires_at: string } };
    const second = (await (await app.request(`/v1/videos/${ids[0]!}`, { key })).json()) as { output: { url: string; expires_at: string } };
    expect(second.output).toEqual(first.output);
    expect(new Date(first.output.expires_at).getTime() - Date.now()).toBeGreaterThan(60_000);
    expect((await fetch(first.output.url)).status).toBe(200);
  });
});
