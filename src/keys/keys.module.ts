import { Module } from '@nestjs/common';
import { KeyVerifier } from '../core/auth/key-verifier.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeysController } from './api-keys.controller.js';
import { KeyCache } from './key-cache.service.js';
import { ApiKeyVerifier } from './key-verifier.service.js';
import { LastUsedService } from './last-used.service.js';
import { AuditModule } from '../audit/index.js';
import { SessionKeys } from './session-keys.service.js';

/** Tenant API keys: their routes, and the verifier core's auth guard resolves bearer secrets with. */
@Module({
  imports: [AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, KeyCache, { provide: KeyVerifier, useClass: ApiKeyVerifier }, LastUsedService, SessionKeys],
  exports: [ApiKeysService, KeyCache, LastUsedService, KeyVerifier, SessionKeys],
})
export class KeysModule {}
