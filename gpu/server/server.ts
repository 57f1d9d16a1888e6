import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { methodNotAllowed, notFound, readBody, send } from './http-replies.js';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { generateInput, generateReply } from './generate-route.js';
import { Lifecycle, type ServerStatus, type StartProgress } from './lifecycle.js';
import { GpuMetrics } from './metrics.js';
import { modelNotLoaded, sameModel, type ModelRef } from './model-ref.js';
import { PREDICTION_ID, predictionRequest, validationDetails, type PredictionInput } from './prediction-input.js';
import type { Renderer, RendererName, RenderRequest } from './renderer.js';
import { errorMessage, runPrediction, unprocessable, type Reply } from './run-prediction.js';
import { startUp } from './startup.js';
import { testCardRenderer } from './test-card-renderer.js';
import type { WeightSource } from './weight-source.js';

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
   * Test card only.
   */
  renderSize: { width: number; height: number } | null;
}

export interface ReferenceBackendOptions extends Partial<ReferenceBackendBehaviour> {
  host?: string;
  port?: number;
  /** Like Cog's `concurrency.max`; Cog's default is one prediction at a time. */
  maxConcurrency?: number;
  maxBodyBytes?: number;
  /**
   * The model this server serves (`--model repo@digest`): jobs naming another are refused with
   * 422 model_not_loaded and every answer attests it. Null (the default): no model, any job is
   * accepted and answers attest nothing (legacy and sandbox backends).
   */
  loadedModel?: ModelRef | null;
  /** Default: the ffmpeg test card. */
  renderer?: Renderer;
  /** Where the loaded model's snapshot comes from; null for a renderer that needs no weights. */
  weights?: WeightSource | null;
  /** One generation before READY (default: the renderer's own, a tiny one for the test card, the full call for Wan); null skips it. */
  warmUp?: RenderRequest | null;
}

/** What the backend saw, for tests to check what reached it. */
export interface ReferenceBackendStats {
  /** Predictions started (Cog and /generate). */
  started: number;
  /** Most predictions running at once. */
  peakRunning: number;
  /** Requests refused with 409 because the backend was full or busy. */
  refusedBusy: number;
  /** Requests refused with 422 model_not_loaded. */
  refusedModel: number;
  /** Prediction ids a cancel was received for. */
  cancels: string[];
  /** The last prediction's input without its image (Cog and /generate alike): what the model was asked. */
  lastInput: Omit<PredictionInput, 'image'> | null;
  /** The last denoising step a renderer reported (Wan reports each of its 30). */
  lastStep: { id: string; step: number; total: number } | null;
}

/** The health answer (`GET /health-check`, and the same JSON on `GET /health`). */
export interface HealthAnswer {
  status: ServerStatus | 'BUSY';
  setup: ReturnType<Lifecycle['setup']>;
  model: ModelRef | null;
  renderer: RendererName;
  progress: StartProgress;
  cache: { free_bytes: number; used_bytes: number } | null;
}

