import { z } from 'zod';
import { bool, defineEnv, int } from '../config/define-env.js';

export const databaseEnv = defineEnv('database', {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: int(10, 1, 200),
  DATABASE_SSL: bool(false),
  DATABASE_LOG_QUERIES: bool(false),
});
