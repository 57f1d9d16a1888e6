import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

const urlList = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .url()
          .regex(/^https?:\/\//, 'must be an http(s) URL'),
      )
      .max(16),
  );

/** Who is king: validators' public dashboards, read by the worker. */
export const kingEnv = defineEnv(
  'king',
  {
    /**
     * Comma-separated URLs of validators' public `dashboard.json`. The king is what a majority of
     * those that answer agree on; unset, the king is derived from the chain (see docs/king.md).
     */
    KING_DASHBOARD_URLS: urlList,
    /** How often the worker reads the dashboards. */
    KING_REFRESH_INTERVAL_MS: int(60_000, 100, 3_600_000),
    /** Budget for one dashboard (DNS, connect, redirects, body): a slow one is refused, not waited for. */
    KING_DASHBOARD_TIMEOUT_MS: int(5_000, 100, 60_000),
    /** A dashboard larger than this is refused unread. */
    KING_DASHBOARD_MAX_BYTES: int(1024 * 1024, 1024, 16 * 1024 * 1024),
    /**
     * Dev/test only: the configured dashboard URLs may be plain http on loopback or private networks
     * (tests serve them on 127.0.0.1). Redirects must still go to public addresses.
     */
    KING_DASHBOARD_ALLOW_PRIVATE_URLS: bool(false),
  },
  { devOnly: ['KING_DASHBOARD_ALLOW_PRIVATE_URLS'] },
);
