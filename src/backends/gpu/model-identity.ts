import { BackendError } from './backend-error.js';

/** A model as the GPU contract names it: repository and immutable snapshot digest. */
export interface ModelIdentity {
  repo: string;
  digest: string;
}

// The two snapshot schemes of the subnet: an OCI (Hippius) manifest digest, a Hugging Face commit.
const DIGEST = /^(sha256:[0-9a-f]{64}|hf:[0-9a-f]{40})$/;
const MAX_REPO_CHARS = 300;

/** A revision that is a snapshot digest; a branch or tag ("main") names no fixed weights, so it is not one. */
export const isDigest = (revision: string | null | undefined): revision is string => typeof revision === 'string' && DIGEST.test(revision);

/**
 * A model a backend reported (answer, health, refusal): `{repo, digest}`, or null for "no model".
 * Anything else is a malformed answer, not a model: thrown, so a backend cannot attest junk.
 */
export function parseModelIdentity(value: unknown, where: string): ModelIdentity | null {
  if (value === null || value === undefined) return null;
  const o = value as Record<string, unknown>;
  if (
    typeof o !== 'object' ||
    Array.isArray(o) ||
    typeof o.repo !== 'string' ||
    typeof o.digest !== 'string' ||
    o.repo.length === 0 ||
    o.repo.length > MAX_REPO_CHARS ||
    !isDigest(o.digest)
  ) {
    throw new BackendError('output_invalid', `${where}: model is not {repo, digest} with a sha256:/hf: digest`);
  }
  return { repo: o.repo, digest: o.digest };
}

/**
 * A 422 answer by which a backend says it has not loaded the model the job names (the GPU
 * contract's `model_not_loaded`): not a failure of the video nor of the backend, the next
 * backend is tried.
 */
export class ModelNotLoaded extends Error {
  constructor(
    readonly loaded: ModelIdentity | null,
    message: string,
  ) {
    super(message);
  }
}

/** A 422 body of the contract's shape with `type: model_not_loaded`, or null for any other answer. */
export function modelNotLoaded(status: number, body: string): ModelNotLoaded | null {
  if (status !== 422) return null;
  let json: { detail?: unknown; loaded?: unknown };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    return null;
  }
  const refusal = Array.isArray(json?.detail) ? (json.detail as { type?: unknown; msg?: unknown }[]).find((d) => d?.type === 'model_not_loaded') : undefined;
  if (!refusal) return null;
  let loaded: ModelIdentity | null = null;
  try {
    loaded = parseModelIdentity(json.loaded, 'model_not_loaded');
  } catch {
    // What it has loaded is information only; the refusal stands without it.
  }
  const msg = typeof refusal.msg === 'string' ? refusal.msg.slice(0, 200) : 'model not loaded';
  return new ModelNotLoaded(loaded, `model not loaded: ${msg}`);
}
