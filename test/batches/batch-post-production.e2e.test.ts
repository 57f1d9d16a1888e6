import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The reference model rendering 1 s clips at most (17 frames at 16 fps), so a 2 s item is a chain.
const SHORT_CLIPS = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 17, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50' } });
  expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: SHORT_CLIPS })).status).toBe(201);
});
afterAll(() => app?.close());

describe('batch items with post-production', () => {
  it('takes a ratio the model does not render (cropped) and an item longer than one clip (chained), as a video on its own would', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: {
        items: [
          { custom_id: 'square', image, prompt: 'a mug', duration_seconds: 1, aspect_ratio: '1:1' },
          { custom_id: 'long', image, prompt: 'a mug turning', duration_seconds: 2 },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const batch = (await res.json()) as Record<string, any>;
    const items = ((await (await app.request(`/v1/videos?batch_id=${batch.id}`, { key })).json()) as { data: Record<string, any>[] }).data;
    const byId = Object.fromEntries(items.map((v) => [v.custom_id, v]));
    expect(byId.square).toMatchObject({ aspect_ratio: '1:1', width: 480, height: 480, frames: 17 });
    expect(byId.long).toMatchObject({ duration_seconds: 2, width: 832, height: 480, frames: 33 });
    expect(byId.long.segments).toHaveLength(2);
    const [square, long] = await Promise.all([byId.square.id, byId.long.id].map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'])));
    expect([square.error, long.error]).toEqual([null, null]);
    expect(square.output.steps).toEqual([{ name: 'crop', aspect_ratio: '1:1', focus: { x: 0.5, y: 0.5 }, width: 480, height: 480 }]);
    expect(square.output).toMatchObject({ width: 480, height: 480 });
    expect(long.output.steps).toEqual([{ name: 'stitch', segments: 2, transition: 'cut' }]);
    expect(long.output.duration_seconds).toBeCloseTo(33 / 16, 2);
  });
});
