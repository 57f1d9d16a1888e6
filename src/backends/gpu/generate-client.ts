import { BackendError } from './backend-error.js';
import { backendFetch, classifyFetchError, readHealthJson, readPrefix, withSlash } from './http.js';
import { writeOutput, type BackendOutput } from './output-file.js';
import { parseHealthAnswer, type HealthAnswer } from './health-answer.js';
import { modelNotLoaded, parseModelIdentity, type ModelIdentity } from './model-identity.js';

/** The body subnet validators send to hosted models: the image as bare base64, the length as frames. */
export interface GenerateBody {
  prompt: string;
  /** Left out when the video has none; the subnet's pipeline then uses its own default. */
  negative_prompt?: string;
  image: string;
  fps: number;
  frames: number;
  resolution: string;
  /** The model the job is for (the GPU contract); absent: whatever the server has loaded. */
  model?: ModelIdentity;
}

/**
 * `POST /generate` answering with the MP4 bytes, streamed to a temp file within `maxBytes`. The
 * request id header must come back unchanged when echoed. A 422 `model_not_loaded` is thrown as
 * ModelNotLoaded; the `Leoma-Model-Repo` / `Leoma-Model-Digest` headers attest the model that made it.
 */
export async function runGenerate(
  baseUrl: string,
  requestId: string,
  body: GenerateBody,
  opts: { timeoutMs: number; maxBytes: number; outputDir?: string; signal?: AbortSignal; headers?: Record<string, string> },
): Promise<BackendOutput> {
  const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  let res: Response;
  try {
    res = await backendFetch(new URL('generate', withSlash(baseUrl)), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...opts.headers },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
  } catch (e) {
    throw classifyFetchError(e);
  }
  if (!res.ok) {
    const text = (await readPrefix(res, 4096)).toString('utf8');
    if (res.status === 409 || res.status === 429) throw new BackendError('backend_busy', `backend is at capacity (${res.status})`);
    if (res.status >= 500 || res.status === 401 || res.status === 403) throw new BackendError('backend_unavailable', `backend answered ${res.status}`);
    throw modelNotLoaded(res.status, text) ?? new BackendError('generation_failed', `backend rejected the input (${res.status}): ${text.slice(0, 200)}`, false);
  }
  const echoed = res.headers.get('x-request-id');
  const type = res.headers.get('content-type') ?? '';
  if ((echoed !== null && echoed !== requestId) || !/^(video\/mp4|application\/octet-stream)\b/.test(type)) {
    await res.body?.cancel();
    if (echoed !== null && echoed !== requestId) throw new BackendError('output_invalid', `backend answered for request '${echoed}', not '${requestId}'`);
    throw new BackendError('output_invalid', `backend answered ${type || 'no content type'}, not video/mp4`);
  }
  const [repo, digest] = [res.headers.get('leoma-model-repo'), res.headers.get('leoma-model-digest')];
  let attested: ModelIdentity | null;
  try {
    attested = repo === null && digest === null ? null : parseModelIdentity({ repo, digest }, 'generate answer');
  } catch (e) {
    await res.body?.cancel();
    throw e;
  }
  return { ...(await writeOutput(opts.outputDir ?? '', opts.maxBytes, (writer) => writer.writeBody(res.body))), attested };
}

/** `GET /health`: any 2xx is ready, unless its JSON (the same as Cog's `/health-check`) says otherwise. */
export async function generateHealth(baseUrl: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<HealthAnswer> {
  // Not followed: a redirect would carry our Authorization header to another host.
  const res = await backendFetch(new URL('health', withSlash(baseUrl)), { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) {
    await res.body?.cancel();
    return { status: 'down', renderer: null, progress: null };
  }
  if (!/^application\/json\b/.test(res.headers.get('content-type') ?? '')) {
    await res.body?.cancel();
    return { status: 'ready', renderer: null, progress: null };
  }
  return parseHealthAnswer(await readHealthJson(res), 'ready');
}
