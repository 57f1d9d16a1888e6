import { BackendError } from './backend-error.js';
import { addressRefusal, backendFetch, classifyFetchError, readHealthJson, readPrefix, withSlash } from './http.js';
import { CogAnswerScanner, OutputStringSink } from './cog-answer-scanner.js';
import { writeOutput, type BackendOutput, type OutputWriter } from './output-file.js';
import { parseHealthAnswer, type HealthAnswer } from './health-answer.js';
import { modelNotLoaded, parseModelIdentity, type ModelIdentity } from './model-identity.js';

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
  /** The model the job is for (the GPU contract); absent: whatever the server has loaded. */
  model?: ModelIdentity;
}

export interface CogCallOptions {
  timeoutMs: number;
  /** Cap of the decoded output; past it the output is invalid. */
  maxBytes: number;
  /** Where the output's temp file goes; empty: the OS temp directory. */
  outputDir?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Client for the Cog HTTP prediction protocol (replicate/cog docs/http.md), synchronous form of
 * the idempotent create: `PUT /predictions/{id}` answers with the finished prediction and its
 * output inline as a data URI (or as a URL, when the server uploads outputs); repeating the PUT
 * for a running id joins the same prediction. The output is streamed to a temp file. A 422
 * `model_not_loaded` (the server has another model) is thrown as ModelNotLoaded; the answer's
 * top-level `model` is the model the server attests rendered it.
 */
export async function runCogPrediction(baseUrl: string, id: string, input: PredictionInput, opts: CogCallOptions): Promise<BackendOutput> {
  const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  let res: Response;
  try {
    res = await backendFetch(new URL(`predictions/${encodeURIComponent(id)}`, withSlash(baseUrl)), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify({ id, input }),
      signal,
      redirect: 'error',
    });
  } catch (e) {
    throw classifyFetchError(e);
  }
  if (res.status === 409) {
    await res.body?.cancel();
    throw new BackendError('backend_busy', 'backend is at capacity (409)');
  }
  if (res.status >= 500 || res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new BackendError('backend_unavailable', `backend answered ${res.status}`);
  }
  if (!res.ok) {
    const text = (await readPrefix(res, 4096)).toString('utf8');
    throw modelNotLoaded(res.status, text) ?? new BackendError('generation_failed', `backend rejected the input (${res.status}): ${text.slice(0, 200)}`, false);
  }
  let attested: ModelIdentity | null = null;
  const output = await writeOutput(opts.outputDir ?? '', opts.maxBytes, async (writer) => {
    const sink = new OutputStringSink(writer, opts.maxBytes);
    const answer = await scanAnswer(res, new CogAnswerScanner(sink));
    if (answer.id !== id) throw new BackendError('output_invalid', `backend answered for prediction '${answer.id}', not '${id}'`);
    if (answer.status !== 'succeeded')
      throw new BackendError('backend_unavailable', `prediction ${answer.status ?? 'unknown'}: ${answer.error ?? 'no error given'}`);
    attested = parseModelIdentity(answer.model, 'prediction answer');
    const file = await sink.result();
    if (file.kind === 'none') throw new BackendError('output_invalid', 'prediction output is not an inline file or a URL');
    if (file.kind === 'url') await download(file.url, baseUrl, writer, signal, opts.headers);
  });
  return { ...output, attested };
}

async function scanAnswer(res: Response, scanner: CogAnswerScanner): Promise<{ id?: string; status?: string; error?: string; model?: unknown }> {
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await scanner.push(decoder.decode(value, { stream: true }));
    }
    await scanner.push(decoder.decode());
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof SyntaxError) throw new BackendError('output_invalid', 'backend response is not JSON');
    throw classifyFetchError(e);
  }
  try {
    return JSON.parse(scanner.rest()) as { id?: string; status?: string; error?: string; model?: unknown };
  } catch {
    throw new BackendError('output_invalid', 'backend response is not JSON');
  }
}

/** An output the server uploaded: fetched into the same capped file, with the call's deadline. */
async function download(url: string, baseUrl: string, writer: OutputWriter, signal: AbortSignal, headers: Record<string, string> = {}): Promise<void> {
  let res: Response;
  try {
    // The backend's credentials go only to the backend's own origin.
    res = await backendFetch(url, { signal, redirect: 'error', headers: new URL(url).origin === new URL(baseUrl).origin ? headers : {} });
  } catch (e) {
    // The backend answered, but with a URL we will not fetch: its answer is what is wrong.
    const refused = addressRefusal(e);
    if (refused) throw new BackendError('output_invalid', `prediction output URL refused: ${refused.message}`);
    throw classifyFetchError(e);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new BackendError('output_invalid', `prediction output could not be downloaded (${res.status})`);
  }
  await writer.writeBody(res.body);
}

export async function cancelCogPrediction(baseUrl: string, id: string, headers: Record<string, string> = {}): Promise<void> {
  await backendFetch(new URL(`predictions/${encodeURIComponent(id)}/cancel`, withSlash(baseUrl)), {
    method: 'POST',
    headers,
    signal: AbortSignal.timeout(5_000),
  });
}

export async function cogHealth(baseUrl: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<HealthAnswer> {
  // A redirect is not an answer (following it would send our Authorization header elsewhere), and
  // the body is read with a cap: a health check must not be a way to fill the worker's memory.
  const res = await backendFetch(new URL('health-check', withSlash(baseUrl)), { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) {
    await res.body?.cancel();
    return { status: 'down', renderer: null, progress: null };
  }
  return parseHealthAnswer(await readHealthJson(res), 'down');
}
