import { z } from 'zod';
import { defineEnv, int, json } from '../platform/config/define-env.js';
import { BACKEND_PROTOCOLS } from './gpu-backend.entity.js';
import { parseNetworks } from './gpu/backend-network.js';

/** No `user:pass@`: the admin API returns backend URLs and fetch's errors quote them (use auth_header). */
const backendUrl = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, 'must not carry user:pass@ credentials (use auth_header)');

const configBackend = z.object({
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  url: backendUrl,
  protocol: z.enum(BACKEND_PROTOCOLS).default('cog'),
  /**
   * Omitted: a model-less backend (a reference backend, or a server started for whatever the
   * ranking names): it is sent every ranked model's jobs, naming the model only when its health
   * says one is loaded, and may answer without attesting a digest (the video's provenance then
   * says it is unattested).
   */
  model: z.string().min(1).optional(),
  model_revision: z.string().min(1).nullable().default(null),
  max_concurrency: z.number().int().min(1).max(1024).default(1),
  auth_header: z.string().nullable().default(null),
});
export type ConfigBackend = z.infer<typeof configBackend>;

export const backendsEnv = defineEnv('backends', {
  /** Backends from configuration, beside the ones operators register through the admin API. */
  GPU_BACKENDS: json(
    z.array(configBackend).refine((list) => new Set(list.map((b) => b.id)).size === list.length, 'backend ids must be unique'),
    '[]',
  ),
  /**
   * The sandbox pool: the only backends test-mode (`lk_test_`) videos run on, e.g. a reference
   * backend; live videos never use them. Unset outside production, test videos share the pool
   * above (there it is reference backends anyway); unset in production, test videos fail with
   * `no_backend_available` rather than take a production GPU.
   */
  SANDBOX_GPU_BACKENDS: json(
    z.array(configBackend).refine((list) => new Set(list.map((b) => b.id)).size === list.length, 'backend ids must be unique'),
    '[]',
  ),
  /** Shorthand for one model-less config backend (id `cfg_default`, Cog protocol): it serves whatever is ranked. */
  GPU_BACKEND_URL: backendUrl.optional(),
  GPU_BACKEND_MAX_CONCURRENCY: int(1, 1, 1024),
  /** Deadline of one call to one backend. */
  GPU_BACKEND_TIMEOUT_MS: int(300_000, 1_000, 3_600_000),
  /**
   * Where backend outputs are streamed while they are checked and uploaded (one temp directory
   * per call, always removed). Empty: the OS temp directory. The cap is the videos module's OUTPUT_MAX_BYTES.
   */
  GPU_OUTPUT_TMP_DIR: z.string().default(''),
  /** Backend calls per job run, across backends and models. */
  DISPATCH_MAX_ATTEMPTS: int(4, 1, 20),
  /** Total time one job may spend finding a backend and generating. */
  DISPATCH_DEADLINE_MS: int(900_000, 1_000, 24 * 3_600_000),
  /**
   * How long a job keeps asking a backend that answers 409 busy (fuller than its max_concurrency
   * says) before it skips it like a failed one; 0 skips it at once.
   */
  DISPATCH_BUSY_WAIT_MS: int(30_000, 0, 3_600_000),
  /** How often a job waiting for a free slot looks again. */
  DISPATCH_CAPACITY_POLL_MS: int(100, 10, 10_000),
  /** How often a running job checks whether its video was canceled. */
  CANCEL_POLL_MS: int(1_000, 50, 60_000),
  /** A concurrency slot held by a worker that died frees itself after this long. */
  SLOT_LEASE_MS: int(60_000, 1_000, 3_600_000),
  BREAKER_FAILURE_THRESHOLD: int(3, 1, 100),
  BREAKER_OPEN_MS: int(30_000, 100, 3_600_000),
  /**
   * Non-public networks GPU backends may be in (comma-separated CIDRs), e.g. the cluster's pod and
   * service ranges. Backend URLs, and the output URLs backends answer with, must resolve to public
   * addresses or into these; link-local (cloud metadata) is refused whatever is listed, and
   * loopback is allowed only outside production. Checked when an operator registers a backend and
   * again at every connection.
   */
  GPU_BACKEND_NETWORKS: z
    .string()
    .default('10.0.0.0/8,172.16.0.0/12,192.168.0.0/16')
    .refine((v) => {
      try {
        parseNetworks(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be a comma-separated list of CIDRs, e.g. 10.0.0.0/8,fd12:3456::/48'),
  /** 0 turns the scheduled health checks off. */
  BACKEND_HEALTH_INTERVAL_MS: int(15_000, 0, 3_600_000),
});
