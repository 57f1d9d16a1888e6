import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { uniquePrefix } from '../support/isolation.js';
import { BackendsRedis } from '../../src/backends/redis-client.js';
import { ConcurrencySlots } from '../../src/backends/concurrency-slots.js';
import { CircuitBreaker } from '../../src/backends/circuit-breaker.js';
import { backendsEnv } from '../../src/backends/backends.env.js';
import { queueEnv } from '../../src/platform/queue/queue.env.js';
import { redisEnv } from '../../src/platform/redis/redis.env.js';
import { RedisClient } from '../../src/platform/redis/redis.client.js';

// The shared state dispatch relies on, against the real Redis: several clients stand for several workers.
let connections: RedisClient[];
let redis: BackendsRedis[];
let slots: ConcurrencySlots[];
let breakers: CircuitBreaker[];

beforeAll(() => {
  Object.assign(process.env, {
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('state'),
    SLOT_LEASE_MS: '1000',
    BREAKER_FAILURE_THRESHOLD: '2',
    BREAKER_OPEN_MS: '300',
  });
  queueEnv.reload();
  redisEnv.reload();
  backendsEnv.reload();
  connections = [new RedisClient(), new RedisClient(), new RedisClient()];
  redis = connections.map((c) => new BackendsRedis(c));
  slots = redis.map((r) => new ConcurrencySlots(r));
  breakers = redis.map((r) => new CircuitBreaker(r));
});
afterAll(() => Promise.all(connections.map((c) => c.onModuleDestroy())));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('concurrency slots', () => {
  it('grants exactly max slots when many workers race for them', async () => {
    const leases = await Promise.all(Array.from({ length: 30 }, (_, i) => slots[i % 3]!.acquire('race', 4)));
    expect(leases.filter(Boolean)).toHaveLength(4);
    expect(await slots[0]!.inFlight('race')).toBe(4);
    await Promise.all(leases.map((l) => l?.release()));
    expect(await slots[1]!.inFlight('race')).toBe(0);
  });

  it('keeps a live lease past its TTL by renewing it', async () => {
    const lease = await slots[0]!.acquire('renewed', 1);
    await sleep(1_500);
    expect(await slots[1]!.acquire('renewed', 1)).toBeNull();
    await lease!.release();
    expect(await slots[1]!.acquire('renewed', 1)).not.toBeNull();
  });

  it("frees a dead worker's slot when its lease runs out", async () => {
    // A worker that dies stops renewing; stand in for it by writing a lease nobody renews.
    await redis[0]!.client.zadd(redis[0]!.key('slots', 'orphan'), Date.now() + 300, 'dead-worker');
    expect(await slots[1]!.acquire('orphan', 1)).toBeNull();
    await sleep(400);
    expect(await slots[1]!.acquire('orphan', 1)).not.toBeNull();
  });
});

describe('circuit breaker shared by workers', () => {
  it('opens for every worker after consecutive failures from any of them, and a success resets the count', async () => {
    await breakers[0]!.failure('a');
    await breakers[1]!.success('a');
    await breakers[1]!.failure('a');
    expect(await breakers[2]!.state('a')).toBe('closed');
    await breakers[0]!.failure('a');
    expect(await breakers[2]!.state('a')).toBe('open');
    expect(await breakers[2]!.admit('a')).toBe(false);
  });

  it('lets exactly one probe through when half-open; a failed probe reopens, a good one closes', async () => {
    await breakers[0]!.failure('b');
    await breakers[0]!.failure('b');
    await sleep(350);
    expect(await breakers[1]!.state('b')).toBe('half_open');
    const admitted = await Promise.all([0, 1, 2, 0, 1, 2].map((i) => breakers[i]!.admit('b')));
    expect(admitted.filter(Boolean)).toHaveLength(1);
    await breakers[0]!.failure('b');
    expect(await breakers[1]!.state('b')).toBe('open');

    await sleep(350);
    expect(await breakers[2]!.admit('b')).toBe(true);
    await breakers[2]!.success('b');
    expect(await breakers[0]!.state('b')).toBe('closed');
    expect(await breakers[0]!.admit('b')).toBe(true);
  });
});
