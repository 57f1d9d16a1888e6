import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { testCardRenderer } from '../../gpu/server/test-card-renderer.js';
import type { Renderer, RenderRequest } from '../../gpu/server/renderer.js';

/** The test card, recording what each render was asked. */
const card = testCardRenderer({ renderSize: () => null });
const asked: RenderRequest[] = [];
const renderer: Renderer = {
  ...card,
  async render(request, signal) {
    if (request.prompt !== 'warm-up') asked.push(request);
    return card.render(request, signal);
  },
};

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, backend: { renderer, maxConcurrency: 4 } });
});
afterAll(() => app?.close());

const post = (key: string, json: Record<string, unknown>) =>
  app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'a mug', image, duration_seconds: 1, ...json } });
const list = async (key: string, query: string) => ((await (await app.request(`/v1/videos?${query}`, { key })).json()) as { data: Record<string, any>[] }).data;

describe('variants (`n`)', () => {
  it('makes n videos with consecutive seeds, one group, each rendered and charged as its own render, as estimated', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 1 } });
    const ask = { n: 3, seed: 41 };
    const estimate = (await (
      await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'a mug', duration_seconds: 1, ...ask } })
    ).json()) as Record<string, any>;
    expect(estimate).toMatchObject({ n: 3, duration_seconds: 1, refused: null, cost: { amount: 2, included_seconds_used: 1, overage_seconds: 2 } });

    const res = await post(key, ask);
    expect(res.status).toBe(202);
    const group = (await res.json()) as Record<string, any>;
    expect(group).toMatchObject({ object: 'video_group', n: 3 });
    expect(group.id).toMatch(/^vgr_/);
    expect(group.data.map((v: any) => [v.seed, v.group_id, v.status])).toEqual([
      [41, group.id, 'queued'],
      [42, group.id, 'queued'],
      [43, group.id, 'queued'],
    ]);
    const ids: string[] = group.data.map((v: any) => v.id);
    expect(new Set(ids).size).toBe(3);

    const done = await Promise.all(ids.map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'])));
    expect(done.map((v) => v.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // Each variant was its own render, with its own seed.
    expect(
      asked
        .filter((r) => r.prompt === 'a mug' && [41, 42, 43].includes(r.seed!))
        .map((r) => r.seed)
        .sort(),
    ).toEqual([41, 42, 43]);
    // Each charged as its own render: one usage record each; together they cost what the estimate said.
    const usage = await app.sql('select video_id, video_seconds, amount_minor from usage_records where video_id = any($1) order by video_id', [ids]);
    expect(usage.map((u: any) => u.video_seconds)).toEqual([1, 1, 1]);
    expect(usage.reduce((n: number, u: any) => n + u.amount_minor, 0)).toBe(estimate.cost.amount);
    expect(done.reduce((n, v) => n + v.cost.amount, 0)).toBe(estimate.cost.amount);

    const listed = await list(key, `group_id=${group.id}`);
    expect(listed.map((v) => v.id).sort()).toEqual([...ids].sort());
    expect(await list(key, 'group_id=vgr_nonexistent')).toEqual([]);

    // Deleting one variant leaves the others' shared input image to them.
    expect((await app.request(`/v1/videos/${ids[0]}`, { method: 'DELETE', key })).status).toBe(200);
    const [{ n }] = await app.sql(`select count(*)::int as n from videos where group_id = $1 and deleted_at is null`, [group.id]);
    expect(n).toBe(2);
  });

  it('draws a different seed for each variant when none is sent; a video asked without n has no group', async () => {
    const { key } = await app.tenant();
    const group = (await (await post(key, { n: 4 })).json()) as Record<string, any>;
    const seeds = group.data.map((v: any) => v.seed);
    expect(seeds.every((s: unknown) => typeof s === 'number')).toBe(true);
    expect(new Set(seeds).size).toBe(4);
    const single = (await (await post(key, {})).json()) as Record<string, any>;
    expect(single).toMatchObject({ object: 'video', group_id: null });
    for (const id of [...group.data.map((v: any) => v.id), single.id]) await app.request(`/v1/videos/${id}/cancel`, { method: 'POST', key });
  });

  it('queues the variants over the concurrency; refuses the request as a whole when the queue cannot take them: nothing created, nothing kept reserved', async () => {
    const { key: queued } = await app.tenant({ limits: { concurrent_videos: 2 } });
    const accepted = await post(queued, { n: 3 });
    expect(accepted.status).toBe(202);
    const variants = ((await accepted.json()) as Record<string, any>).data as Record<string, any>[];
    expect(variants.filter((v) => v.start_by !== null)).toHaveLength(1);
    for (const v of variants) await app.request(`/v1/videos/${v.id}/cancel`, { method: 'POST', key: queued });

    // Two slots and one place in the queue: the fourth variant has nowhere to go.
    const { key } = await app.tenant({ limits: { concurrent_videos: 2, max_queued_videos: 1 } });
    const res = await post(key, { n: 4 });
    expect(res.status).toBe(429);
    const problem = (await res.json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'queue_full', suggestion: { param: 'n', max: 3 } });
    expect(problem.detail).toContain('variant 4 was refused, so none was created');
    expect(await list(key, 'limit=10')).toEqual([]);
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'p', n: 4 } })).json()) as Record<string, any>;
    expect(estimate.refused).toMatchObject({ status: 429, code: 'queue_full' });
    // The two slots the refused request took were given back: three variants fit, one of them waiting.
    const three = await post(key, { n: 3 });
    expect(three.status).toBe(202);
    for (const v of ((await three.json()) as Record<string, any>).data) await app.request(`/v1/videos/${v.id}/cancel`, { method: 'POST', key });

    const { key: small } = await app.tenant({ limits: { included_video_seconds: 2, overage_allowed: false } });
    const over = await post(small, { n: 3 });
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'quota_exceeded' });
    expect(await list(small, 'limit=10')).toEqual([]);
  });

  it('refuses bad n with a 400', async () => {
    const { key } = await app.tenant();
    for (const n of [0, 5, 1.5, 'x', -1]) {
      const res = await post(key, { n });
      expect(res.status, String(n)).toBe(400);
      expect(((await res.json()) as Record<string, any>).code).toBe('validation_failed');
    }
  });
});
