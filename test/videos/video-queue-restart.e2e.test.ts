import { describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

type Json = Record<string, any>;

describe('crash safety', () => {
  it('a waiting video is a row, not a job: a worker started after the API accepted it (a fresh process after a crash) runs it', async () => {
    const apiOnly = await startTestApp({ env: { BATCH_SCHEDULE_INTERVAL_MS: '100' } });
    try {
      const { key } = await apiOnly.tenant({ limits: { concurrent_videos: 1 } });
      const form = new FormData();
      form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
      const image = ((await (await apiOnly.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await apiOnly.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
        expect(res.status).toBe(202);
        ids.push(((await res.json()) as Json).id);
      }
      expect(await apiOnly.sql('select count(*)::int as n from videos where id = any($1) and dispatched_at is null', [ids])).toEqual([{ n: 1 }]);
      await apiOnly.startWorker();
      for (const id of ids) expect((await waitForStatus(apiOnly, key, id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    } finally {
      await apiOnly.close();
    }
  }, 120_000);
});
