import { z } from 'zod';
import { bool, defineEnv, int, json } from '../platform/config/define-env.js';
import { DEFAULT_BLOCKLIST } from './default-blocklist.js';

/** Category → terms (matched as whole words, case- and accent-insensitive) and `re:` patterns. */
export const blocklistSchema = z.record(z.string().regex(/^[a-z0-9_./-]{1,64}$/), z.array(z.string().min(1).max(200)).max(500));

/** Operator configuration, trusted: no `user:pass@` (the key goes in MODERATION_PROVIDER_API_KEY, never in a URL that errors quote). */
const providerUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be http(s)')
  .refine((u) => {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, 'must not carry user:pass@ credentials (use MODERATION_PROVIDER_API_KEY)');

export const moderationEnv = defineEnv(
  'moderation',
  {
    /** The platform blocklist; replaces the built-in one (src/moderation/default-blocklist.ts) when set. `{}` turns it off. */
    MODERATION_BLOCKLIST: json(blocklistSchema, JSON.stringify(DEFAULT_BLOCKLIST)),
    /** An external moderation service (see README "Moderation"); unset: blocklist only. */
    MODERATION_PROVIDER_URL: providerUrl.optional(),
    MODERATION_PROVIDER_API_KEY: z.string().min(1).optional(),
    MODERATION_PROVIDER_TIMEOUT_MS: int(2_000, 50, 30_000),
    /** Also send the start image to the provider (a second call, once the image is read and checked, still before anything is stored or charged). */
    MODERATION_PROVIDER_IMAGES: bool(false),
    /** When the provider fails, times out or its breaker is open: `open` lets the request through unchecked by it, `closed` refuses it (503). A tenant's setting overrides. */
    MODERATION_FAIL_MODE: z.enum(['open', 'closed']).default('open'),
    /** Consecutive provider failures that open its breaker (this process stops calling it). */
    MODERATION_BREAKER_THRESHOLD: int(5, 1, 1_000),
    /** How long the breaker stays open before one probe call is let through. */
    MODERATION_BREAKER_OPEN_MS: int(30_000, 100, 3_600_000),
  },
  { secrets: ['MODERATION_PROVIDER_API_KEY'] },
);
