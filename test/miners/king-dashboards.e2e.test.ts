import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * Who is king, from validators' dashboard.json served on 127.0.0.1 (the configured URLs may be
 * private in tests; wherever they redirect may not): the majority of those that answer decides,
 * every reading is recorded and shown on /v1/models, hostile dashboards are refused with a reason.
 */
const hotkey = (n: number) => encodeAddress(new Uint8Array(32).fill(n), 42);
const K1 = {
  hotkey: hotkey(3),
  uid: 3,
  model_repo: 'kingmaker/leoma-wan22',
  model_digest: `sha256:${'a1'.repeat(32)}`,
  reign_number: 7,
  crowned_at: '2026-12-01T10:00:00Z',
  crowned_block: 5_000_100,
};
const K2 = {
  hotkey: hotkey(9),
  uid: 9,
  model_repo: 'usurper/leoma-wan22',
  model_digest: `hf:${'b2'.repeat(20)}`,
  reign_number: 8,
  crowned_at: '2026-12-02T10:00:00Z',
  crowned_block: 5_000_900,
};
const CHALLENGER = {
  hotkey: hotkey(11),
  uid: 11,
  model_repo: 'hopeful/leoma-wan22',
  model_digest: `sha256:${'c3'.repeat(32)}`,
  started_at: '2026-12-02T11:00:00Z',
};
const dashboard = (king: object | null, extra: object = {}) =>
  JSON.stringify({
    king,
    king_chain: king ? [king] : [],
    queue: [{ hotkey: hotkey(12) }],
    live_duels: [CHALLENGER],
    updated_at: '2026-12-02T11:00:00Z',
    ...extra,
  });

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const json =
  (body: string): Handler =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
const handlers: Record<string, Handler> = {};
let server: http.Server;
let base: string;
let app: TestApp;

type Reading = {
  source: string;
  url: string | null;
  outcome: string;
  reason: string | null;
  model: string | null;
  model_revision: string | null;
  ambiguous: boolean;
};
type King = {
  model: string;
  model_revision: string;
  source: string;
  ambiguous: boolean;
  miner_uid: number;
  reign_number: number | null;
  crowned_block: number | null;
  live_duels: { model_revision: string }[];
  readings: Reading[];
};

async function king(): Promise<King> {
  const res = await app.request('/v1/models');
  expect(res.status).toBe(200);
  return ((await res.json()) as { king: King }).king;
}

/** Waits for a round that began after the handlers changed and whose readings satisfy `ok`. */
async function nextRound(ok: (k: King) => boolean): Promise<King> {
  const since = Date.now();
  return until(
    'a round of readings',
    async () => {
      const rows = await app.sql<{ fetched_at: Date }>("select fetched_at from king_readings where source = 'consensus' order by id desc limit 1");
      if (!rows[0] || rows[0].fetched_at.getTime() <= since + 50) return null;
      const k = await king();
      return ok(k) ? k : null;
    },
    20_000,
  );
}

const dashReading = (k: King, path: string) => k.readings.find((r) => r.url === `${base}${path}`);

