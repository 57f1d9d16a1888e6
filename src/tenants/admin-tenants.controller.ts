import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { ApiKeysService } from '../keys/index.js';
import { ALL_TENANT_SCOPES, type OperatorPrincipal } from '../core/auth/principal.js';
import { CreateApiKeyDto } from '../keys/index.js';
import { keyOptions, presentApiKey } from '../keys/index.js';
import { TenantsService } from './tenants.service.js';
import { presentTenant } from './tenant.presenter.js';
import { CreateTenantDto, UpdateTenantDto } from './dto/tenant-input.dto.js';
import type { Tenant } from './tenant.entity.js';
import { PlansService } from '../plans/index.js';
import { effectiveLimits } from '../core/limits/effective-limits.js';
import { actorOf } from '../audit/index.js';
import { ProblemException } from '../platform/http/problem.js';
import { ListQuery } from '../platform/http/pagination.js';
import { ListTenantsQuery } from './dto/list-tenants.query.js';
import { TenantList, TenantWithLimits } from './dto/tenant.object.js';
import { ApiKeyList, ApiKeyObject, ApiKeyWithSecret } from '../keys/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { adminTenantsDocs } from './admin-tenants.docs.js';

const BILLING_FIELDS = new Set(['billing_mode', 'net_days']);

/** Enterprise provisioning. Sales provisions; finance may change billing terms; support may suspend; all read. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants')
export class AdminTenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
    private readonly plans: PlansService,
  ) {}

  private async present(t: Tenant): Promise<TenantWithLimits> {
    return { ...presentTenant(t), limits: effectiveLimits(await this.plans.get(t.plan), t.limitOverrides) };
  }

  @Post()
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('plan_not_found')
  @ApiOperation(adminTenantsDocs.adminCreateTenant)
  @ApiCreatedResponse({ type: TenantWithLimits })
  async create(@Body() body: CreateTenantDto, @Req() req: Request) {
    return this.present(await this.tenants.create(actorOf(req), body));
  }

  @Get()
  @Roles('sales', 'finance', 'support')
  @ApiOperation(adminTenantsDocs.adminListTenants)
  @ApiOkResponse({ type: TenantList })
  async list(@Query() query: ListTenantsQuery): Promise<TenantList> {
    const page = await this.tenants.list(query);
    return { object: 'list' as const, data: page.rows.map(presentTenant), has_more: page.hasMore };
  }

  @Get(':id')
  @Roles('sales', 'finance', 'support')
  @ApiOperation(adminTenantsDocs.adminGetTenant)
  @ApiOkResponse({ type: TenantWithLimits })
  async get(@Param('id') id: string) {
    return this.present(await this.tenants.get(id));
  }

  @Patch(':id')
  @Roles('sales', 'finance')
  @ProblemCodes('plan_not_found')
  @ApiOperation(adminTenantsDocs.adminUpdateTenant)
  @ApiOkResponse({ type: TenantWithLimits })
  async update(@Param('id') id: string, @Body() body: UpdateTenantDto, @Req() req: Request) {
    const who = req.user as OperatorPrincipal;
    const nonBilling = Object.keys(body).filter((k) => !BILLING_FIELDS.has(k));
    if (who.role === 'finance' && nonBilling.length) {
      throw new ProblemException(403, 'insufficient_role', `Finance may change billing terms only, not: ${nonBilling.join(', ')}.`);
    }
    return this.present(await this.tenants.update(actorOf(req), id, body));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('sales', 'support')
  @ApiOperation(adminTenantsDocs.adminSuspendTenant)
  @ApiOkResponse({ type: TenantWithLimits })
  async suspend(@Param('id') id: string, @Req() req: Request) {
    return this.present(await this.tenants.setStatus(actorOf(req), id, 'suspended'));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('sales', 'support')
  @ApiOperation(adminTenantsDocs.adminResumeTenant)
  @ApiOkResponse({ type: TenantWithLimits })
  async resume(@Param('id') id: string, @Req() req: Request) {
    return this.present(await this.tenants.setStatus(actorOf(req), id, 'active'));
  }

  @Get(':id/api-keys')
  @Roles('sales', 'support')
  @ApiOperation(adminTenantsDocs.adminListTenantApiKeys)
  @ApiOkResponse({ type: ApiKeyList })
  async listKeys(@Param('id') id: string, @Query() query: ListQuery): Promise<ApiKeyList> {
    const page = await this.apiKeys.list((await this.tenants.get(id)).id, query);
    return { object: 'list' as const, data: page.rows.map(presentApiKey), has_more: page.hasMore };
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @Roles('sales')
  @ApiOperation(adminTenantsDocs.adminCreateTenantApiKey)
  @ApiCreatedResponse({ type: ApiKeyWithSecret })
  async createKey(@Param('id') id: string, @Body() body: CreateApiKeyDto, @Req() req: Request): Promise<ApiKeyWithSecret> {
    const tenant = await this.tenants.get(id);
    const { key, secret } = await this.apiKeys.create(actorOf(req), tenant.id, keyOptions(body, ALL_TENANT_SCOPES));
    return { ...presentApiKey(key), secret };
  }

  @Delete(':id/api-keys/:keyId')
  @Roles('sales', 'support')
  @ApiOperation(adminTenantsDocs.adminRevokeTenantApiKey)
  @ApiOkResponse({ type: ApiKeyObject })
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: Request) {
    return presentApiKey(await this.apiKeys.revoke(actorOf(req), id, keyId));
  }
}
