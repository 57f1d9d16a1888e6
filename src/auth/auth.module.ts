import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiAuthGuard } from './auth.guard.js';
import { KeyCache } from './key-cache.service.js';
import { KeyVerifier } from './key-verifier.service.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { LastUsedService } from './last-used.service.js';
import { LimitsModule } from '../limits/limits.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { RequestBodyReader } from '../common/request-body.js';

@Module({
  imports: [LimitsModule, AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, KeyCache, KeyVerifier, BearerAuthenticator, LastUsedService, RequestBodyReader, { provide: APP_GUARD, useClass: ApiAuthGuard }],
  exports: [ApiKeysService, KeyCache, LastUsedService],
})
export class AuthModule {}
