import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { WebhookSecretObject } from './dto/webhook-endpoint.object.js';
import { TenantSecrets } from './tenant-secrets.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/webhook-secret')
export class WebhookSecretController {
  constructor(private readonly secrets: TenantSecrets) {}

  @Get()
  @Scopes('webhooks:manage')
  @ApiOperation({ summary: 'The secret that signs deliveries to per-request `webhook_url` targets', operationId: 'getWebhookSecret', description: "The tenant's default `whsec_` secret of the calling key's mode, which signs deliveries to a `webhook_url` of that mode's videos and batches: a test key gets the test secret, a live key the live one. Endpoints registered with `POST /v1/webhook-endpoints` have their own secret." })
  @ApiOkResponse({ type: WebhookSecretObject })
  async get(@CurrentTenant() who: TenantPrincipal): Promise<WebhookSecretObject> {
    return { object: 'webhook_secret', secret: await this.secrets.get(who.tenantId, who.livemode) };
  }
}
