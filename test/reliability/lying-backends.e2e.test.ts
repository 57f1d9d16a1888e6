import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { brokenInvariants } from './invariants.js';
import { startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy.js';

type Lie = 'other_prediction' | 'truncated_mp4' | 'metadata_output_url';

/**
 * A GPU server that renders for real (a reference backend behind it) and then lies about the
 * answer: the video of another prediction, the MP4 cut in half, or an output "uploaded" to the
 * cloud metadata address (a backend aiming the worker at its own host's credentials; the worker
 * must refuse the address rather than fetch it). A lie must never reach a customer as a succeeded
 * video nor be charged.
 */
function startLiar(upstream: ReferenceBackend, lie: Lie): Promise<RewritingProxy> {
  return startRewritingProxy(upstream.url, (prediction, call) => {
    if (lie === 'other_prediction') prediction.id = `${String(prediction.id)}-someone-else`;
    if (lie === 'truncated_mp4' && typeof prediction.output === 'string') {
      const [head, b64] = prediction.output.split(',') as [string, string];
      const bytes = Buffer.from(b64, 'base64');
      prediction.output = `${head},${bytes.subarray(0, bytes.length >> 1).toString('base64')}`;
    }
    if (lie === 'metadata_output_url')
      prediction.output = call % 2 ? 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' : 'http://[::ffff:a9fe:a9fe]/latest/user-data';
  });
}

const image = dataUri(makeImage('png', '64x64'));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

for (const lie of ['other_prediction', 'truncated_mp4', 'metadata_output_url'] as const) {
  describe(`a backend answering with ${lie}`, () => {
    let app: TestApp;
    let liar: Awaited<ReturnType<typeof startLiar>>;
    let honest: ReferenceBackend;

    beforeAll(async () => {
      const behindLiar = await startReferenceBackend({ maxConcurrency: 4 });
      honest = await startReferenceBackend({ maxConcurrency: 4 });
      liar = await startLiar(behindLiar, lie);
      closers.push(
        () => behindLiar.close(),
        () => honest.close(),
        () => liar.close(),
      );
    });

    it('alone: every video fails uncharged with a reason', async () => {
      app = await startTestApp({
        worker: true,
        backends: [{}],
        env: {
          GPU_BACKENDS: JSON.stringify([{ id: 'liar', url: liar.url, max_concurrency: 4 }]),
          BACKEND_HEALTH_INTERVAL_MS: '0',
          VIDEO_MAX_ATTEMPTS: '1',
          DISPATCH_MAX_ATTEMPTS: '2',
          BREAKER_FAILURE_THRESHOLD: '100',
        },
      });
      closers.push(() => app.close());
      const { key } = await app.tenant();
      const ids = [await createVideo(app, key, image), await createVideo(app, key, image)];
      for (const id of ids) {
        const video = await waitForStatus(app, key, id, ['succeeded', 'failed', 'canceled']);
        expect(video.status).toBe('failed');
        expect(video.error.code).toBeTruthy();
      }
      expect(liar.calls()).toBeGreaterThanOrEqual(2);
      expect(await app.sql('SELECT 1 FROM usage_records')).toEqual([]);
      expect(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
    });

    it('beside an honest one: every video succeeds from the honest one, whole', async () => {
      await app.close();
      const backends = [
        { id: 'liar', url: liar.url, max_concurrency: 4 },
        { id: 'honest', url: honest.url, max_concurrency: 4 },
      ];
      app = await startTestApp({
        worker: true,
        backends: [{}],
        env: { GPU_BACKENDS: JSON.stringify(backends), BACKEND_HEALTH_INTERVAL_MS: '0', BREAKER_FAILURE_THRESHOLD: '100' },
      });
      closers.push(() => app.close());
      const { key } = await app.tenant();
      const before = liar.calls();
      const ids = await Promise.all([1, 2, 3, 4].map(() => createVideo(app, key, image)));
      const dir = mkdtempSync(join(tmpdir(), 'leoma-liar-'));
      try {
        for (const id of ids) {
          const video = await waitForStatus(app, key, id, ['succeeded', 'failed', 'canceled']);
          expect(video.status, JSON.stringify(video.error)).toBe('succeeded');
          expect(video.provenance.backend_id).toBe('honest');
          const content = await app.request(`/v1/videos/${id}/content`, { key });
          const file = join(dir, `${id}.mp4`);
          writeFileSync(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
          const frames = execFileSync('ffprobe', [
            '-v',
            'error',
            '-count_frames',
            '-select_streams',
            'v:0',
            '-show_entries',
            'stream=nb_read_frames',
            '-of',
            'csv=p=0',
            file,
          ])
            .toString()
            .trim();
          expect(Number(frames)).toBe(video.output.frames ?? Number(frames));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(liar.calls()).toBeGreaterThan(before);
      expect(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
    });
  });
}