export interface ReferenceBackend {
  url: string;
  /** Settles when start-up has ended, READY or SETUP_FAILED. */
  ready: Promise<void>;
  configure(patch: Partial<ReferenceBackendBehaviour>): void;
  stats(): ReferenceBackendStats;
  health(): Promise<HealthAnswer>;
  metrics: GpuMetrics;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 30 * 1024 * 1024;
// Enough to answer a cancel that races the prediction's completion, without growing forever.
const REMEMBERED_IDS = 1000;
// The health poll comes every few seconds; measuring a 126 GB cache that often would be waste.
const CACHE_USAGE_TTL_MS = 5_000;

/** The reference backend as tests and dev use it: started and, for the test card, READY on return. */
export async function startReferenceBackend(opts: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const backend = await startGpuServer(opts);
  await backend.ready;
  return backend;
}

/**
 * The GPU backend server: the Cog HTTP prediction protocol and the generate protocol in front of a
 * renderer (the ffmpeg test card, or Wan 2.2 through its Python worker). It listens at once and
 * answers STARTING while it fetches, loads and warms up.
 */
export async function startGpuServer(opts: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const behaviour: ReferenceBackendBehaviour = {
    delayMs: opts.delayMs ?? 0,
    failRate: opts.failRate ?? 0,
    busy: opts.busy ?? false,
    garbage: opts.garbage ?? false,
    renderSize: opts.renderSize ?? null,
  };
  const model = opts.loadedModel ?? null;
  const renderer = opts.renderer ?? testCardRenderer({ renderSize: () => behaviour.renderSize });
  const weights = opts.weights ?? null;
  const maxConcurrency = opts.maxConcurrency ?? 1;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const lifecycle = new Lifecycle();
  const metrics = new GpuMetrics(weights);
  const running = new Map<string, { controller: AbortController; reply: Promise<Reply> }>();
  const finished = new Set<string>();
  const stats: ReferenceBackendStats = { started: 0, peakRunning: 0, refusedBusy: 0, refusedModel: 0, cancels: [], lastInput: null, lastStep: null };
  renderer.onDefunct((defunct, reason) => {
    if (defunct) {
      metrics.workerRestarts.inc();
      lifecycle.defunct(reason);
    } else lifecycle.recovered();
  });

  const isBusy = () => behaviour.busy || running.size >= maxConcurrency;

  let cacheUsage: { at: number; value: Promise<HealthAnswer['cache']> } | null = null;
  function cache(): Promise<HealthAnswer['cache']> {
    if (!weights) return Promise.resolve(null);
    if (!cacheUsage || Date.now() - cacheUsage.at > CACHE_USAGE_TTL_MS) {
      const value = weights.cacheUsage().then(
        (u) => ({ free_bytes: u.freeBytes, used_bytes: u.usedBytes }),
        () => null,
      );
      cacheUsage = { at: Date.now(), value };
    }
    return cacheUsage.value;
  }

  async function health(): Promise<HealthAnswer> {
    const status = lifecycle.status === 'READY' && isBusy() ? 'BUSY' : lifecycle.status;
    return { status, setup: lifecycle.setup(), model, renderer: renderer.name, progress: lifecycle.progress, cache: await cache() };
  }

  async function readJson(req: IncomingMessage): Promise<{ json: unknown } | { reply: Reply }> {
    const raw = await readBody(req, maxBodyBytes);
    if (raw === undefined) return { reply: { status: 413, body: { detail: `request body exceeds ${maxBodyBytes} bytes` } } };
    try {
      return { json: JSON.parse(raw.toString('utf8')) };
    } catch {
      return { reply: unprocessable(['body'], 'request body is not valid JSON', 'json_invalid') };
    }
  }

  /** The refusals that come before any work: another model, a request the renderer cannot do, not serving, full. */
  function refusal(input: PredictionInput): Reply | null {
    if (input.model && !sameModel(input.model, model)) {
      stats.refusedModel++;
      return modelNotLoaded(input.model, model);
    }
    const frames = input.num_frames ?? Math.round(input.duration_seconds * input.fps);
    const refused = renderer.refuse({
      prompt: input.prompt,
      negativePrompt: input.negative_prompt,
      width: input.width,
      height: input.height,
      fps: input.fps,
      frames,
      camera: input.camera,
      seed: input.seed,
    });
    if (refused) return unprocessable(['body', 'input', refused.field], refused.msg, 'value_error');
    const notServing = lifecycle.notServing();
    if (notServing) return { status: 503, body: { detail: `not serving: ${notServing}` }, headers: { 'retry-after': '10' } };
    if (isBusy()) {
      stats.refusedBusy++;
      return { status: 409, body: { detail: 'Already running a prediction' } };
    }
    return null;
  }

  function start(id: string, input: PredictionInput, res: ServerResponse): Promise<Reply> {
    const refused = refusal(input);
    if (refused) return Promise.resolve(refused);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const context = {
      renderer,
      model,
      behaviour,
      onStep: (step: { step: number; total: number }) => (stats.lastStep = { id, ...step }),
      onRendered: (seconds: number, outcome: string) => metrics.generationSeconds.observe({ renderer: renderer.name, outcome }, seconds),
    };
    const reply = runPrediction(id, input, context, controller.signal).finally(() => {
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
    if (path === '/health-check' || path === '/health') return method === 'GET' ? { status: 200, body: await health() } : methodNotAllowed();
    if (path === '/metrics') {
      if (method !== 'GET') return methodNotAllowed();
      return { status: 200, body: Buffer.from(await metrics.registry.metrics()), headers: { 'content-type': metrics.registry.contentType } };
    }
    if (path === '/generate') return method === 'POST' ? generate(req, res) : methodNotAllowed();
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

  const stopStartUp = new AbortController();
  const warmUp = opts.warmUp === undefined ? renderer.warmUp : opts.warmUp;
  const ready = startUp({ model, weights, renderer, warmUp }, lifecycle, metrics, stopStartUp.signal);

  return {
    url: `http://${host}:${address.port}`,
    ready,
    configure: (patch) => Object.assign(behaviour, patch),
    stats: () => ({ ...stats, cancels: [...stats.cancels] }),
    health,
    metrics,
    async close() {
      stopStartUp.abort();
      for (const { controller } of running.values()) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Wait for killed ffmpeg runs to remove their temp dirs before reporting closed.
      await Promise.allSettled([...running.values()].map((r) => r.reply));
      await ready;
      await renderer.close();
      await closed;
    },
  };
}
