import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlansModule } from '../plans/index.js';
import { KeysModule } from '../keys/index.js';
import { contractEntities } from './contract-entities.js';
import { RateCards } from './rate-cards.service.js';

/** The rate card alone: what videos, batches, estimates and billing read to price a tenant. */
@Module({
  imports: [TypeOrmModule.forFeature(contractEntities), PlansModule, KeysModule],
  providers: [RateCards],
  exports: [RateCards],
})
export class RateCardsModule {}
