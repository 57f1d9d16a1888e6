import { Module } from '@nestjs/common';
import { RedisClient } from './redis.provider.js';
import { RateLimiter } from './rate-limiter.service.js';
import { QuotaService } from './quota.service.js';

@Module({
  providers: [RedisClient, RateLimiter, QuotaService],
  exports: [RedisClient, RateLimiter, QuotaService],
})
export class LimitsModule {}
