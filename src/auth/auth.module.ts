import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { BearerStrategy } from './bearer.strategy.js';
import { ApiAuthGuard } from './auth.guard.js';

@Module({
  imports: [PassportModule.register({ session: false }), TypeOrmModule.forFeature([ApiKey])],
  providers: [ApiKeysService, BearerStrategy, { provide: APP_GUARD, useClass: ApiAuthGuard }],
  exports: [ApiKeysService],
})
export class AuthModule {}
