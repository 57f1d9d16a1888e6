import type { ModerationInput, ModerationProvider, ProviderVerdict } from './moderation-provider.js';

const MAX_RESPONSE_BYTES = 64 * 1024;
const CATEGORY = /^[a-z0-9_./-]{1,64}$/;

/**
 * The HTTP adapter: `POST <url>` with `{"input":{"prompt","negative_prompt"[,"image":{"content_type",
 * "data" (base64)}]}}` and, when a key is
 * configured, `Authorization: Bearer <key>`; the answer is `200 {"flagged": boolean, "category"?:
 * string}`. Anything else is a failure. The URL is operator configuration, so it is called
 * directly, like a GPU backend, and not through the guard for tenants' URLs (which refuses private
 * addresses); redirects are refused so the call cannot be sent elsewhere.
 */
export class HttpModerationProvider implements ModerationProvider {
  constructor(
    private readonly url: string,
    private readonly apiKey: string | undefined,
  ) {}

  async check(input: ModerationInput, signal: AbortSignal): Promise<ProviderVerdict> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
      body: JSON.stringify({
        input: {
          prompt: input.prompt,
          negative_prompt: input.negativePrompt,
          ...(input.image ? { image: { content_type: input.image.contentType, data: input.image.bytes.toString('base64') } } : {}),
        },
      }),
      redirect: 'error',
      signal,
    });
    const text = await readCapped(res);
    if (!res.ok) throw new Error(`moderation provider answered ${res.status}`);
    let body: { flagged?: unknown; category?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error('moderation provider answered with invalid JSON');
    }
    if (typeof body.flagged !== 'boolean') throw new Error('moderation provider answer has no boolean `flagged`');
    if (!body.flagged) return { flagged: false };
    // The category reaches tenants: only a plain identifier is passed on.
    const category = typeof body.category === 'string' && CATEGORY.test(body.category.toLowerCase()) ? body.category.toLowerCase() : 'flagged';
    return { flagged: true, category };
  }
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(`moderation provider answer is over ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
