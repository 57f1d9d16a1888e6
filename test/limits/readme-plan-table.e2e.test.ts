import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The README's plan table is what the API accepts: each plan's limits as the plans hold them, and
// a video at each plan's longest duration and largest resolution estimated without refusal, one
// second or one resolution more refused with the code that says so.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

type Json = Record<string, any>;

/** The table's rows under its header `| plan | seconds/month | …`, cells trimmed. */
function readmePlanRows(): string[][] {
  const lines = readFileSync('README.md', 'utf8').split('\n');
  const header = lines.findIndex((l) => l.startsWith('| plan | seconds/month |'));
  expect(header, 'the plan table in README.md').toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const num = (cell: string) => Number(cell.replace(/[^\d]/g, ''));

describe("README's plan table", () => {
  it('holds every plan, with the limits the plans hold, and the API takes each plan at its limits and refuses past them', async () => {
    const plans = ((await (await app.request('/v1/admin/plans', { key: app.operatorKey })).json()) as { data: Json[] }).data;
    const rows = readmePlanRows();
    expect(rows.map((r) => r[0]).sort()).toEqual(plans.map((p) => p.code).sort());
    for (const [code, seconds, overage, rpm, concurrent, duration, resolution, batch, retention, priority] of rows) {
      const { limits } = plans.find((p) => p.code === code)!;
      expect(
        {
          included_video_seconds: num(seconds!),
          overage_allowed: overage === 'yes',
          requests_per_minute: num(rpm!),
          concurrent_videos: num(concurrent!),
          max_duration_seconds: num(duration!),
          max_resolution: resolution!.split(' ')[0],
          max_batch_size: num(batch!),
          retention_days: num(retention!),
          queue_priority: num(priority!),
        },
        code,
      ).toEqual({
        included_video_seconds: limits.included_video_seconds,
        overage_allowed: limits.overage_allowed,
        requests_per_minute: limits.requests_per_minute,
        concurrent_videos: limits.concurrent_videos,
        max_duration_seconds: limits.max_duration_seconds,
        max_resolution: limits.max_resolution,
        max_batch_size: limits.max_batch_size,
        retention_days: limits.retention_days,
        queue_priority: limits.queue_priority,
      });

      // What the API accepts at those limits: the estimate runs every check creating the video would.
      const { key } = await app.tenant({ plan: code });
      const estimate = async (ask: Json) =>
        ((await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'a mug', ...ask } })).json()) as Json).refused;
      const max = limits.max_duration_seconds as number;
      expect(await estimate({ duration_seconds: max, resolution: limits.max_resolution }), `${code} at its limits`).toBeNull();
      expect((await estimate({ duration_seconds: max + 1 }))?.code, `${code} past its duration`).toBe('duration_not_allowed');
      // 1080p is an upscale of 720p, taken wherever 720p is (the table's note says so); above a plan's resolution is refused.
      const above = limits.max_resolution === '480p' ? '720p' : null;
      if (above) expect((await estimate({ duration_seconds: 1, resolution: above }))?.code, `${code} above its resolution`).toBe('resolution_not_allowed');
      else expect(await estimate({ duration_seconds: 1, resolution: '1080p' }), `${code} at 1080p`).toBeNull();
    }
    expect(readFileSync('README.md', 'utf8')).toContain('`1080p` is taken wherever 720p is');
  });
});
