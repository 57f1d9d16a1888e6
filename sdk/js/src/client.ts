import createClient, { type Client } from 'openapi-fetch';
import { type Batch, type BatchInput, type BatchWaitOptions, batchBody, waitForBatch } from './batches.js';
import { paginate } from './paginate.js';
import { unwrap } from './problem-error.js';
import { type RetryOptions, retryingFetch } from './retrying-fetch.js';
import type { components, operations, paths } from './schema.js';
import { type Video, type WaitOptions, waitForVideo } from './wait-for-video.js';

type CreateVideo = components['schemas']['CreateVideoDto'];
type ListQuery<Op extends keyof operations> = Omit<NonNullable<operations[Op]['parameters']['query']>, 'starting_after' | 'ending_before'>;

/** `image` as bytes (sent as multipart) or as a URL, data: URI or `file_` id (sent as JSON). */
/** What POST /v1/videos answers when the request asked for variants (`n`). */
export type VideoGroup = components['schemas']['VideoGroupObject'];
export type CreateVideoInput = Omit<CreateVideo, 'image'> & { image?: string | Blob | Uint8Array };

export interface LeomaClientOptions {
  /** e.g. https://api.leoma.ai or http://127.0.0.1:3000 */
  baseUrl: string;
  /** lk_live_…, lk_test_… (or lk_op_… for the admin API). */
  apiKey: string;
  /**
   * The dated API version to speak (`Leoma-Version`). Defaults to API_VERSION, the version this
   * SDK's types describe, so they match what comes back whatever the key is pinned to; `null`
   * sends none, and the key's pinned version answers.
   */
  apiVersion?: string | null;
  retry?: RetryOptions;
  /** Each attempt's limit until its answer's headers arrive; a timed-out attempt is retried. Default 60 s; 0 = none. */
  timeoutMs?: number;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Per call: your own Idempotency-Key (one is made for every POST otherwise). */
export interface CallOptions {
  idempotencyKey?: string;
}

/** The API version this SDK's types were generated for (the spec's newest `Leoma-Version`). */
export const API_VERSION = '2026-12-01';

const multipart = { bodySerializer: (body: unknown) => body as FormData };

/** Form fields for the non-file parts: objects as JSON, the rest as text. */
function formOf(fields: Record<string, unknown>, form = new FormData()): FormData {
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

/**
 * The Leoma API client: the generated, fully typed openapi-fetch client as `api` (every operation,
 * `{ data, error }` results), plus what a hand-written SDK adds — bearer auth, an Idempotency-Key on
 * every POST, retries of 429/5xx and timeouts honouring Retry-After, typed problem errors
 * (LeomaProblemError), `for await` lists, and waiting for videos and batches on their event streams.
 */
export function createLeomaClient(options: LeomaClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const send = retryingFetch(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), options.retry, options.timeoutMs ?? 60_000);
  const auth: Record<string, string> = {
    authorization: `Bearer ${options.apiKey}`,
    ...(options.apiVersion !== null ? { 'leoma-version': options.apiVersion ?? API_VERSION } : {}),
  };
  const api: Client<paths> = createClient<paths>({ baseUrl, fetch: send, headers: auth });
  api.use({
    onRequest({ request }) {
      // The same key on every retry of this call makes a retried create happen once.
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('Idempotency-Key', crypto.randomUUID());
      return request;
    },
  });
  const keyHeader = (call: CallOptions) => (call.idempotencyKey ? { 'Idempotency-Key': call.idempotencyKey } : undefined);
  const stream = (path: string, signal: AbortSignal, lastEventId?: string) =>
    send(
      new Request(`${baseUrl}${path}`, { headers: { ...auth, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal }),
    );

  const postVideo = async (input: CreateVideoInput, call: CallOptions) => {
    const headers = keyHeader(call);
    if (input.image !== undefined && typeof input.image !== 'string') {
      const { image, ...fields } = input;
      const form = formOf(fields);
      form.set('image', image instanceof Blob ? image : new Blob([new Uint8Array(image)]), 'image');
      return unwrap(await api.POST('/v1/videos', { body: form as never, ...multipart, headers }));
    }
    return unwrap(await api.POST('/v1/videos', { body: input as CreateVideo, headers }));
  };

  const videos = {
    /** Queues a video; `image` as bytes goes up as multipart. */
    async create(input: Omit<CreateVideoInput, 'n'>, call: CallOptions = {}): Promise<Video> {
      return (await postVideo(input, call)) as Video;
    },
    /** Queues `n` variants of one request (each its own video and seed, sharing a `group_id`): all of them, or a refusal. */
    async createVariants(input: CreateVideoInput & { n: number }, call: CallOptions = {}): Promise<VideoGroup> {
      return (await postVideo(input, call)) as VideoGroup;
    },
    get: async (id: string): Promise<Video> => unwrap(await api.GET('/v1/videos/{id}', { params: { path: { id } } })),
    cancel: async (id: string): Promise<Video> => unwrap(await api.POST('/v1/videos/{id}/cancel', { params: { path: { id } } })),
    /** Every video (newest first), page by page as the loop goes. */
    list: (query: ListQuery<'listVideos'> = {}) =>
      paginate<Video>(async (starting_after) => unwrap(await api.GET('/v1/videos', { params: { query: { ...query, starting_after } } }))),
    /** Resolves once the video is succeeded, failed or canceled (event stream, polling when streams are unavailable). */
    wait: (id: string, waitOptions?: WaitOptions): Promise<Video> =>
      waitForVideo(
        { get: videos.get, openStream: (videoId, lastEventId, signal) => stream(`/v1/videos/${encodeURIComponent(videoId)}/events`, signal, lastEventId) },
        id,
        waitOptions,
      ),
  };

  const files = {
    /** Uploads an image (a start frame) or, with purpose 'batch', a CSV/JSONL batch input. */
    async upload(bytes: Blob | Uint8Array, filename = 'image', purpose?: 'batch'): Promise<components['schemas']['FileObject']> {
      const form = formOf({ purpose });
      form.set('file', bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), filename);
      return unwrap(await api.POST('/v1/files', { body: form as never, ...multipart })) as components['schemas']['FileObject'];
    },
  };

  const batches = {
    /** Submits a batch from CSV or JSONL (sent as a file part) or a list of items; a bad row refuses it with 422 naming the row. */
    async create(
      input: BatchInput,
      settings: Omit<components['schemas']['CreateBatchDto'], 'items' | 'input_file_id'> = {},
      call: CallOptions = {},
    ): Promise<Batch> {
      const body = batchBody(input);
      const headers = keyHeader(call);
      if (body instanceof FormData) return unwrap(await api.POST('/v1/batches', { body: formOf(settings, body) as never, ...multipart, headers }));
      return unwrap(await api.POST('/v1/batches', { body: { ...settings, ...body }, headers }));
    },
    get: async (id: string): Promise<Batch> => unwrap(await api.GET('/v1/batches/{id}', { params: { path: { id } } })),
    cancel: async (id: string): Promise<Batch> => unwrap(await api.POST('/v1/batches/{id}/cancel', { params: { path: { id } } })),
    list: (query: ListQuery<'listBatches'> = {}) =>
      paginate<Batch>(async (starting_after) => unwrap(await api.GET('/v1/batches', { params: { query: { ...query, starting_after } } }))),
    /** Resolves once the batch is settled; `onProgress` sees its counts change (event stream, polling fallback). */
    wait: (id: string, waitOptions?: BatchWaitOptions): Promise<Batch> =>
      waitForBatch({ get: batches.get, openStream: (batchId, signal) => stream(`/v1/batches/${encodeURIComponent(batchId)}/events`, signal) }, id, waitOptions),
    /** The result manifest: one row per input row, in input order, as JSONL or CSV text. */
    async results(id: string, format: 'jsonl' | 'csv' = 'jsonl'): Promise<string> {
      return unwrap(await api.GET('/v1/batches/{id}/results', { params: { path: { id }, query: { format } }, parseAs: 'text' })) as string;
    },
  };

  return {
    api,
    videos,
    /** Same as videos.wait. */
    waitForVideo: videos.wait,
    files,
    batches,
    me: async () => unwrap(await api.GET('/v1/me')),
    paginate,
  };
}

export type LeomaClient = ReturnType<typeof createLeomaClient>;
