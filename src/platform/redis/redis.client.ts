import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redisConnection } from './redis-connection.js';
import { redisEnv } from './redis.env.js';

/** How the command connection meets a Redis outage (a restart, a Sentinel failover): see RedisModule.forRole. */
export type RedisOutages = 'fail-fast' | 'wait';

/** One command connection per process for limits, caches, backend state and pub/sub publishing (made by RedisModule.forRole). */
@Injectable()
export class RedisClient implements OnModuleDestroy {
  readonly redis: Redis;
  /** QUEUE_PREFIX: every key of this deployment (or test file) lives under it. */
  readonly namespace: string;
  /** This client's own keys (limits, key-cache channel). */
  readonly prefix: string;

  constructor(outages: RedisOutages = 'fail-fast') {
    const env = redisEnv.get();
    // Request-path calls fail fast when Redis is down (the client retries a 503). A worker's wait
    // instead, queued and resent once the connection is back: a command failed after two
    // reconnection attempts, mid-job, was taken for the GPU backend's failure and failed the video
    // whose render was in hand (test/backends/dispatch-redis-outage.e2e.test.ts).
    const maxRetriesPerRequest = outages === 'wait' ? null : 2;
    this.redis = reportOutages(new Redis({ ...redisConnection(env), maxRetriesPerRequest, lazyConnect: false }), 'commands');
    this.namespace = env.QUEUE_PREFIX;
    this.prefix = `${env.QUEUE_PREFIX}:lim`;
  }

  /** A second connection for SUBSCRIBE, which takes a connection over. */
  subscriber(): Redis {
    return reportOutages(this.redis.duplicate(), 'subscriber');
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

const logger = new Logger('Redis');

/**
 * ioredis reconnects by itself, but without an 'error' listener it prints a stack trace for every
 * failed attempt (several a second while Redis is down). One warning when the connection is lost
 * and one line when it is back say the same.
 */
function reportOutages(client: Redis, role: string): Redis {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`${role} connection lost: ${error.message}; reconnecting`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${role} connection restored`);
  });
  return client;
}
