import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { API_VERSION } from '../../sdk/js/src/index.js';
import { API_VERSIONS, LATEST_API_VERSION } from '../../src/platform/http/api-versions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Dated API versions (issue 37 item 4): a key is pinned to the newest version at creation, a
 * request may name another with `Leoma-Version`, and 2026-12-01's one breaking change (the video's
 * `expired_at` renamed `output_expired_at`) shows only from that version on: the same request
 * under 2026-06-01 answers in the old shape, in single objects, lists and idempotent replays.
 */
let app: TestApp;
const OLD = '2026-06-01';
const NEW = '2026-12-01';
const image = `data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAkCAIAAAC2bqvFAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAU0lEQVR4nO3PUQkAIBTAwFfJTpa1lSH8OITBAtxm7fN1wwUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY0oAUNaEEDWtCAFjSgBQ1owWMXCBVOtUeMa7QAAAAASUVORK5CYII='}`;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const as = async (path: string, key: string, version?: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) => {
  const res = await app.request(path, { key, ...init, headers: { ...init.headers, ...(version ? { 'leoma-version': version } : {}) } });
  return { status: res.status, version: res.headers.get('leoma-version'), body: (await res.json()) as Record<string, any> };
};

describe('API versions', () => {
  it('answers the same request in each version’s shape: the old one exactly as before the change', async () => {
    const { key } = await app.tenant();
    expect(LATEST_API_VERSION).toBe(NEW);
    const create = { method: 'POST', json: { prompt: 'versions', duration_seconds: 1, image }, headers: { 'idempotency-key': 'versions-1' } };
    const made = await as('/v1/videos', key, undefined, create);
    expect(made).toMatchObject({ status: 202, version: NEW });
    expect(made.body).toHaveProperty('output_expired_at', null);
    expect(made.body).not.toHaveProperty('expired_at');

    const [latest, old] = await Promise.all([as(`/v1/videos/${made.body.id}`, key, NEW), as(`/v1/videos/${made.body.id}`, key, OLD)]);
    expect(old.version).toBe(OLD);
    expect(old.body).toHaveProperty('expired_at', null);
    expect(old.body).not.toHaveProperty('output_expired_at');
    // Everything else is the same, and the old shape has the old field where it always was: last.
    const { output_expired_at: _, ...rest } = latest.body;
    const { expired_at: __, ...oldRest } = old.body;
    expect(oldRest).toEqual(rest);
    expect(Object.keys(old.body).at(-1)).toBe('expired_at');

    const list = await as('/v1/videos', key, OLD);
    expect(list.body.data[0]).toHaveProperty('expired_at');
    expect(list.body.data[0]).not.toHaveProperty('output_expired_at');
    // A replay is shaped for the request replaying it.
    const replay = await as('/v1/videos', key, OLD, create);
    expect(replay.body).toMatchObject({ id: made.body.id, expired_at: null });
    expect(replay.body).not.toHaveProperty('output_expired_at');
  });

  it('pins a key at creation (newest unless told), keeps the pin through a roll, and a header overrides it per request', async () => {
    const { key } = await app.tenant();
    const pinned = await as('/v1/api-keys', key, undefined, { method: 'POST', json: { name: 'old integration', api_version: OLD } });
    expect(pinned.body).toMatchObject({ api_version: OLD });
    const fresh = await as('/v1/api-keys', key, undefined, { method: 'POST', json: { name: 'new integration' } });
    expect(fresh.body).toMatchObject({ api_version: NEW });

    const oldKey: string = pinned.body.secret;
    const video = await as('/v1/videos', oldKey, undefined, { method: 'POST', json: { prompt: 'pinned', duration_seconds: 1, image } });
    expect(video.version).toBe(OLD);
    expect(video.body).toHaveProperty('expired_at', null);
    const overridden = await as(`/v1/videos/${video.body.id}`, oldKey, NEW);
    expect(overridden.body).toHaveProperty('output_expired_at', null);

    const rolled = await as(`/v1/api-keys/${pinned.body.id}/roll`, key, undefined, { method: 'POST', json: {} });
    expect(rolled.body).toMatchObject({ api_version: OLD });
    expect((await as(`/v1/videos/${video.body.id}`, rolled.body.secret)).body).toHaveProperty('expired_at', null);
  });

  it('refuses an unknown version with a problem naming the known ones', async () => {
    const { key } = await app.tenant();
    const res = await as('/v1/me', key, '2025-01-01');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'api_version_unknown' });
    expect(res.body.detail).toContain(NEW);
    expect((await as('/v1/me', key, 'yesterday')).status).toBe(400);
  });

  it('the SDK speaks the newest version by default (the one its types describe)', () => {
    expect(API_VERSION).toBe(LATEST_API_VERSION);
  });

  it('lists every version in CHANGELOG.md, with each change', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8');
    for (const v of API_VERSIONS) {
      expect(changelog).toContain(`## ${v.version}`);
      for (const change of v.changes) expect(changelog).toContain(change.summary);
    }
  });
});
