import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../audit/index.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ListQuery } from '../platform/http/pagination.js';
import { CreateWebhookEndpointDto, RotateSecretDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { DeletedWebhookEndpoint, WebhookEndpointList, WebhookEndpointObject } from './dto/webhook-endpoint.object.js';
import { DeliveryList, RecoverQuery, RecoveryObject } from './dto/delivery.object.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { presentDelivery, presentEndpoint } from './webhook.presenters.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { webhookEndpointsDocs } from './webhook-endpoints.docs.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Scopes('webhooks:manage')
@KeyModes('live', 'test')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @ProblemCodes('webhook_url_invalid', 'webhook_url_forbidden', 'webhook_endpoint_limit_reached')
  @ApiOperation(webhookEndpointsDocs.createWebhookEndpoint)
  @ApiCreatedResponse({ type: WebhookEndpointObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateWebhookEndpointDto, @Req() req: Request): Promise<WebhookEndpointObject> {
    const { endpoint, secret } = await this.endpoints.create(actorOf(req), who, dto);
    return presentEndpoint(endpoint, secret);
  }

  @Get()
  @ApiOperation(webhookEndpointsDocs.listWebhookEndpoints)
  @ApiOkResponse({ type: WebhookEndpointList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListQuery): Promise<WebhookEndpointList> {
    const page = await this.endpoints.list(who, query);
    return { object: 'list', data: page.rows.map((e) => presentEndpoint(e)), has_more: page.hasMore };
  }

  @Get(':id')
  @ApiOperation(webhookEndpointsDocs.getWebhookEndpoint)
  @ApiOkResponse({ type: WebhookEndpointObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<WebhookEndpointObject> {
    return presentEndpoint(await this.endpoints.get(who, id));
  }

  @Patch(':id')
  @ProblemCodes('webhook_url_invalid', 'webhook_url_forbidden')
  @ApiOperation(webhookEndpointsDocs.updateWebhookEndpoint)
  @ApiOkResponse({ type: WebhookEndpointObject })
  async update(
    @CurrentTenant() who: TenantPrincipal,
    @Param('id') id: string,
    @Body() dto: UpdateWebhookEndpointDto,
    @Req() req: Request,
  ): Promise<WebhookEndpointObject> {
    return presentEndpoint(await this.endpoints.update(actorOf(req), who, id, dto));
  }

  @Delete(':id')
  @ApiOperation(webhookEndpointsDocs.deleteWebhookEndpoint)
  @ApiOkResponse({ type: DeletedWebhookEndpoint })
  async remove(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeletedWebhookEndpoint> {
    await this.endpoints.remove(actorOf(req), who, id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation(webhookEndpointsDocs.rotateWebhookEndpointSecret)
  @ApiOkResponse({ type: WebhookEndpointObject })
  async rotate(
    @CurrentTenant() who: TenantPrincipal,
    @Param('id') id: string,
    @Body() dto: RotateSecretDto,
    @Req() req: Request,
  ): Promise<WebhookEndpointObject> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(actorOf(req), who, id, dto.overlap_seconds);
    return presentEndpoint(endpoint, secret);
  }

  @Get(':id/deliveries')
  @ApiOperation(webhookEndpointsDocs.listWebhookDeliveries)
  @ApiOkResponse({ type: DeliveryList })
  async deliveries(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: ListQuery): Promise<DeliveryList> {
    const page = await this.endpoints.listDeliveries(who, id, query);
    return { object: 'list', data: page.rows.map(presentDelivery), has_more: page.hasMore };
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ProblemCodes('webhook_endpoint_disabled')
  @ApiOperation(webhookEndpointsDocs.recoverWebhookEndpoint)
  @ApiOkResponse({ type: RecoveryObject })
  async recover(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: RecoverQuery, @Req() req: Request): Promise<RecoveryObject> {
    const since = new Date(query.since);
    const deliveries = await this.endpoints.recover(actorOf(req), who, id, since);
    return { object: 'webhook_recovery', endpoint_id: id, since: since.toISOString(), deliveries };
  }
}
