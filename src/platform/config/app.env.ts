import { z } from 'zod';
import { defineEnv, int } from './define-env.js';

export const appEnv = defineEnv(
  'app',
  {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    /** Public base URL used in links (content URLs, docs). */
    PUBLIC_BASE_URL: z.string().url().optional(),
    /** Cap of a JSON body on routes that take no image; image routes derive theirs from IMAGE_MAX_BYTES. */
    JSON_BODY_MAX_BYTES: int(64 * 1024, 1024, 16 * 1024 * 1024),
    /** Bodies of 1 MiB or more (uploads, batches, inline images) one tenant may have in progress on one API process; more answer 429 too_many_large_requests. */
    LARGE_BODIES_IN_FLIGHT_PER_TENANT: int(4, 1, 1_000),
    /** A client must send all request headers within this (slowloris defence). */
    HTTP_HEADERS_TIMEOUT_MS: int(20_000, 1_000, 300_000),
    /** …and the whole request, body included, within this; responses (SSE streams) are not limited by it. */
    HTTP_REQUEST_TIMEOUT_MS: int(120_000, 1_000, 3_600_000),
    /** An idle keep-alive connection is closed after this; keep it above the load balancer's idle timeout. */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000, 1_000, 600_000),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    /** `json` (one object a line, for collectors) or `pretty` (colour, for people; needs the pino-pretty dev dependency); unset: pretty in development, json otherwise. */
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    /** When set, GET /metrics (API and worker health port) asks for `Authorization: Bearer <token>`; unset, it is open (keep it off the public Ingress). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** On SIGTERM the API stops accepting connections and gives in-flight requests this long before it exits. */
    API_DRAIN_MS: int(20_000, 0, 600_000),
    /**
     * Readiness fails (this replica leaves the Service) while the event loop's p99 delay since the
     * previous readiness check is above this: the process is too busy to answer in time. Dependency
     * outages do not fail readiness (every replica would leave at once); see /health/dependencies.
     */
    API_READY_MAX_EVENT_LOOP_DELAY_MS: int(1_000, 10, 60_000),
  },
  { secrets: ['METRICS_TOKEN'] },
);
