import { z } from 'zod';
import { bool, defineEnv, int } from '../config/define-env.js';

export const databaseEnv = defineEnv('database', {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: int(10, 1, 200),
  DATABASE_SSL: bool(false),
  DATABASE_LOG_QUERIES: bool(false),
  /** How long a singleton loop's lease (burn run, retention sweep, rollout reconcile) outlives its holder's last renewal; renewed every third of it. */
  DATABASE_LEASE_TTL_MS: int(30_000, 1_000, 600_000),
  /** `npm run migrate`: how long a migration's statement may wait for a lock before the migration fails (retry the deploy). */
  MIGRATION_LOCK_TIMEOUT_MS: int(5_000, 100, 600_000),
  /** `npm run migrate`: how long one migration statement may run; raise it for a CONCURRENTLY index on a large table. */
  MIGRATION_STATEMENT_TIMEOUT_MS: int(600_000, 1_000, 86_400_000),
});
