import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly } from '../auth/auth.decorators.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { ALL_TENANT_SCOPES } from '../auth/principal.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { CreateTenantDto } from './dto/create-tenant.dto.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { presentApiKey, presentTenant } from './admin.presenters.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants')
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsService, private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a tenant', operationId: 'adminCreateTenant' })
  async create(@Body() body: CreateTenantDto) {
    return presentTenant(await this.tenants.create(body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a tenant', operationId: 'adminGetTenant' })
  async get(@Param('id') id: string) {
    return presentTenant(await this.tenants.get(id));
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @ApiOperation({ summary: "Create one of the tenant's API keys; the secret is shown only in this response", operationId: 'adminCreateTenantApiKey' })
  async createKey(@Param('id') id: string, @Body() body: CreateApiKeyDto) {
    const tenant = await this.tenants.get(id);
    const { key, secret } = await this.apiKeys.create(tenant.id, {
      mode: body.mode ?? 'live',
      name: body.name,
      scopes: body.scopes ?? ALL_TENANT_SCOPES,
      expiresAt: body.expires_at ?? null,
    });
    return { ...presentApiKey(key), secret };
  }
}
