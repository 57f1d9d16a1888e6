import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp, createVideo } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';

const CAP = 1024 * 1024;
const FIRST_PART = 512 * 1024;
const TOTAL = 3 * CAP;

/** A backend whose answer is larger than the cap: it sends a first part, waits for the test, then the rest. */
interface OversizedBackend {
  url: string;
  /** Lets the held answers go on. */
  release(): void;
  /** Answers started. */
  answers: number;
  close(): Promise<void>;
}

async function oversizedBackend(protocol: 'generate' | 'cog'): Promise<OversizedBackend> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const state = { answers: 0 };
  const chunk = Buffer.alloc(64 * 1024, 7);
  // base64 of 3 bytes is 4 characters: 48 KiB of bytes per 64 KiB of characters, no padding mid-stream.
  const b64 = Buffer.alloc(48 * 1024, 7).toString('base64');
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', async () => {
      state.answers++;
      let closed = false;
      res.on('close', () => (closed = true));
      const send = async (bytes: number) => {
        for (let sent = 0; sent < bytes && !closed; sent += protocol === 'cog' ? 48 * 1024 : chunk.length) {
          if (!res.write(protocol === 'cog' ? b64 : chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
      };
      if (protocol === 'cog') {
        const id = decodeURIComponent(req.url!.split('/').pop()!);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"id":${JSON.stringify(id)},"status":"succeeded","logs":"","output":"data:video/mp4;base64,`);
      } else {
        res.writeHead(200, { 'content-type': 'video/mp4', 'x-request-id': String(req.headers['x-request-id']) });
      }
      await send(FIRST_PART);
      await gate;
      await send(TOTAL - FIRST_PART);
      if (!closed) res.end(protocol === 'cog' ? '"}' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release,
    get answers() {
      return state.answers;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Temp files under the output directory, with their sizes. */
async function outputFiles(dir: string): Promise<number[]> {
  const sizes: number[] = [];
  for (const sub of await readdir(dir)) {
    for (const f of await readdir(join(dir, sub)).catch(() => [])) sizes.push((await stat(join(dir, sub, f)).catch(() => ({ size: 0 }))).size);
  }
  return sizes;
}

async function waitForOutputFile(dir: string, minBytes: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const big = (await outputFiles(dir)).find((s) => s >= minBytes);
    if (big !== undefined) return big;
    if (Date.now() > deadline) throw new Error(`no output file of ${minBytes} bytes in ${dir}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const RANKING = [
  { model: 'acme/big-mp4', model_revision: 'v1', miner_hotkey: '5Fbig', miner_uid: 1 },
  { model: 'acme/big-cog', model_revision: 'v1', miner_hotkey: '5Fcog', miner_uid: 2 },
  { model: 'acme/fine', model_revision: 'v1', miner_hotkey: '5Ffine', miner_uid: 3 },
];

let app: TestApp;
let key: string;
let outDir: string;
let bigMp4: OversizedBackend;
let bigCog: OversizedBackend;
let fine: ReferenceBackend;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  [outDir, bigMp4, bigCog, fine] = await Promise.all([
    mkdtemp(join(tmpdir(), 'leoma-test-out-')),
    oversizedBackend('generate'),
    oversizedBackend('cog'),
    startReferenceBackend({ maxConcurrency: 4 }),
  ]);
  app = await startTestApp({
    worker: true,
    // Keeps the harness off GPU_BACKEND_URL; GPU_BACKENDS below replaces its backend list.
    backends: [{ model: 'acme/unused' }],
    env: {
      GPU_BACKENDS: JSON.stringify([
        { id: 'big_mp4', url: bigMp4.url, protocol: 'generate', model: 'acme/big-mp4', max_concurrency: 4 },
        { id: 'big_cog', url: bigCog.url, protocol: 'cog', model: 'acme/big-cog', max_concurrency: 4 },
        { id: 'fine', url: fine.url, model: 'acme/fine', max_concurrency: 4 },
      ]),
      MODEL_RANKING: JSON.stringify(RANKING),
      OUTPUT_MAX_BYTES: String(CAP),
      GPU_OUTPUT_TMP_DIR: outDir,
      BACKEND_HEALTH_INTERVAL_MS: '0',
      BREAKER_FAILURE_THRESHOLD: '20',
    },
  });
  ({ key } = await app.tenant());
});
afterAll(async () => {
  await app?.close();
  await Promise.all([bigMp4?.close(), bigCog?.close(), fine?.close()]);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('backend outputs are streamed to disk within OUTPUT_MAX_BYTES', () => {
  it('writes each answer to a temp file as it arrives, drops it past the cap, and fails over to a backend within it', async () => {
    const id = await createVideo(app, key, image);

    // Both oversized answers are on disk while they stream (not gathered in memory), one after the other.
    expect(await waitForOutputFile(outDir, FIRST_PART)).toBeLessThanOrEqual(CAP);
    bigMp4.release();
    expect(await waitForOutputFile(outDir, FIRST_PART)).toBeLessThanOrEqual(CAP);
    bigCog.release();

    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', provenance: { model: 'acme/fine', backend_id: 'fine' } });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('fails the video as output_invalid when every backend is over the cap or invalid, leaving no temp file', async () => {
    fine.configure({ garbage: true });
    try {
      const id = await createVideo(app, key, image);
      const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'output_invalid' } });
    } finally {
      fine.configure({ garbage: false });
    }
    expect([bigMp4.answers, bigCog.answers]).toEqual([2, 2]);
    expect(await readdir(outDir)).toEqual([]);
  });
});
