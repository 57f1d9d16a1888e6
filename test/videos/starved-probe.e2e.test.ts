import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

/**
 * Our ffprobe check starved of CPU (a loaded worker) judged nothing: it must not fail the video as
 * output_invalid, nor count against the backend's circuit, nor refuse a customer's sound track.
 * `ffprobe` on this file's PATH is the real one, except that while `stop-next` exists the next
 * probe stops itself (SIGSTOP) before it starts: it waits, using no CPU, until it is killed.
 */
const dir = mkdtempSync(join(tmpdir(), 'leoma-starved-'));
const bin = join(dir, 'bin');
const stopNext = join(dir, 'stop-next');
const stopped = join(dir, 'stopped');
let app: TestApp;

beforeAll(async () => {
  const real = execFileSync('sh', ['-c', 'command -v ffprobe']).toString().trim();
  mkdirSync(bin);
  writeFileSync(join(bin, 'ffprobe'), `#!/bin/sh\nif rmdir '${stopNext}' 2>/dev/null; then touch '${stopped}'; kill -STOP $$; fi\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'ffprobe'), 0o755);
  app = await startTestApp({
    worker: true,
    // A threshold of 1: a single failure blamed on the backend would open its circuit.
    // Attempts to spare: on a loaded machine a real probe may be starved too, which is retried the same way.
    env: { PATH: `${bin}:${process.env.PATH}`, MEDIA_PROBE_TIMEOUT_MS: '4000', BREAKER_FAILURE_THRESHOLD: '1', VIDEO_MAX_ATTEMPTS: '5' },
  });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The next ffprobe call stops itself. */
function starveNextProbe(): void {
  rmSync(stopped, { force: true });
  mkdirSync(stopNext);
}

describe('a starved output check', () => {
  it('is retried without blaming the file or the backend: the video succeeds, charged once', async () => {
    const { key } = await app.tenant();
    starveNextProbe();
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(existsSync(stopped)).toBe(true);
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    const [row] = await app.sql('select attempts from videos where id = $1', [id]);
    // The starved attempt, then (at least) the one whose check ran.
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    const backend = (await (await app.request('/v1/admin/backends/cfg_default', { key: app.operatorKey })).json()) as { circuit: string };
    expect(backend.circuit).toBe('closed');
    const usage = await app.sql('select count(*)::int as n from usage_records where video_id = $1', [id]);
    expect(usage[0].n).toBe(1);
  });
});

describe('a starved sound-track check', () => {
  it('answers 503 media_check_unavailable with Retry-After, and the same file is taken when sent again', async () => {
    const { key } = await app.tenant();
    const path = join(dir, 'tone.mp3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'libmp3lame', path]);
    const upload = () => {
      const form = new FormData();
      form.set('purpose', 'audio');
      form.set('file', new Blob([readFileSync(path)]), 'tone.mp3');
      return app.request('/v1/files', { method: 'POST', key, body: form });
    };
    starveNextProbe();
    const refused = await upload();
    expect(existsSync(stopped)).toBe(true);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { code: string }).code).toBe('media_check_unavailable');
    const taken = await upload();
    expect(taken.status).toBe(201);
  });
});
