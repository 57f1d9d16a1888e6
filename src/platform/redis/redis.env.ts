import { z } from 'zod';
import { bool, defineEnv } from '../config/define-env.js';

const sentinelAddress = /^[^\s,:]+:\d{1,5}$/;

export const redisEnv = defineEnv(
  'redis',
  {
    /**
     * The one Redis: BullMQ queues, limits, the key cache's invalidations and the backends' shared state.
     * With REDIS_SENTINELS set, only its credentials, database number and scheme (`rediss:` for TLS
     * to the master) are used: the master's address comes from Sentinel.
     */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    /** Namespaces every key (BullMQ's and ours); tests give each file its own so suites can run in parallel. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:_-]+$/)
      .default('leoma'),
    /**
     * Redis Sentinel, comma-separated `host:port` (e.g. `sentinel-0:26379,sentinel-1:26379`): every
     * connection (API, worker, BullMQ) asks them for the current master and follows a failover.
     * Unset: REDIS_URL names the server itself.
     */
    REDIS_SENTINELS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const list = (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const s of list) if (!sentinelAddress.test(s)) ctx.addIssue({ code: 'custom', message: `"${s}" is not host:port` });
        if (list.length === 0) return undefined;
        return list.map((s) => ({ host: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) }));
      }),
    /** The master set's name as the sentinels know it (`sentinel monitor <name> …`). */
    REDIS_SENTINEL_MASTER: z.string().min(1).default('mymaster'),
    /** ACL user on the sentinels themselves (their `requirepass`/ACL), not the master's: the master's credentials are in REDIS_URL. */
    REDIS_SENTINEL_USERNAME: z.string().optional(),
    REDIS_SENTINEL_PASSWORD: z.string().optional(),
    /** Talk TLS to the sentinels (TLS to the master follows REDIS_URL's `rediss:`). */
    REDIS_SENTINEL_TLS: bool(false),
    /** PEM file of the CA that signed the Redis (and Sentinel) server certificates, for a private CA; unset trusts Node's default CAs. */
    REDIS_TLS_CA_FILE: z.string().optional(),
    /**
     * PEM files of this client's certificate and its key, for a Redis (and sentinels) that ask for
     * one (`tls-auth-clients yes`, Redis' default with TLS); set both or neither.
     */
    REDIS_TLS_CERT_FILE: z.string().optional(),
    REDIS_TLS_KEY_FILE: z.string().optional(),
  },
  { secrets: ['REDIS_SENTINEL_PASSWORD'] },
);
