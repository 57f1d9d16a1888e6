import { BackendError } from './backend-error.js';

export interface PredictionInput {
  image: string;
  prompt: string;
  duration_seconds: number;
  fps: number;
  width: number;
  height: number;
  camera?: string;
  seed?: number;
}

const DATA_URI = /^data:([\w/+.-]+)?(;base64)?,/;

/**
 * Client for the Cog HTTP prediction protocol (replicate/cog docs/http.md), synchronous form:
 * `POST /predictions` answers with the finished prediction and its output inline as a data URI.
 */
export async function runCogPrediction(baseUrl: string, id: string, input: PredictionInput, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<Buffer> {
  const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  let res: Response;
  try {
    res = await fetch(new URL('predictions', withSlash(baseUrl)), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, input }),
      signal,
      redirect: 'error',
    });
  } catch (e) {
    throw classifyFetchError(e);
  }
  if (res.status === 409) throw new BackendError('backend_busy', 'backend is at capacity (409)');
  const text = await readCapped(res, Math.ceil(opts.maxBytes * 1.4) + 64 * 1024).catch((e) => {
    throw classifyFetchError(e);
  });
  if (res.status >= 500) throw new BackendError('backend_unavailable', `backend answered ${res.status}`);
  if (!res.ok) throw new BackendError('generation_failed', `backend rejected the input (${res.status}): ${text.slice(0, 200)}`, false);
  let body: { id?: string; status?: string; output?: unknown; error?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new BackendError('output_invalid', 'backend response is not JSON');
  }
  if (body.id !== undefined && body.id !== id) throw new BackendError('output_invalid', `backend answered for prediction '${body.id}', not '${id}'`);
  if (body.status !== 'succeeded') throw new BackendError('generation_failed', `prediction ${body.status ?? 'unknown'}: ${body.error ?? 'no error given'}`);
  const output = Array.isArray(body.output) ? body.output[0] : body.output;
  if (typeof output !== 'string' || !DATA_URI.test(output)) throw new BackendError('output_invalid', 'prediction output is not an inline file');
  const comma = output.indexOf(',');
  return Buffer.from(output.slice(comma + 1), output.slice(0, comma).endsWith(';base64') ? 'base64' : 'utf8');
}

export async function cogHealth(baseUrl: string, timeoutMs: number): Promise<string> {
  const res = await fetch(new URL('health-check', withSlash(baseUrl)), { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { status?: string };
  return body.status ?? 'UNKNOWN';
}

const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

function classifyFetchError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new BackendError('backend_timeout', 'backend did not answer before the deadline');
  return new BackendError('backend_unavailable', `backend unreachable: ${(e as Error)?.message ?? e}`);
}

async function readCapped(res: Response, maxChars: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxChars) {
      await reader.cancel();
      throw new BackendError('output_invalid', `backend response exceeds ${maxChars} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks).toString('utf8');
}
