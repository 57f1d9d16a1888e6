import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redisConnection } from '../../src/platform/redis/redis-connection.js';
import { redisEnv } from '../../src/platform/redis/redis.env.js';

const env = (vars: Record<string, string>) => redisEnv.load({ NODE_ENV: 'test', ...vars });

describe('Redis connection settings', () => {
  it('without REDIS_SENTINELS connects to the server REDIS_URL names', () => {
    const options = redisConnection(env({ REDIS_URL: 'redis://user:p%40ss@redis.internal:6380/2' }));
    expect(options).toMatchObject({ host: 'redis.internal', port: 6380, username: 'user', password: 'p@ss', db: 2, tls: undefined });
    expect(options).not.toHaveProperty('sentinels');
  });

  it('with REDIS_SENTINELS asks the sentinels for the master and keeps REDIS_URL for its credentials, database and TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leoma-redis-ca-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const options = redisConnection(
      env({
        REDIS_URL: 'rediss://:master-secret@ignored/1',
        REDIS_SENTINELS: 'sentinel-0.redis:26379, 10.0.0.7:26380',
        REDIS_SENTINEL_MASTER: 'leoma-redis',
        REDIS_SENTINEL_USERNAME: 'watcher',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        REDIS_SENTINEL_TLS: 'true',
        REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
      }),
    );
    expect(options).toMatchObject({
      sentinels: [
        { host: 'sentinel-0.redis', port: 26379 },
        { host: '10.0.0.7', port: 26380 },
      ],
      name: 'leoma-redis',
      password: 'master-secret',
      db: 1,
      sentinelUsername: 'watcher',
      sentinelPassword: 'sentinel-secret',
      enableTLSForSentinelMode: true,
      maxRetriesPerRequest: null,
    });
    expect(String((options.tls as { ca: Buffer }).ca)).toBe('PEM');
    expect(String((options.sentinelTLS as { ca: Buffer }).ca)).toBe('PEM');
    expect(options).not.toHaveProperty('host');
    expect(options.reconnectOnError!(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(options.reconnectOnError!(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('plain redis:// to the master stays plain with Sentinel', () => {
    const options = redisConnection(env({ REDIS_URL: 'redis://:pw@x/0', REDIS_SENTINELS: '127.0.0.1:26379' }));
    expect(options).toMatchObject({ name: 'mymaster', enableTLSForSentinelMode: false, tls: undefined, sentinelTLS: undefined });
  });

  it('presents the client certificate and key to the server and to the sentinels, and wants both or neither', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leoma-redis-cert-'));
    writeFileSync(join(dir, 'client.pem'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const files = { REDIS_TLS_CERT_FILE: join(dir, 'client.pem'), REDIS_TLS_KEY_FILE: join(dir, 'client.key') };
    const direct = redisConnection(env({ REDIS_URL: 'rediss://redis.internal:6380', ...files }));
    expect(String((direct.tls as { cert: Buffer }).cert)).toBe('CERT');
    expect(String((direct.tls as { key: Buffer }).key)).toBe('KEY');
    const sentinel = redisConnection(env({ REDIS_URL: 'rediss://x', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_TLS: 'true', ...files }));
    expect(String((sentinel.sentinelTLS as { cert: Buffer }).cert)).toBe('CERT');
    expect(() => redisConnection(env({ REDIS_URL: 'rediss://x', REDIS_TLS_CERT_FILE: files.REDIS_TLS_CERT_FILE }))).toThrow(
      /REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together/,
    );
    expect(() => redisConnection(env({ REDIS_URL: 'rediss://x', REDIS_TLS_CA_FILE: join(dir, 'missing.pem') }))).toThrow(/REDIS_TLS_CA_FILE .*cannot be read/);
  });

  it('refuses a sentinel list that is not host:port', () => {
    expect(() => env({ REDIS_URL: 'redis://x', REDIS_SENTINELS: 'sentinel-0,sentinel-1:26379' })).toThrow(/REDIS_SENTINELS: "sentinel-0" is not host:port/);
  });
});
