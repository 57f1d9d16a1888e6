import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingAccount } from '../billing-account.entity.js';
import { BillingStandingReader } from './billing-standing.service.js';
import { KeysModule } from '../../keys/index.js';

/** Just the standing reader, so a feature can show it without pulling in Stripe, queues or billing's controllers. */
@Module({
  imports: [TypeOrmModule.forFeature([BillingAccount]), KeysModule],
  providers: [BillingStandingReader],
  exports: [BillingStandingReader],
})
export class BillingStandingModule {}
