import { z } from 'zod';
import { defineEnv, int } from './define-env.js';

export const appEnv = defineEnv('app', {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  /** Public base URL used in links (content URLs, docs). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Cap of a JSON body on routes that take no image; image routes derive theirs from IMAGE_MAX_BYTES. */
  JSON_BODY_MAX_BYTES: int(64 * 1024, 1024, 16 * 1024 * 1024),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});
