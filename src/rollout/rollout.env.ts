import { z } from 'zod';
import { defineEnv, int } from '../platform/config/define-env.js';

export const rolloutEnv = defineEnv(
  'rollout',
  {
    /** Who makes GPU backends for a digest: `manual` tells operators (webhook, admin listing), `kubernetes` makes Deployments. */
    ROLLOUT_ACTUATOR: z.enum(['manual', 'kubernetes']).default('manual'),
    /** N: backends READY and reporting the new king's digest before it takes over "winner" videos. */
    ROLLOUT_MIN_READY_BACKENDS: int(1, 1, 1000),
    /** Backends asked of the actuator per served digest. */
    ROLLOUT_REPLICAS: int(1, 1, 1000),
    /** K: earlier kings kept loaded (not retired) for rollback and pins. */
    ROLLOUT_RETAIN_KINGS: int(1, 0, 20),
    /** How often the reconcile loop runs (one replica at a time holds its lock); 0: not in this process. */
    ROLLOUT_RECONCILE_INTERVAL_MS: int(5_000, 0, 3_600_000),
    /** A draining model is retired once its in-flight videos end, or at the latest after this long. */
    ROLLOUT_DRAIN_DEADLINE_MS: int(1_800_000, 0, 24 * 3_600_000),
    /** A digest that has not reached `ready` this long after it was asked for is `failed` (a 126 GB download at 1 Gbit/s takes ~17 min). */
    ROLLOUT_STEP_TIMEOUT_MS: int(7_200_000, 1_000, 7 * 24 * 3_600_000),
    /** First wait before a failed digest is asked for again; doubles per failure up to ROLLOUT_RETRY_MAX_MS. */
    ROLLOUT_RETRY_BASE_MS: int(60_000, 100, 24 * 3_600_000),
    ROLLOUT_RETRY_MAX_MS: int(3_600_000, 100, 7 * 24 * 3_600_000),
    /** Where operator notices (what to deploy, what to remove) are POSTed, signed as Standard Webhooks; unset: the admin listing only. */
    OPERATOR_WEBHOOK_URL: z.string().url().optional(),
    /** `whsec_…` secret signing operator notices. */
    OPERATOR_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'must be a whsec_ secret (base64 of at least 18 bytes)')
      .optional(),
  },
  { secrets: ['OPERATOR_WEBHOOK_SECRET'] },
);
