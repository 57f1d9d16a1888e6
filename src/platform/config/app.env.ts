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
  /** `json` (one object a line, for collectors) or `pretty` (colour, for people; needs the pino-pretty dev dependency); unset: pretty in development, json otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** When set, GET /metrics (API and worker health port) asks for `Authorization: Bearer <token>`; unset, it is open (keep it off the public Ingress). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** On SIGTERM the API stops accepting connections and gives in-flight requests this long before it exits. */
  API_DRAIN_MS: int(20_000, 0, 600_000),
});
