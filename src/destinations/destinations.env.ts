import { z } from 'zod';
import { defineEnv, int } from '../platform/config/define-env.js';

const HOUR = 3_600_000;

export const destinationsEnv = defineEnv(
  'destinations',
  {
    /**
     * Encrypts destinations' secret access keys at rest. At least 32 characters. Unset: a key is
     * derived from API_KEY_HASH_SECRET under the destinations' own HKDF label.
     */
    DESTINATION_SECRET_KEY: z.string().min(32).optional(),
    /**
     * Hosts (names or literal addresses, comma-separated) a destination's endpoint may use even
     * though they resolve to private addresses, plain http included: an operator's own MinIO on
     * the cluster network, or 127.0.0.1 in tests. Everything else must be https on public addresses.
     */
    DESTINATION_ENDPOINT_ALLOWLIST: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
    /** One request to a customer's store (the test write, each copied file's upload) may take this long. */
    DESTINATION_TIMEOUT_MS: int(60_000, 100, 15 * 60_000),
    /** First retry delay of a failed delivery; each further retry doubles it (±50% jitter) up to the cap. */
    DESTINATION_RETRY_BASE_MS: int(30_000, 1, HOUR),
    DESTINATION_RETRY_MAX_DELAY_MS: int(HOUR, 1, 24 * HOUR),
    /** Attempts before a delivery is `failed` (the customer may redeliver it). */
    DESTINATION_MAX_ATTEMPTS: int(10, 1, 100),
    /** How often the worker looks for due deliveries. */
    DESTINATION_RELAY_INTERVAL_MS: int(1_000, 10, 60_000),
    /** Deliveries one worker copies at once. */
    DESTINATION_CONCURRENCY: int(4, 1, 64),
    /** A claimed delivery with no outcome after this long (a worker died mid-copy) is tried again. */
    DESTINATION_LEASE_MS: int(15 * 60_000, 1_000, 24 * HOUR),
    /** Live (not deleted) destinations per tenant. */
    DESTINATION_MAX_PER_TENANT: int(16, 1, 1000),
  },
  { secrets: ['DESTINATION_SECRET_KEY'] },
);
