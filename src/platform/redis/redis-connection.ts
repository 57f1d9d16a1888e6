import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { redisEnv } from './redis.env.js';

/** ioredis options from REDIS_URL alone (one server, no Sentinel); tests open side connections with it. */
export function connectionFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers must block on Redis indefinitely; the API only enqueues, where failing fast is better.
    maxRetriesPerRequest: null,
  };
}

/**
 * ioredis options for this deployment's Redis; BullMQ and the command connection (redis.client.ts)
 * both start here, so every connection follows the same server or the same Sentinel master set.
 */
export function redisConnection(env: ReturnType<typeof redisEnv.get> = redisEnv.get()): RedisOptions & { maxRetriesPerRequest: null } {
  const base = connectionFromUrl(env.REDIS_URL);
  const files = tlsFiles(env);
  const tls = base.tls && files;
  if (!env.REDIS_SENTINELS) return { ...base, tls };
  const { host: _host, port: _port, ...master } = base;
  return {
    ...master,
    tls,
    sentinels: env.REDIS_SENTINELS,
    name: env.REDIS_SENTINEL_MASTER,
    sentinelUsername: env.REDIS_SENTINEL_USERNAME,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    sentinelTLS: env.REDIS_SENTINEL_TLS ? files : undefined,
    // Without it ioredis speaks plain TCP to the master Sentinel names even when REDIS_URL says rediss:.
    enableTLSForSentinelMode: Boolean(tls),
    // A master demoted under us answers writes with READONLY: reconnect (through Sentinel) and resend.
    // (ioredis's `failoverDetector` is left off: when Sentinel announces the switch while a
    // reconnect is resolving the master, it ends the connection for good — "Connection is closed"
    // on every command until the process restarts, seen in the failover test.)
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}

/** The TLS options the settings' PEM files make (a private CA, a client certificate); every file is read at startup. */
export function tlsFiles(env: ReturnType<typeof redisEnv.get>): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if (Boolean(env.REDIS_TLS_CERT_FILE) !== Boolean(env.REDIS_TLS_KEY_FILE))
    throw new Error('Redis TLS: REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together (the client certificate and its key): set both or neither');
  const read = (name: 'REDIS_TLS_CA_FILE' | 'REDIS_TLS_CERT_FILE' | 'REDIS_TLS_KEY_FILE') => {
    const path = env[name];
    if (!path) return {};
    try {
      return { [name === 'REDIS_TLS_CA_FILE' ? 'ca' : name === 'REDIS_TLS_CERT_FILE' ? 'cert' : 'key']: readFileSync(path) };
    } catch (e) {
      throw new Error(`Redis TLS: ${name} (${path}) cannot be read: ${(e as Error).message}`);
    }
  };
  return { ...read('REDIS_TLS_CA_FILE'), ...read('REDIS_TLS_CERT_FILE'), ...read('REDIS_TLS_KEY_FILE') };
}
