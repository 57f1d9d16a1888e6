import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../audit/index.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { EventList, EventObject, ListEventsQuery } from './dto/event.object.js';
import { DeliveryList } from './dto/delivery.object.js';
import { EventsService } from './events.service.js';
import { presentDelivery, presentEvent } from './webhook.presenters.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { eventsDocs } from './events.docs.js';

@ApiTags('events')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @Scopes('videos:read')
  @ApiOperation(eventsDocs.listEvents)
  @ApiOkResponse({ type: EventList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListEventsQuery): Promise<EventList> {
    const page = await this.events.list(who.tenantId, query, who.livemode);
    return { object: 'list', data: page.rows.map(presentEvent), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation(eventsDocs.getEvent)
  @ApiOkResponse({ type: EventObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<EventObject> {
    return presentEvent(await this.events.get(who.tenantId, id, who.livemode));
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @Scopes('webhooks:manage')
  @ProblemCodes('no_webhook_targets')
  @ApiOperation(eventsDocs.redeliverEvent)
  @ApiOkResponse({ type: DeliveryList })
  async redeliver(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeliveryList> {
    return { object: 'list', data: (await this.events.redeliver(actorOf(req), who.tenantId, id, who.livemode)).map(presentDelivery), has_more: false };
  }
}
