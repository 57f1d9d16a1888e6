import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createVideo, startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { Video } from '../../src/videos/video.entity.js';

// seed, resolution and aspect_ratio come back from the database with the types they went in with.
let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

describe('the video row', () => {
  it('reads seed back as a number (bigint column) and keeps resolution and aspect ratio', async () => {
    const id = await createVideo(app, key, dataUri(makeImage('png')), { seed: 4294967295, resolution: '720p', aspect_ratio: '9:16' });
    const video = await app.api.get(DataSource).getRepository(Video).findOneByOrFail({ id });
    expect(video.seed).toBe(4294967295);
    expect(video.resolution).toBe('720p');
    expect(video.aspectRatio).toBe('9:16');
    const [raw] = await app.sql<{ seed: string }>('select seed from videos where id = $1', [id]);
    expect(raw!.seed).toBe('4294967295');

    const res = await app.request(`/v1/videos/${id}`, { key });
    expect(await res.json()).toMatchObject({ seed: 4294967295, resolution: '720p', aspect_ratio: '9:16', width: 720, height: 1280 });
  });

  it('stores the seed drawn for a video sent without one (so the take can be made again)', async () => {
    const id = await createVideo(app, key, dataUri(makeImage('png')));
    const { seed } = await app.api.get(DataSource).getRepository(Video).findOneByOrFail({ id });
    expect(seed).toEqual(expect.any(Number));
    const [raw] = await app.sql<{ seed: string }>('select seed from videos where id = $1', [id]);
    expect(Number(raw!.seed)).toBe(seed);
  });
});
