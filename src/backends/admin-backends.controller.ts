import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { BackendsAdminService } from './backends-admin.service.js';
import { BackendList, BackendObject, CreateBackendDto, UpdateBackendDto } from './dto/backend.dto.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/backends')
export class AdminBackendsController {
  constructor(private readonly backends: BackendsAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a GPU backend', operationId: 'adminCreateBackend', description: "Registers a GPU backend (Cog-compatible URL, models served, concurrency) in the routing table; dispatch uses it once its health check passes." })
  @ApiCreatedResponse({ type: BackendObject })
  @ProblemCodes('backend_url_forbidden')
  create(@Body() body: CreateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.create(actorOf(req), body);
  }

  @Get()
  @ApiOperation({ summary: 'The routing table: every backend with its live state (health, circuit, slots in use)', operationId: 'adminListBackends', description: "Every backend, from configuration and registered, with its live health, circuit-breaker state and slots in use: what dispatch sees right now." })
  @ApiOkResponse({ type: BackendList })
  async list(): Promise<BackendList> {
    return { object: 'list', data: await this.backends.list(), has_more: false };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a backend with its live state', operationId: 'adminGetBackend', description: "One backend with its live health, circuit and slots in use." })
  @ApiOkResponse({ type: BackendObject })
  get(@Param('id') id: string): Promise<BackendObject> {
    return this.backends.get(id);
  }

  @Patch(':id')
  @ProblemCodes('backend_from_config', 'backend_url_forbidden')
  @ApiOperation({ summary: 'Change a registered backend (config backends are read-only)', operationId: 'adminUpdateBackend', description: "Changes a registered backend (URL, models, concurrency, enabled). Backends from configuration are read-only (409)." })
  @ApiOkResponse({ type: BackendObject })
  update(@Param('id') id: string, @Body() body: UpdateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.update(actorOf(req), id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ProblemCodes('backend_from_config')
  @ApiOperation({ summary: 'Remove a registered backend; calls already running on it finish', operationId: 'adminDeleteBackend', description: "Removes a registered backend from routing; calls already running on it finish. Backends from configuration cannot be removed." })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.backends.remove(actorOf(req), id);
  }
}
