import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { actorOf } from '../audit/index.js';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ListQuery } from '../platform/http/pagination.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { presentDestination } from './destination.presenter.js';
import { DestinationsService, Redeliveries } from './destinations.service.js';
import { destinationsDocs } from './destinations.docs.js';
import { CreateDestinationDto } from './dto/destination.dto.js';
import { DeletedDestination, DestinationList, DestinationObject, DestinationTestObject, VideoDeliveryObject } from './dto/destination.object.js';
import { presentDelivery } from './video-deliveries.js';

@ApiTags('destinations')
@ApiBearerAuth()
@Scopes('webhooks:manage')
@KeyModes('live', 'test')
@Controller('v1/destinations')
export class DestinationsController {
  constructor(private readonly destinations: DestinationsService) {}

  @Post()
  @ProblemCodes(
    'destination_endpoint_invalid',
    'destination_endpoint_forbidden',
    'destination_unreachable',
    'destination_denied',
    'destination_key_invalid',
    'destination_limit_reached',
  )
  @ApiOperation(destinationsDocs.createDestination)
  @ApiCreatedResponse({ type: DestinationObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateDestinationDto, @Req() req: Request): Promise<DestinationObject> {
    return presentDestination(await this.destinations.create(actorOf(req), who, dto));
  }

  @Get()
  @ApiOperation(destinationsDocs.listDestinations)
  @ApiOkResponse({ type: DestinationList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListQuery): Promise<DestinationList> {
    const page = await this.destinations.list(who, query);
    return { object: 'list', data: page.rows.map(presentDestination), has_more: page.hasMore };
  }

  @Get(':id')
  @ApiOperation(destinationsDocs.getDestination)
  @ApiOkResponse({ type: DestinationObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<DestinationObject> {
    return presentDestination(await this.destinations.get(who, id));
  }

  @Delete(':id')
  @ApiOperation(destinationsDocs.deleteDestination)
  @ApiOkResponse({ type: DeletedDestination })
  async remove(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeletedDestination> {
    await this.destinations.remove(actorOf(req), who, id);
    return { id, object: 'destination', deleted: true };
  }

  @Post(':id/test')
  @HttpCode(200)
  @ProblemCodes('destination_unreachable', 'destination_denied', 'destination_endpoint_forbidden')
  @ApiOperation(destinationsDocs.testDestination)
  @ApiOkResponse({ type: DestinationTestObject })
  async test(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<DestinationTestObject> {
    await this.destinations.test(who, id);
    return { object: 'destination_test', destination_id: id, result: 'ok' };
  }
}

@ApiTags('videos')
@ApiBearerAuth()
@Scopes('videos:write')
@KeyModes('live', 'test')
@Controller('v1/videos')
export class VideoRedeliveryController {
  constructor(private readonly redeliveries: Redeliveries) {}

  @Post(':id/redeliver')
  @HttpCode(202)
  @ProblemCodes('delivery_not_found', 'delivery_in_progress')
  @ApiOperation(destinationsDocs.redeliverVideo)
  @ApiAcceptedResponse({ type: VideoDeliveryObject })
  async redeliver(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoDeliveryObject> {
    return presentDelivery(await this.redeliveries.redeliver(who, id));
  }
}
