import { Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter.service.js';
import { QuotaService } from './quota.service.js';

@Module({
  providers: [RateLimiter, QuotaService],
  exports: [RateLimiter, QuotaService],
})
export class LimitsModule {}
