import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { methodNotAllowed, notFound, readBody, send } from './http-replies.js';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { PREDICTION_ID, predictionRequest, validationDetails, type PredictionInput } from './prediction-input.js';
import { errorMessage, runPrediction, unprocessable, type Reply } from './run-prediction.js';
import { generateInput, generateReply } from './generate-route.js';

/** Fault-injection knobs; they can be changed while the server runs. */
export interface ReferenceBackendBehaviour {
  /** Wait this long before working on each prediction. */
  delayMs: number;
  /** Fraction (0..1) of predictions that fail with 500. */
  failRate: number;
  /** Report BUSY and refuse predictions with 409. */
  busy: boolean;
  /** Answer "succeeded" with bytes that are not a video. */
  garbage: boolean;
  /**
   * Render every video at this size whatever was asked, like a model that ignores the requested
   * size (854×480 where Wan 2.2 makes 832×480); null renders the requested size, as the real model does.
   */
  renderSize: { width: number; height: number } | null;
}

export interface ReferenceBackendOptions extends Partial<ReferenceBackendBehaviour> {
  host?: string;
  port?: number;
  /** Like Cog's `concurrency.max`; Cog's default is one prediction at a time. */
  maxConcurrency?: number;
  maxBodyBytes?: number;
}

/** What the backend saw, for tests to check what reached it. */
export interface ReferenceBackendStats {
  /** Predictions started (Cog and /generate). */
  started: number;
  /** Most predictions running at once. */
  peakRunning: number;
  /** Requests refused with 409 because the backend was full or busy. */
  refusedBusy: number;
  /** Prediction ids a cancel was received for. */
  cancels: string[];
  /** The last prediction's input without its image (Cog and /generate alike): what the model was asked. */
  lastInput: Omit<PredictionInput, 'image'> | null;
}

export interface ReferenceBackend {
  url: string;
  configure(patch: Partial<ReferenceBackendBehaviour>): void;
  stats(): ReferenceBackendStats;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 30 * 1024 * 1024;
// Enough to answer a cancel that races the prediction's completion, without growing forever.
const REMEMBERED_IDS = 1000;

/** A stand-in GPU server speaking the Cog HTTP prediction protocol, rendering real MP4s with ffmpeg. */
export async function startReferenceBackend(opts: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const behaviour: ReferenceBackendBehaviour = {
    delayMs: opts.delayMs ?? 0,
    failRate: opts.failRate ?? 0,
    busy: opts.busy ?? false,
    garbage: opts.garbage ?? false,
    renderSize: opts.renderSize ?? null,
  };
  const maxConcurrency = opts.maxConcurrency ?? 1;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const readyAt = new Date().toISOString();
  const running = new Map<string, { controller: AbortController; reply: Promise<Reply> }>();
  const finished = new Set<string>();

  const stats: ReferenceBackendStats = { started: 0, peakRunning: 0, refusedBusy: 0, cancels: [], lastInput: null };

  const isBusy = () => behaviour.busy || running.size >= maxConcurrency;

  async function readJson(req: IncomingMessage): Promise<{ json: unknown } | { reply: Reply }> {
    const raw = await readBody(req, maxBodyBytes);
    if (raw === undefined) return { reply: { status: 413, body: { detail: `request body exceeds ${maxBodyBytes} bytes` } } };
    try {
      return { json: JSON.parse(raw.toString('utf8')) };
    } catch {
      return { reply: unprocessable(['body'], 'request body is not valid JSON', 'json_invalid') };
    }
  }

  function start(id: string, input: PredictionInput, res: ServerResponse): Promise<Reply> {
    if (isBusy()) {
      stats.refusedBusy++;
      return Promise.resolve({ status: 409, body: { detail: 'Already running a prediction' } });
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const reply = runPrediction(id, input, behaviour, controller.signal).finally(() => {
      running.delete(id);
      finished.add(id);
      if (finished.size > REMEMBERED_IDS) finished.delete(finished.values().next().value as string);
    });
    running.set(id, { controller, reply });
    const { image: _image, ...asked } = input;
    stats.lastInput = asked;
    stats.started++;
    stats.peakRunning = Math.max(stats.peakRunning, running.size);
    return reply;
  }

  async function generate(req: IncomingMessage, res: ServerResponse): Promise<Reply> {
    const body = await readJson(req);
    if ('reply' in body) return body.reply;
    const mapped = generateInput(body.json);
    if ('reply' in mapped) return mapped.reply;
    const header = req.headers['x-request-id'];
    const id = typeof header === 'string' && PREDICTION_ID.test(header) ? header : ulid().toLowerCase();
    if (running.has(id)) return { status: 409, body: { detail: 'Already running a prediction' } };
    return generateReply(await start(id, mapped.input, res), id);
  }

  async function predict(req: IncomingMessage, res: ServerResponse, pathId: string | undefined): Promise<Reply> {
    if (pathId !== undefined && !PREDICTION_ID.test(pathId)) {
      return unprocessable(['path', 'prediction_id'], `must match ${PREDICTION_ID.source}`, 'string_pattern_mismatch');
    }
    const body = await readJson(req);
    if ('reply' in body) return body.reply;
    const parsed = predictionRequest.safeParse(body.json);
    if (!parsed.success) return { status: 422, body: { detail: validationDetails(parsed.error) } };
    if (pathId !== undefined && parsed.data.id !== undefined && parsed.data.id !== pathId) {
      return unprocessable(['body', 'id'], 'prediction ID must match the ID supplied in the URL', 'value_error');
    }
    const id = pathId ?? parsed.data.id ?? ulid().toLowerCase();
    const existing = running.get(id);
    // PUT is idempotent: a retry of a running prediction waits for the same result.
    if (existing && pathId !== undefined) return existing.reply;
    if (existing) return { status: 409, body: { detail: 'Already running a prediction' } };
    return start(id, parsed.data.input, res);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<Reply> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (path === '/health-check') {
      if (method !== 'GET') return methodNotAllowed();
      return {
        status: 200,
        body: { status: isBusy() ? 'BUSY' : 'READY', setup: { started_at: readyAt, completed_at: readyAt, status: 'succeeded', logs: '' } },
      };
    }
    if (path === '/generate') return method === 'POST' ? generate(req, res) : methodNotAllowed();
    if (path === '/health') return method === 'GET' ? { status: 200, body: { status: isBusy() ? 'busy' : 'ok' } } : methodNotAllowed();
    if (path === '/predictions') return method === 'POST' ? predict(req, res, undefined) : methodNotAllowed();
    const cancel = /^\/predictions\/([^/]+)\/cancel$/.exec(path);
    if (cancel) {
      if (method !== 'POST') return methodNotAllowed();
      const id = cancel[1] ?? '';
      stats.cancels.push(id);
      running.get(id)?.controller.abort();
      return running.has(id) || finished.has(id) ? { status: 200, body: {} } : notFound();
    }
    const put = /^\/predictions\/([^/]+)$/.exec(path);
    if (put) return method === 'PUT' ? predict(req, res, put[1] ?? '') : methodNotAllowed();
    return notFound();
  }

  const server = createServer((req, res) => {
    route(req, res)
      .catch((err: unknown): Reply => ({ status: 500, body: { detail: errorMessage(err) } }))
      .then((reply) => send(res, reply));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    configure: (patch) => Object.assign(behaviour, patch),
    stats: () => ({ ...stats, cancels: [...stats.cancels] }),
    async close() {
      for (const { controller } of running.values()) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Wait for killed ffmpeg runs to remove their temp dirs before reporting closed.
      await Promise.allSettled([...running.values()].map((r) => r.reply));
      await closed;
    },
  };
}
