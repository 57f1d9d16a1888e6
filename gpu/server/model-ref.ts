import { z } from 'zod';
import type { Reply } from './run-prediction.js';
import type { ModelRef } from '../weights/index.js';

// One definition of a model by digest, the fetcher's: the server parses and checks it here.
export type { ModelRef } from '../weights/index.js';

// Other keys are dropped, not refused: a newer API may say more about the model than this server reads.
export const modelRef = z.object({
  repo: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must be a repository name such as owner/name'),
  digest: z.string().regex(/^(hf:[0-9a-f]{40}|sha256:[0-9a-f]{64})$/, 'must be hf:<40 hex> or sha256:<64 hex>'),
});

/** Parses `repo@digest` (the --model flag); throws with the reason when malformed. */
export function parseModelArg(raw: string): ModelRef {
  const at = raw.lastIndexOf('@');
  const parsed = modelRef.safeParse({ repo: raw.slice(0, at), digest: raw.slice(at + 1) });
  if (at < 1 || !parsed.success) {
    throw new Error(
      `--model must be <repo>@<hf:40 hex | sha256:64 hex>, got "${raw}"${parsed.success ? '' : `: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`}`,
    );
  }
  return parsed.data;
}

export function sameModel(a: ModelRef | null, b: ModelRef | null): boolean {
  return a !== null && b !== null && a.repo === b.repo && a.digest === b.digest;
}

/**
 * The contract's refusal of a job meant for another model: a Cog-style 422 whose detail type the
 * dispatcher reads as "try the next backend", with what is loaded so the API can tell why.
 */
export function modelNotLoaded(asked: ModelRef, loaded: ModelRef | null): Reply {
  const msg = loaded
    ? `this backend serves ${loaded.repo}@${loaded.digest}, not ${asked.repo}@${asked.digest}`
    : `this backend has no model loaded; asked for ${asked.repo}@${asked.digest}`;
  return { status: 422, body: { detail: [{ loc: ['body', 'input', 'model'], msg, type: 'model_not_loaded' }], loaded } };
}

/** The generate protocol's attestation headers; none when no model is loaded. */
export function modelHeaders(model: ModelRef | null): Record<string, string> {
  return model ? { 'leoma-model-repo': model.repo, 'leoma-model-digest': model.digest } : {};
}
