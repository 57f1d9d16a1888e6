import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { LimitsModule } from '../limits/index.js';

@Module({
  imports: [LimitsModule],
  controllers: [AccountController],
})
export class AccountModule {}
