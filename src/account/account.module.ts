import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { LimitsModule } from '../limits/limits.module.js';

@Module({
  imports: [LimitsModule],
  controllers: [AccountController],
})
export class AccountModule {}
