import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGpuServer, startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import type { WeightSource } from '../../gpu/server/weight-source.js';
import { modelsEnv } from '../../src/miners/index.js';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { runCli } from '../../tools/cli/leoma.js';

/**
 * The king changes under steady load: real API, worker, PostgreSQL, Redis and GPU servers. The
 * old king's servers serve throughout; the new king's servers fetch its weights (held back by the
 * test for a while), load and warm up, then go READY. No video fails, each is made by a model
 * READY when it was dispatched (the new one only once both its servers were READY), and
 * model.changed is delivered once. Scale: ROLLOVER_VIDEOS (default small for CI).
 */

const VIDEOS = Number(process.env.ROLLOVER_VIDEOS ?? 10);
const OLD = { repo: 'miner-a/wan-ft', digest: `sha256:${'a1'.repeat(32)}` };
const NEW = { repo: 'miner-b/wan-ft', digest: `sha256:${'b2'.repeat(32)}` };
const ranking = (m: { repo: string; digest: string }) => JSON.stringify([{ model: m.repo, model_revision: m.digest, miner_uid: 7, miner_hotkey: null }]);

/** Weights that arrive when the test says so, with the fetch progress a real fetch reports. */
function gatedWeights(dir: string): WeightSource & { open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return {
    open,
    async fetch(_model, onProgress) {
      onProgress({ bytesDone: 0, bytesTotal: 1000 });
      await gate;
      onProgress({ bytesDone: 1000, bytesTotal: 1000 });
      return dir;
    },
    cacheUsage: async () => ({ freeBytes: 1e12, usedBytes: 0 }),
  };
}

let app: TestApp;
let olds: ReferenceBackend[];
let news: ReferenceBackend[];
let weights: ReturnType<typeof gatedWeights>;
let hooks: WebhookReceiver;
let operatorHooks: WebhookReceiver;
let snapshotDir: string;
const newReadyAt: number[] = [];

