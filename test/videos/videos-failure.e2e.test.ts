import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ worker: true, backend: { garbage: true }, env: { VIDEO_MAX_ATTEMPTS: '2' } });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

describe('a backend that returns garbage', () => {
  it('ends the video failed with output_invalid when the only backend returns garbage, and charges nothing', async () => {
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'failed', output: null, error: { code: 'output_invalid' } });
    const usage = await app.sql('select count(*)::int as n from usage_records');
    const row = await app.sql('select attempts from videos where id = $1', [id]);
    expect(usage[0].n).toBe(0);
    // Dispatch already tried every backend: the job is not run again.
    expect(row[0].attempts).toBe(1);
  });

  it('fails with no_backend_available when the backend only answers 500', async () => {
    app.backend.configure({ garbage: false, failRate: 1 });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'no_backend_available' } });
  });
});
