import { describe, expect, it } from 'vitest';
import { validateRow } from '../../src/batches/batch-row.js';
import type { Limits } from '../../src/core/limits/effective-limits.js';

const limits: Limits = {
  included_video_seconds: 1000,
  overage_allowed: true,
  requests_per_minute: 60,
  concurrent_videos: 2,
  max_duration_seconds: 8,
  max_resolution: '480p',
  max_batch_size: 100,
  retention_days: 30,
  queue_priority: 5,
  uploads_per_day: 1000,
  uploads_per_month: 20000,
  max_queue_seconds: 3600,
  max_queued_videos: 1000,
  batch_complete_seconds: 604800,
};
const row = { custom_id: 'sku-1', image: 'https://cdn.example.com/a.png', prompt: 'a slow pan over the shoe' };
const codes = (r: ReturnType<typeof validateRow>) => ('errors' in r ? r.errors.map((e) => `${e.param}:${e.code}`) : []);

describe('a batch row', () => {
  it('takes the defaults of POST /v1/videos', () => {
    expect(validateRow(3, row, limits, 10)).toEqual({
      item: {
        row: 3,
        customId: 'sku-1',
        image: row.image,
        prompt: row.prompt,
        durationSeconds: 5,
        resolution: '480p',
        aspectRatio: '16:9',
        seed: undefined,
        camera: undefined,
        negativePrompt: undefined,
        metadata: {},
      },
    });
  });

  it('reads CSV cells as strings: digits are numbers, an empty cell is not given', () => {
    const r = validateRow(1, { ...row, duration_seconds: '6', seed: '42', resolution: '', camera: '' }, limits, 10);
    expect(r).toMatchObject({ item: { durationSeconds: 6, seed: 42, resolution: '480p', camera: undefined } });
  });

  it('names every problem of a row at once, by field', () => {
    const r = validateRow(1, { image: 'http://cdn.example.com/a.png', duration_seconds: '6.5', resolution: '4k', colour: 'red', metadata: 'x' }, limits, 10);
    expect(codes(r).sort()).toEqual(
      [
        'colour:unknown_field',
        'custom_id:required',
        'duration_seconds:invalid_value',
        'image:image_url_invalid',
        'metadata:invalid_value',
        'prompt:required',
        'resolution:invalid_value',
      ].sort(),
    );
  });

  it("holds the plan's duration and resolution, and the platform's cap when lower", () => {
    expect(codes(validateRow(1, { ...row, duration_seconds: 9 }, limits, 10))).toEqual(['duration_seconds:duration_not_allowed']);
    expect(codes(validateRow(1, { ...row, duration_seconds: 7 }, limits, 6))).toEqual(['duration_seconds:duration_not_allowed']);
    expect(codes(validateRow(1, { ...row, resolution: '720p' }, limits, 10))).toEqual(['resolution:resolution_not_allowed']);
  });

  it('accepts a file id or a data URI as the image, and refuses a URL with credentials', () => {
    expect('item' in validateRow(1, { ...row, image: 'file_01abc' }, limits, 10)).toBe(true);
    expect('item' in validateRow(1, { ...row, image: 'data:image/png;base64,AAAA' }, limits, 10)).toBe(true);
    expect(codes(validateRow(1, { ...row, image: 'https://u:p@cdn.example.com/a.png' }, limits, 10))).toEqual(['image:image_url_invalid']);
  });

  it('refuses what is not an object, and metadata past its bounds', () => {
    expect(codes(validateRow(1, ['a'], limits, 10))).toEqual(['item:invalid_type']);
    expect(codes(validateRow(1, null, limits, 10))).toEqual(['item:invalid_type']);
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(codes(validateRow(1, { ...row, metadata }, limits, 10))).toEqual(['metadata:invalid_value']);
    expect(validateRow(1, { ...row, metadata: { shop: 'eu' } }, limits, 10)).toMatchObject({ item: { metadata: { shop: 'eu' } } });
  });
});
