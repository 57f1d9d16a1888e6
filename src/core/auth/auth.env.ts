import { z } from 'zod';
import { defineEnv, int } from '../../platform/config/define-env.js';
import { isWellFormedKey } from './api-key-format.js';

export const authEnv = defineEnv(
  'auth',
  {
    /** Server-side secret for the keyed hash of API keys; rotating it invalidates every key. */
    API_KEY_HASH_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** Operator credential accepted from the environment so a fresh install can provision its first tenant. */
    BOOTSTRAP_OPERATOR_KEY: z
      .string()
      .refine((k) => isWellFormedKey(k) && k.startsWith('lk_op_'), 'must be a well-formed lk_op_ key (run `node dist/scripts/new-key.js op`)')
      .optional(),
    /** Failed authentications one client address may make per minute before its requests get 429 (per address, across replicas). */
    AUTH_FAILURES_PER_MINUTE: int(60, 1, 1_000_000),
    /**
     * How long an API process trusts its last reading of an address's failure count before asking
     * Redis again: the bound on how late it sees failures counted by other replicas. Its own
     * failures update its reading at once. 0 reads Redis on every request.
     */
    AUTH_FAILURE_CACHE_MS: int(1_000, 0, 60_000),
  },
  { secrets: ['API_KEY_HASH_SECRET', 'BOOTSTRAP_OPERATOR_KEY'] },
);
