import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';
import { unwrap } from './problem-error.js';
import { retryingFetch, type RetryOptions } from './retrying-fetch.js';
import { waitForVideo as wait, type Video, type WaitOptions } from './wait-for-video.js';

export type { components, operations, paths } from './schema.js';
export { LeomaProblemError, type Problem, type ProblemCode } from './problem-error.js';
export { retryAfterMs, type RetryOptions } from './retrying-fetch.js';
export { TERMINAL_STATUSES, type Video, type WaitOptions } from './wait-for-video.js';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent } from './webhook-signature.js';

export type CreateVideo = components['schemas']['CreateVideoDto'];
/** `image` as bytes (sent as multipart) or as a URL, data: URI or `file_` id (sent as JSON). */
export type CreateVideoInput = Omit<CreateVideo, 'image'> & { image?: string | Blob | Uint8Array };

export interface LeomaClientOptions {
  /** e.g. https://api.leoma.ai or http://127.0.0.1:3000 */
  baseUrl: string;
  /** lk_live_…, lk_test_… (or lk_op_… for the admin API). */
  apiKey: string;
  retry?: RetryOptions;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** One page of any list endpoint. */
interface Page<T> {
  data: T[];
  has_more: boolean;
}

/**
 * `for await (const item of paginate(...))`: every object of a cursor-paginated list, fetching
 * the next page (`starting_after` = the last id) only when the loop gets there.
 */
export async function* paginate<T extends { id: string }>(fetchPage: (startingAfter: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.data;
    if (!page.has_more || page.data.length === 0) return;
    cursor = page.data.at(-1)!.id;
  }
}

/**
 * The Leoma API client: the generated, fully typed openapi-fetch client as `api` (every operation,
 * `{ data, error }` results), plus what a hand-written SDK adds — bearer auth, an Idempotency-Key on
 * every POST, retries of 429/5xx honouring Retry-After, typed problem errors (LeomaProblemError),
 * `for await` lists and waitForVideo.
 */
export function createLeomaClient(options: LeomaClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const send = retryingFetch(options.fetch ?? globalThis.fetch, options.retry);
  const api: Client<paths> = createClient<paths>({ baseUrl, fetch: send, headers: { authorization: `Bearer ${options.apiKey}` } });
  api.use({
    onRequest({ request }) {
      // The same key on every retry of this call makes a retried create happen once.
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('Idempotency-Key', randomUUID());
      return request;
    },
  });

  const videos = {
    /** Queues a video; `image` as bytes goes up as multipart. */
    async create(input: CreateVideoInput, init: { idempotencyKey?: string } = {}): Promise<Video> {
      const headers = init.idempotencyKey ? { 'Idempotency-Key': init.idempotencyKey } : undefined;
      if (input.image !== undefined && typeof input.image !== 'string') {
        const form = new FormData();
        for (const [name, value] of Object.entries(input)) {
          if (name === 'image' || value === undefined) continue;
          form.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
        }
        const image = input.image instanceof Blob ? input.image : new Blob([new Uint8Array(input.image)]);
        form.set('image', image, 'image');
        return unwrap(await api.POST('/v1/videos', { body: form as never, bodySerializer: (body) => body as unknown as FormData, headers }));
      }
      return unwrap(await api.POST('/v1/videos', { body: input as CreateVideo, headers }));
    },
    get: async (id: string): Promise<Video> => unwrap(await api.GET('/v1/videos/{id}', { params: { path: { id } } })),
    cancel: async (id: string): Promise<Video> => unwrap(await api.POST('/v1/videos/{id}/cancel', { params: { path: { id } } })),
    /** Every video (newest first), page by page as the loop goes. */
    list: (query: Omit<NonNullable<operations['listVideos']['parameters']['query']>, 'starting_after' | 'ending_before'> = {}) =>
      paginate<Video>(async (starting_after) => unwrap(await api.GET('/v1/videos', { params: { query: { ...query, starting_after } } }))),
    /** Resolves once the video is succeeded, failed or canceled (SSE, polling when streams are unavailable). */
    wait: (id: string, waitOptions?: WaitOptions): Promise<Video> =>
      wait(
        {
          get: videos.get,
          openStream: (videoId, lastEventId, signal) =>
            send(
              new Request(`${baseUrl}/v1/videos/${encodeURIComponent(videoId)}/events`, {
                headers: { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
                signal,
              }),
            ),
        },
        id,
        waitOptions,
      ),
  };

  return {
    api,
    videos,
    /** Same as videos.wait. */
    waitForVideo: videos.wait,
    files: {
      async upload(bytes: Blob | Uint8Array, filename = 'image'): Promise<components['schemas']['FileObject']> {
        const form = new FormData();
        form.set('file', bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), filename);
        return unwrap(
          await api.POST('/v1/files', { body: form as never, bodySerializer: (body) => body as unknown as FormData }),
        ) as components['schemas']['FileObject'];
      },
    },
    me: async () => unwrap(await api.GET('/v1/me')),
    paginate,
  };
}

export type LeomaClient = ReturnType<typeof createLeomaClient>;
