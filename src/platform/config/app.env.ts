import { z } from 'zod';
import { defineEnv, int } from './define-env.js';

export const appEnv = defineEnv('app', {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  /** Public base URL used in links (content URLs, docs). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});
