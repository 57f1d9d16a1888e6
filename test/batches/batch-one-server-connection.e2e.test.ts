import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPgBouncer, type RunningPgBouncer } from '../../tools/dev/pgbouncer.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

type Json = Record<string, any>;

/**
 * Behind a transaction-pooling PgBouncer a transaction keeps its server connection until it ends,
 * so code that queries on another pooled connection while its own transaction is open needs a
 * second server connection meanwhile. Two such transactions at once on a pool of two (or one on a
 * pool of one) wait for each other forever: PostgreSQL cannot see that deadlock, only PgBouncer's
 * query_wait_timeout ends it. Here the API and the worker share ONE server connection, so any such
 * query on the batch path stalls the batch.
 */
describe('a batch behind PgBouncer with one server connection', () => {
  let bouncer: RunningPgBouncer;
  let app: TestApp;

  beforeAll(async () => {
    bouncer = await startPgBouncer({ serverUrl: inject('pgUrl'), poolSize: 1 });
    app = await startTestApp({ worker: true, databaseUrl: bouncer.via, env: { BATCH_SCHEDULE_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    await app?.close();
    await bouncer?.stop();
  });

  it('is scheduled, run and completed: no step queries a second connection inside its transaction', async () => {
    const { key } = await app.tenant();
    const form = new FormData();
    form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
    const file = (await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as Json;
    const items = ['a', 'b'].map((custom_id) => ({ custom_id, image: file.id, prompt: 'turntable', duration_seconds: 1 }));
    const created = await app.request('/v1/batches', { method: 'POST', key, json: { items } });
    const batch = (await created.json()) as Json;
    expect(created.status, JSON.stringify(batch)).toBe(202);
    let seen: Json = batch;
    for (const deadline = Date.now() + 45_000; seen.status === 'in_progress' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      seen = (await (await app.request(`/v1/batches/${batch.id}`, { key })).json()) as Json;
    }
    expect({ status: seen.status, counts: seen.request_counts }).toMatchObject({ status: 'completed', counts: { succeeded: 2 } });
  }, 90_000);
});
