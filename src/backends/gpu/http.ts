import { createRequire } from 'node:module';
import type { Agent } from 'undici';
import { BackendError } from './backend-error.js';
import { appEnv } from '../../platform/config/app.env.js';
import { backendsEnv } from '../backends.env.js';
import { BackendAddressRefused, checkUrlHost, guardedLookup, parseNetworks, type BackendNetworkPolicy } from './backend-network.js';

/** A health answer is a few bytes of JSON; anything longer is not one. */
export const HEALTH_BODY_MAX_BYTES = 16 * 1024;

export const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/** undici (~5 MB of heap) is loaded by the first backend call, not by every api at start (issue 36). */
let undici: typeof import('undici') | undefined;
const loadUndici = () => (undici ??= createRequire(import.meta.url)('undici') as typeof import('undici'));

let network: { policy: BackendNetworkPolicy; agent: Agent; settings: object } | undefined;

/**
 * The policy and connection pool of every backend call, built from the settings and again only
 * when they are parsed again (tests that change the environment re-read them).
 */
export function backendNetwork(): { policy: BackendNetworkPolicy; agent: Agent } {
  const settings = backendsEnv.get();
  if (network?.settings !== settings) {
    const policy = { networks: parseNetworks(settings.GPU_BACKEND_NETWORKS), allowLoopback: appEnv.get().NODE_ENV !== 'production' };
    void network?.agent.close().catch(() => undefined);
    network = { policy, agent: new (loadUndici().Agent)({ connect: { lookup: guardedLookup(policy) } }), settings };
  }
  return network;
}

/**
 * fetch for everything sent to a GPU backend or fetched from one: only to addresses
 * GPU_BACKEND_NETWORKS allows (a literal IP checked here, a name at connect time, by the
 * connection's own lookup).
 */
export async function backendFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const { policy, agent } = backendNetwork();
  checkUrlHost(new URL(url), policy);
  return (await loadUndici().fetch(url, { ...(init as object), dispatcher: agent })) as unknown as Response;
}

/** The refusal behind a failed fetch: thrown before it (a literal IP) or as the connect error's cause (a name). */
export function addressRefusal(e: unknown): BackendAddressRefused | undefined {
  if (e instanceof BackendAddressRefused) return e;
  const cause = (e as { cause?: unknown })?.cause;
  return cause instanceof BackendAddressRefused ? cause : undefined;
}

export function classifyFetchError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  const refused = addressRefusal(e);
  if (refused) return new BackendError('backend_unavailable', `backend address refused: ${refused.message}`);
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new BackendError('backend_timeout', 'backend did not answer before the deadline');
  return new BackendError('backend_unavailable', `backend unreachable: ${(e as Error)?.message ?? e}`);
}

/** At most the first `maxBytes` of a body (for error messages), then hangs up on the rest. */
export async function readPrefix(res: Response, maxBytes: number): Promise<Buffer> {
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      chunks.push(Buffer.from(value));
      size += value.length;
    }
    await reader.cancel();
  } catch (e) {
    throw classifyFetchError(e);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/** A health answer's JSON, read with a cap. */
export async function readHealthJson(res: Response): Promise<unknown> {
  const raw = await readPrefix(res, HEALTH_BODY_MAX_BYTES + 1);
  if (raw.length > HEALTH_BODY_MAX_BYTES) throw new BackendError('output_invalid', `health answer exceeds ${HEALTH_BODY_MAX_BYTES} bytes`);
  return JSON.parse(raw.toString('utf8')) as unknown;
}
