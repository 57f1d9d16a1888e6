import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { WebhookSecretObject } from './dto/webhook-endpoint.object.js';
import { TenantSecrets } from './tenant-secrets.service.js';
import { webhookSecretDocs } from './webhook-secret.docs.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/webhook-secret')
export class WebhookSecretController {
  constructor(private readonly secrets: TenantSecrets) {}

  @Get()
  @Scopes('webhooks:manage')
  @ApiOperation(webhookSecretDocs.getWebhookSecret)
  @ApiOkResponse({ type: WebhookSecretObject })
  async get(@CurrentTenant() who: TenantPrincipal): Promise<WebhookSecretObject> {
    return { object: 'webhook_secret', secret: await this.secrets.get(who.tenantId, who.livemode) };
  }
}
