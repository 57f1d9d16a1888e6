import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

const HOUR = 3_600_000;

export const webhooksEnv = defineEnv(
  'webhooks',
  {
    /** Dev/test only: webhook URLs may point at loopback/private networks and use plain http. Never in production. */
    WEBHOOK_ALLOW_PRIVATE_URLS: bool(false),
    /**
     * Encrypts webhook signing secrets at rest (they must be recoverable to sign). At least 32
     * characters. Unset: a key is derived from API_KEY_HASH_SECRET (HKDF, separate label), so a
     * deployment has one secret fewer to manage, at the price of rotating both together.
     */
    WEBHOOK_SECRET_KEY: z.string().min(32).optional(),
    WEBHOOK_TIMEOUT_MS: int(10_000, 100, 60_000),
    /** Bytes of a receiver's response we read before hanging up; the body only feeds the log. */
    WEBHOOK_RESPONSE_MAX_BYTES: int(64 * 1024, 1024, 1024 * 1024),
    /** First retry delay; each further retry doubles it (with ±50% jitter) up to the cap. */
    WEBHOOK_RETRY_BASE_MS: int(5_000, 1, HOUR),
    WEBHOOK_RETRY_MAX_DELAY_MS: int(4 * HOUR, 1, 24 * HOUR),
    /** A delivery is retried until this long after it was first scheduled (about a day). */
    WEBHOOK_RETRY_WINDOW_MS: int(26 * HOUR, 1, 7 * 24 * HOUR),
    /** An endpoint with no success for this long is disabled, with the reason shown to the tenant. */
    WEBHOOK_DISABLE_AFTER_MS: int(5 * 24 * HOUR, 1, 30 * 24 * HOUR),
    /**
     * Live (not deleted) endpoints per tenant. It also bounds the delivery rows each event inserts
     * inside the transaction that changes a video's status.
     */
    WEBHOOK_MAX_ENDPOINTS_PER_TENANT: int(16, 1, 1000),
    /** Overlap during which a rotated-out secret still signs, unless the request says otherwise. */
    WEBHOOK_ROTATION_OVERLAP_SECONDS: int(24 * 3600, 0, 7 * 24 * 3600),
    /** How often the outbox relay looks for due deliveries. */
    WEBHOOK_RELAY_INTERVAL_MS: int(1_000, 10, 60_000),
    /** An enqueued delivery with no result after this long is enqueued again (lost job, crashed worker). */
    WEBHOOK_STALE_AFTER_MS: int(5 * 60_000, 1_000, 24 * HOUR),
  },
  { devOnly: ['WEBHOOK_ALLOW_PRIVATE_URLS'], secrets: ['WEBHOOK_SECRET_KEY'] },
);
