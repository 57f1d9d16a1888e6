import { parseModelIdentity, type ModelIdentity } from './model-identity.js';

/** `starting`: fetching, loading or warming its model; it answers predictions with 503 until READY. */
export type BackendHealth = 'ready' | 'busy' | 'starting' | 'down';

/** Download and load progress of a starting backend, as its health answer gives it. */
export interface LoadProgress {
  phase: string;
  bytes_done: number;
  bytes_total: number | null;
  detail: string | null;
}

/** What one health poll learned of a backend. `model` undefined: the server does not report one (a backend from before the contract). */
export interface HealthAnswer {
  status: BackendHealth;
  model?: ModelIdentity | null;
  renderer: string | null;
  progress: LoadProgress | null;
}

// Cog's statuses: READY serves, BUSY will once a slot frees, STARTING once its model is loaded (a
// GPU server's start-up takes minutes: a download, a load, a warm-up); the rest never will.
const COG_STATUSES: Record<string, BackendHealth> = {
  READY: 'ready',
  BUSY: 'busy',
  STARTING: 'starting',
  SETUP_FAILED: 'down',
  DEFUNCT: 'down',
  UNHEALTHY: 'down',
};
const MAX_TEXT = 200;
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : null);
const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);

/**
 * Reads a Cog health answer (`/health-check`, and `/health` of the generate protocol): Cog's status
 * (any other, or none, is `otherStatus`: down for Cog, ready for a 2xx `/health`) and the GPU contract's `model`,
 * `renderer` and `progress`. A `model` that is not `{repo, digest}` throws: a backend that cannot
 * say what it has loaded gets no work.
 */
export function parseHealthAnswer(body: unknown, otherStatus: BackendHealth): HealthAnswer {
  const o = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const status = COG_STATUSES[typeof o.status === 'string' ? o.status : ''] ?? otherStatus;
  const p = o.progress && typeof o.progress === 'object' ? (o.progress as Record<string, unknown>) : null;
  return {
    status,
    ...('model' in o ? { model: parseModelIdentity(o.model, 'health answer') } : {}),
    renderer: text(o.renderer),
    progress:
      p && typeof p.phase === 'string'
        ? { phase: p.phase.slice(0, 32), bytes_done: count(p.bytes_done) ?? 0, bytes_total: count(p.bytes_total), detail: text(p.detail) }
        : null,
  };
}
