import { BackendError } from './backend-error.js';
import { classifyFetchError, readCapped, withSlash } from './http.js';

export interface PredictionInput {
  image: string;
  prompt: string;
  negative_prompt?: string;
  duration_seconds: number;
  num_frames: number;
  fps: number;
  width: number;
  height: number;
  camera?: string;
  seed?: number;
}

const DATA_URI = /^data:([\w/+.-]+)?(;base64)?,/;

/**
 * Client for the Cog HTTP prediction protocol (replicate/cog docs/http.md), synchronous form of
 * the idempotent create: `PUT /predictions/{id}` answers with the finished prediction and its
 * output inline as a data URI; repeating the PUT for a running id joins the same prediction.
 */
export async function runCogPrediction(
  baseUrl: string,
  id: string,
  input: PredictionInput,
  opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal; headers?: Record<string, string> },
): Promise<Buffer> {
  const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  let res: Response;
  try {
    res = await fetch(new URL(`predictions/${encodeURIComponent(id)}`, withSlash(baseUrl)), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify({ id, input }),
      signal,
      redirect: 'error',
    });
  } catch (e) {
    throw classifyFetchError(e);
  }
  if (res.status === 409) throw new BackendError('backend_busy', 'backend is at capacity (409)');
  const text = (await readCapped(res, Math.ceil(opts.maxBytes * 1.4) + 64 * 1024)).toString('utf8');
  if (res.status >= 500 || res.status === 401 || res.status === 403) throw new BackendError('backend_unavailable', `backend answered ${res.status}`);
  if (!res.ok) throw new BackendError('generation_failed', `backend rejected the input (${res.status}): ${text.slice(0, 200)}`, false);
  let body: { id?: string; status?: string; output?: unknown; error?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new BackendError('output_invalid', 'backend response is not JSON');
  }
  if (body.id !== id) throw new BackendError('output_invalid', `backend answered for prediction '${body.id}', not '${id}'`);
  if (body.status !== 'succeeded') throw new BackendError('backend_unavailable', `prediction ${body.status ?? 'unknown'}: ${body.error ?? 'no error given'}`);
  const output = Array.isArray(body.output) ? body.output[0] : body.output;
  if (typeof output !== 'string' || !DATA_URI.test(output)) throw new BackendError('output_invalid', 'prediction output is not an inline file');
  const comma = output.indexOf(',');
  return Buffer.from(output.slice(comma + 1), output.slice(0, comma).endsWith(';base64') ? 'base64' : 'utf8');
}

export async function cancelCogPrediction(baseUrl: string, id: string, headers: Record<string, string> = {}): Promise<void> {
  await fetch(new URL(`predictions/${encodeURIComponent(id)}/cancel`, withSlash(baseUrl)), { method: 'POST', headers, signal: AbortSignal.timeout(5_000) });
}

export async function cogHealth(baseUrl: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(new URL('health-check', withSlash(baseUrl)), { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { status?: string };
  return body.status ?? 'UNKNOWN';
}