beforeAll(async () => {
  snapshotDir = await mkdtemp(join(tmpdir(), 'rollover-'));
  weights = gatedWeights(snapshotDir);
  [hooks, operatorHooks] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
  olds = await Promise.all([0, 1].map(() => startReferenceBackend({ loadedModel: OLD, maxConcurrency: 2, delayMs: 300 })));
  news = await Promise.all([0, 1].map(() => startGpuServer({ loadedModel: NEW, maxConcurrency: 2, delayMs: 300, weights })));
  news.forEach((s) => void s.ready.then(() => newReadyAt.push(Date.now())));
  const registered = [
    ...olds.map((s, i) => ({ id: `old_${i}`, url: s.url, model: OLD.repo, model_revision: OLD.digest, max_concurrency: 2 })),
    ...news.map((s, i) => ({ id: `new_${i}`, url: s.url, model: NEW.repo, model_revision: NEW.digest, max_concurrency: 2 })),
  ];
  app = await startTestApp({
    worker: true,
    backends: [{}],
    env: {
      GPU_BACKENDS: JSON.stringify(registered),
      MODEL_RANKING: ranking(OLD),
      BACKEND_HEALTH_INTERVAL_MS: '150',
      ROLLOUT_RECONCILE_INTERVAL_MS: '150',
      ROLLOUT_MIN_READY_BACKENDS: '2',
      ROLLOUT_RETAIN_KINGS: '1',
      OPERATOR_WEBHOOK_URL: operatorHooks.url,
      OPERATOR_WEBHOOK_SECRET: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
    },
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([...(olds ?? []), ...(news ?? [])].map((s) => s.close()));
  await Promise.all([hooks?.close(), operatorHooks?.close()]);
  await rm(snapshotDir, { recursive: true, force: true });
});

const models = async () =>
  (await (await app.request('/v1/models')).json()) as { served: { repo: string; digest: string } | null; rollouts: { digest: string; state: string }[] };

describe('king rollover under load', () => {
  it('serves the old king until the new one is READY on N backends, fails no video, and sends model.changed once', async () => {
    await until('the first king serves', async () => (await models()).served?.digest === OLD.digest, 30_000);
    const { key } = await app.tenant();
    const endpoint = await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: hooks.url, enabled_events: ['model.changed'] } });
    expect(endpoint.status).toBe(201);

    const image = dataUri(makeImage('png'));
    const ids: string[] = [];
    let switchedAt: number | null = null;
    const submitting = (async () => {
      // Steady load: before the crowning, during the new king's start-up, and after the switch.
      while (ids.length < VIDEOS || switchedAt === null || ids.length < VIDEOS + 2) {
        ids.push(await createVideo(app, key, image, { duration_seconds: 1 }));
        await sleep(200);
      }
    })();

    await until('a few videos on the old king', async () => ids.length >= 3, 30_000);
    process.env.MODEL_RANKING = ranking(NEW);
    modelsEnv.reload();

    // The new king's servers are fetching: the rollout says so, the old king still serves, operators are told to deploy.
    await until('the new digest is fetching', async () => (await models()).rollouts.some((r) => r.digest === NEW.digest && r.state === 'fetching'), 30_000);
    expect((await models()).served?.digest).toBe(OLD.digest);
    const deployments = (await (await app.request('/v1/admin/rollouts/deployments', { key: app.operatorKey })).json()) as {
      actuator: string;
      data: { digest: string; action: string }[];
    };
    expect(deployments.actuator).toBe('manual');
    expect(deployments.data.find((d) => d.digest === NEW.digest)?.action).toBe('deploy');
    const notices = await operatorHooks.waitFor((r) => r.some((n) => n.json.type === 'rollout.deploy' && n.json.data.digest === NEW.digest));
    expect(notices.find((n) => n.json.data.digest === NEW.digest)!.headers['webhook-signature']).toMatch(/^v1,/);

    await sleep(1_500);
    expect((await models()).served?.digest).toBe(OLD.digest);
    weights.open();
    await until('both new servers READY', async () => newReadyAt.length === 2, 30_000);
    await until('the new king serves', async () => (await models()).served?.digest === NEW.digest, 30_000);
    switchedAt = Date.now();
    await submitting;

    const videos = await Promise.all(ids.map((id) => waitForStatus(app, key, id, ['succeeded', 'failed', 'canceled'], 120_000)));
    expect(videos.filter((v) => v.status !== 'succeeded').map((v) => `${v.id}: ${v.status} ${JSON.stringify(v.error)}`)).toEqual([]);
    const bothNewReady = Math.max(...newReadyAt);
    for (const v of videos) {
      const p = v.provenance as { model: string; model_revision: string; backend_id: string; attested_model: { digest: string } | null };
      expect([OLD.digest, NEW.digest]).toContain(p.model_revision);
      expect(p.attested_model?.digest).toBe(p.model_revision);
      expect(p.backend_id.startsWith(p.model_revision === NEW.digest ? 'new_' : 'old_')).toBe(true);
      // The new king only once both its servers were READY (N = 2): never one still loading.
      if (p.model_revision === NEW.digest) expect(Date.parse(v.started_at)).toBeGreaterThanOrEqual(bothNewReady);
    }
    expect(videos.some((v) => v.provenance.model_revision === OLD.digest)).toBe(true);
    expect(videos.some((v) => v.provenance.model_revision === NEW.digest)).toBe(true);

    // model.changed: once, old → new, on the endpoint and in /v1/events.
    await hooks.waitFor((r) => r.some((x) => x.json.type === 'model.changed'));
    await sleep(1_000);
    const changed = hooks.received.filter((x) => x.json.type === 'model.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.json.data).toMatchObject({ object: 'model_rollout', previous: OLD, current: NEW });
    const events = (await (await app.request('/v1/events?type=model.changed', { key })).json()) as { data: { data: Record<string, unknown> }[] };
    expect(events.data.filter((e) => (e.data.current as { digest: string }).digest === NEW.digest)).toHaveLength(1);

    // The old king is kept (K = 1) for rollback and pins, not retired.
    expect((await models()).rollouts.find((r) => r.digest === OLD.digest)?.state).toBe('ready');
  }, 240_000);

  it('rolls back to the kept king at once (CLI, admin, audited), holding the one it replaces', async () => {
    let out = '';
    const code = await runCli(
      ['rollouts', 'rollback', OLD.digest, '--json'],
      { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey },
      { out: (t) => (out += t), err: (t) => (out += t) },
    );
    expect(code, out).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ digest: OLD.digest, state: 'serving' });
    expect((await models()).served?.digest).toBe(OLD.digest);
    await sleep(1_000);
    // The loop does not switch back to the (held) king.
    expect((await models()).served?.digest).toBe(OLD.digest);
    const held = (await (await app.request(`/v1/admin/rollouts/${NEW.digest}`, { key: app.operatorKey })).json()) as { held: boolean; state: string };
    expect(held).toMatchObject({ held: true, state: 'ready' });
    const audit = await app.sql("select action from audit_log where action like 'rollout.%'");
    expect(audit.map((a) => a.action)).toContain('rollout.rollback');
    // Released, the king takes over again.
    expect(
      await runCli(
        ['rollouts', 'release', NEW.digest],
        { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey },
        { out: () => undefined, err: () => undefined },
      ),
    ).toBe(0);
    await until('the king serves again', async () => (await models()).served?.digest === NEW.digest, 30_000);
    const missing = await app.request(`/v1/admin/rollouts/sha256:${'0'.repeat(64)}/rollback`, { method: 'POST', key: app.operatorKey });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('rollout_not_found');
  }, 120_000);
});
