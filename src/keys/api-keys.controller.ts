import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto, RollApiKeyDto } from './dto/create-api-key.dto.js';
import { keyOptions, presentApiKey } from './api-key.presenter.js';
import { actorOf } from '../audit/index.js';
import { ListQuery } from '../platform/http/pagination.js';
import { assertWithinCaller, budgetLineage, inheritFromCaller } from './caller-bounds.js';
import { ApiKeyList, ApiKeyObject, ApiKeyWithSecret } from './dto/api-key.object.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { apiKeysDocs } from './api-keys.docs.js';

@ApiTags('api-keys')
@ApiBearerAuth()
@Scopes('keys:manage')
@KeyModes('live', 'test')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation(apiKeysDocs.listApiKeys)
  @ApiOkResponse({ type: ApiKeyList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListQuery): Promise<ApiKeyList> {
    const page = await this.keys.list(who.tenantId, query, who.livemode);
    return { object: 'list' as const, data: page.rows.map(presentApiKey), has_more: page.hasMore };
  }

  @Post()
  @HttpCode(201)
  @ProblemCodes('livemode_required', 'exceeds_calling_key')
  @ApiOperation(apiKeysDocs.createApiKey)
  @ApiCreatedResponse({ type: ApiKeyWithSecret })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() body: CreateApiKeyDto, @Req() req: Request): Promise<ApiKeyWithSecret> {
    const opts = keyOptions({ ...inheritFromCaller(who, body), mode: body.mode ?? (who.livemode ? 'live' : 'test') }, who.scopes);
    assertWithinCaller(who, opts);
    const { key, secret } = await this.keys.create(actorOf(req), who.tenantId, {
      ...opts,
      lineageId: budgetLineage(who),
      createdBy: who.session?.personId ?? null,
    });
    return { ...presentApiKey(key), secret };
  }

  @Delete(':id')
  @ApiOperation(apiKeysDocs.revokeApiKey)
  @ProblemCodes('livemode_required')
  @ApiOkResponse({ type: ApiKeyObject })
  async revoke(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request) {
    return presentApiKey(await this.keys.revoke(actorOf(req), who.tenantId, id, who.livemode));
  }

  @Post(':id/roll')
  @HttpCode(201)
  @ProblemCodes('livemode_required', 'exceeds_calling_key', 'api_key_revoked')
  @ApiOperation(apiKeysDocs.rollApiKey)
  @ApiCreatedResponse({ type: ApiKeyWithSecret, description: 'The new key; the old one is valid until its expires_at.' })
  async roll(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Body() body: RollApiKeyDto, @Req() req: Request) {
    // The new key copies the target's scopes, mode and caps, so the caller must hold at least those.
    const { key, secret } = await this.keys.roll(actorOf(req), who.tenantId, id, body.grace_seconds ?? 0, (target) => assertWithinCaller(who, target));
    return { ...presentApiKey(key), secret };
  }
}
