import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueName } from './queue-names.js';
import { redisConnection } from '../redis/redis-connection.js';
import { redisEnv } from '../redis/redis.env.js';
import { QueueGauges } from './queue-metrics.js';

const queues = Object.values(QueueName).map((name) => ({ name }));

@Module({
  imports: [
    BullModule.forRootAsync({
      useFactory: () => {
        const env = redisEnv.get();
        return { connection: redisConnection(env), prefix: env.QUEUE_PREFIX };
      },
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [QueueGauges],
  exports: [BullModule],
})
export class QueueModule {}
