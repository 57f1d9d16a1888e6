import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { queueEnv } from './queue.env.js';
import { QueueName } from './queue-names.js';

function connectionFromUrl(url: string) {
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

const queues = Object.values(QueueName).map((name) => ({ name }));

@Module({
  imports: [
    BullModule.forRootAsync({
      useFactory: () => {
        const env = queueEnv.get();
        return { connection: connectionFromUrl(env.REDIS_URL), prefix: env.QUEUE_PREFIX };
      },
    }),
    BullModule.registerQueue(...queues),
  ],
  exports: [BullModule],
})
export class QueueModule {}

export { connectionFromUrl };