beforeAll(async () => {
  server = http.createServer((req, res) => (handlers[(req.url ?? '').split('?')[0]!] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const p of ['/a.json', '/b.json', '/c.json']) handlers[p] = json(dashboard(K1));
  app = await startTestApp({
    worker: true,
    env: {
      KING_DASHBOARD_URLS: ['/a.json', '/b.json', '/c.json'].map((p) => `${base}${p}?token=secret-in-query`).join(','),
      KING_DASHBOARD_ALLOW_PRIVATE_URLS: 'true',
      KING_REFRESH_INTERVAL_MS: '200',
      KING_DASHBOARD_TIMEOUT_MS: '600',
      KING_DASHBOARD_MAX_BYTES: '65536',
    },
  });
});
afterAll(async () => {
  await app?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe("the king from validators' dashboards", () => {
  it('serves the king the dashboards agree on, and shows every reading on /v1/models', async () => {
    const k = await nextRound((k) => k.source === 'dashboards' && k.readings.length === 4);
    expect(k).toMatchObject({
      model: K1.model_repo,
      model_revision: K1.model_digest,
      miner_uid: 3,
      reign_number: 7,
      crowned_block: K1.crowned_block,
      ambiguous: false,
      live_duels: [{ model_revision: CHALLENGER.model_digest }],
    });
    expect(k.readings.filter((r) => r.source === 'dashboard').map((r) => [r.url, r.outcome, r.model_revision])).toEqual(
      ['/a.json', '/b.json', '/c.json'].map((p) => [`${base}${p}`, 'answered', K1.model_digest]),
    );
    expect(k.readings.find((r) => r.source === 'consensus')).toMatchObject({ outcome: 'agreed', model_revision: K1.model_digest });
    // The query string (where an operator might have put a token) is never shown.
    expect(JSON.stringify(k)).not.toContain('secret-in-query');
    const models = (await (await app.request('/v1/models')).json()) as { data: { model_revision: string; rank: number }[] };
    expect(models.data[0]).toMatchObject({ model_revision: K1.model_digest, rank: 1 });
  });

  it('takes what the majority says when they disagree', async () => {
    handlers['/a.json'] = json(dashboard(K2));
    handlers['/b.json'] = json(dashboard(K2));
    const k = await nextRound((k) => k.model_revision === K2.model_digest);
    expect(k).toMatchObject({ model: K2.model_repo, miner_uid: 9, reign_number: 8, ambiguous: false });
    expect(dashReading(k, '/c.json')).toMatchObject({ outcome: 'answered', model_revision: K1.model_digest });
  });

  it('decides among those that answer when one is down', async () => {
    handlers['/c.json'] = (req) => req.socket.destroy();
    const k = await nextRound((k) => dashReading(k, '/c.json')?.outcome === 'refused');
    expect(dashReading(k, '/c.json')).toMatchObject({ reason: 'unreachable' });
    expect(k).toMatchObject({ model_revision: K2.model_digest, ambiguous: false });
  });

  const hostile: [string, Handler, string][] = [
    ['huge', json(dashboard(K1, { padding: 'x'.repeat(100_000) })), 'too_large'],
    [
      'huge without a length',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"king":null,"pad":"');
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('x'.repeat(8192))), 5);
      },
      'too_large',
    ],
    ['slow', () => undefined, 'timeout'],
    ['wrong shape', json(JSON.stringify({ king: { ...K1, model_digest: 'main' }, king_chain: [], queue: [], live_duels: [] })), 'bad_shape'],
    ['not JSON', json('<html>hello</html>'), 'bad_shape'],
    ['redirecting to loopback', (_req, res) => res.writeHead(302, { location: `${base}/a.json` }).end(), 'private_address'],
    [
      'redirecting to the cloud metadata address',
      (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      'private_address',
    ],
    ['redirecting to a private network', (_req, res) => res.writeHead(307, { location: 'http://10.0.0.7/dashboard.json' }).end(), 'private_address'],
  ];
  for (const [what, handler, reason] of hostile) {
    it(`refuses a hostile dashboard (${what}) with a logged reason, and the others decide`, async () => {
      handlers['/c.json'] = handler;
      const k = await nextRound((k) => dashReading(k, '/c.json')?.reason === reason);
      expect(dashReading(k, '/c.json')).toMatchObject({ outcome: 'refused', model: null });
      expect(k).toMatchObject({ model_revision: K2.model_digest, ambiguous: false });
    });
  }

  it('keeps the last agreed king and says it is ambiguous when the answers have no majority', async () => {
    handlers['/a.json'] = json(dashboard(K1));
    handlers['/c.json'] = (req) => req.socket.destroy();
    const k = await nextRound((k) => k.ambiguous);
    expect(k).toMatchObject({ model_revision: K2.model_digest, source: 'dashboards' });
    expect(k.readings.find((r) => r.source === 'consensus')).toMatchObject({ outcome: 'no_majority', ambiguous: true });
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/^leoma_king_reading_ambiguous 1$/m);
    for (const outcome of ['answered', 'unreachable', 'too_large', 'timeout', 'bad_shape', 'private_address'])
      expect(metrics).toMatch(new RegExp(`^leoma_king_dashboard_readings_total\\{outcome="${outcome}"\\} [1-9]`, 'm'));
  });

  it('records every reading: source, outcome and reason, king and block, fetched at', async () => {
    const rows = await app.sql(
      "select source, url, outcome, reason, block_number, fetched_at from king_readings where source = 'dashboard' and reason = 'private_address'",
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const answered = await app.sql(
      "select king->>'model_digest' as digest, block_number from king_readings where source = 'dashboard' and outcome = 'answered' limit 1",
    );
    expect(answered[0]).toMatchObject({ digest: K1.model_digest, block_number: String(K1.crowned_block) });
  });
});
